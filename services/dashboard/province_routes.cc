// One province's page: its profile and reports, and one indicator over time
// against its cluster. A province's staff see their own province only.
#include <algorithm>
#include <map>
#include <vector>

#include "services/common/period.h"
#include "services/dashboard/http_api.h"
#include "services/dashboard/http_util.h"
#include "services/dashboard/session.h"

namespace dashboard {

void HttpApi::Province(const httplib::Request& req, httplib::Response& res,
                       const fed::Principal& who) {
  auto code = CodeParam(req);
  if (!code.ok()) return SendError(res, code.status());
  if (!MaySeeOrganization(who, *code)) {
    return SendError(res, absl::PermissionDeniedError("you may see your own province only"));
  }
  auto period = PeriodParam(req);
  if (!period.ok()) return SendError(res, period.status());
  auto profile = backend_->Profile(*code, YearOf(*period));
  if (!profile.ok()) return SendError(res, profile.status());
  // Its reports of the chosen period and the five before it, every revision
  // with its review outcome.
  v1::ProvinceResponse page;
  *page.mutable_profile() = *std::move(profile);
  fed::Period p = *fed::Period::Parse(*period);
  for (int i = 0; i < 6; ++i, p = p.Previous()) {
    auto revisions = backend_->Revisions(*code, p.ToString());
    if (!revisions.ok() && revisions.status().code() != absl::StatusCode::kNotFound) {
      return SendError(res, revisions.status());
    }
    v1::ProvinceReports* reports = page.add_reports();
    reports->set_period(p.ToString());
    // Set even when nothing was received: the page reads an empty list.
    v1::ListRevisionsResponse* list = reports->mutable_revisions();
    if (revisions.ok()) *list = *std::move(revisions);
  }
  SendJson(res, 200, page);
}

void HttpApi::ProvinceSeries(const httplib::Request& req, httplib::Response& res,
                             const fed::Principal& who) {
  auto code = CodeParam(req);
  auto indicator = IndicatorParam(req);
  auto from = PeriodParam(req, "from");
  auto to = PeriodParam(req, "to");
  for (const absl::Status& s : {code.status(), indicator.status(), from.status(), to.status()}) {
    if (!s.ok()) return SendError(res, s);
  }
  if (!MaySeeOrganization(who, *code)) {
    return SendError(res, absl::PermissionDeniedError("you may see your own province only"));
  }
  auto own = backend_->Series(*code, {*indicator}, *from, *to);
  if (!own.ok()) return SendError(res, own.status());
  v1::ProvinceSeriesResponse response;
  *response.mutable_own() = *std::move(own);
  // The cluster of the last year of the range, compared by period: the
  // members' average and best (counted reports only).
  auto profile = backend_->Profile(*code, YearOf(*to));
  std::map<std::string, std::vector<double>> values;
  if (profile.ok() && profile->has_cluster()) {
    const auto& cluster = profile->cluster().cluster();
    *response.mutable_cluster() = cluster;
    for (const auto& member : cluster.member_codes()) {
      auto series = backend_->Series(member, {*indicator}, *from, *to);
      if (!series.ok()) continue;
      for (const auto& point : series->points()) {
        if (point.present()) values[point.period()].push_back(point.value());
      }
    }
  }
  for (const auto& [period, list] : values) {
    double sum = 0, top = list.front();
    for (double v : list) sum += v, top = std::max(top, v);
    v1::ClusterAveragePoint* average = response.add_cluster_average();
    average->set_period(period);
    average->set_value(sum / list.size());
    average->set_members(static_cast<int32_t>(list.size()));
    v1::ClusterBestPoint* best = response.add_cluster_best();
    best->set_period(period);
    best->set_value(top);
  }
  SendJson(res, 200, response);
}

}  // namespace dashboard
