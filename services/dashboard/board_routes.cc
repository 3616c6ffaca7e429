// The national board: who has reported (cached until the change feed
// moves), the national totals and their chart, the coverage figures, and the
// board's and totals' CSVs. National roles only (Guard checks).
#include <map>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/catalog.h"
#include "services/common/enum_names.h"
#include "services/common/period.h"
#include "services/dashboard/csv.h"
#include "services/dashboard/http_api.h"
#include "services/dashboard/http_util.h"

namespace dashboard {

namespace {

// The coverage figures on the board ("53/63 tỉnh tổ chức Hội thi STKT").
const char* const kCoverageConditions[] = {
    "tech_contest_held",
    "tech_contest_by_union",
    "youth_contest_held",
    "has_bulletin AND has_website",
};

constexpr int kMaxSeriesPeriods = 40;

std::string StateName(v1::ReportState state) {
  const std::string word = fed::EnumWordLower(state);
  return word.empty() ? "missing" : word;
}

}  // namespace

absl::StatusOr<v1::ListClustersResponse> HttpApi::ClustersFor(
    const std::string& period, const v1::CompletenessResponse& board) {
  // Clusters are constituted per year; after the 2025 merger the successors'
  // clusters start the next year. Take the first year whose clusters cover
  // most of the expected reporters.
  int year = YearOf(period);
  v1::ListClustersResponse best;
  for (int y : {year, year + 1, year - 1}) {
    auto clusters = backend_->Clusters(y);
    if (!clusters.ok()) return clusters.status();
    std::set<std::string> members;
    for (const auto& c : clusters->clusters())
      members.insert(c.member_codes().begin(), c.member_codes().end());
    int covered = 0;
    for (const auto& r : board.reporters()) covered += members.count(r.organization_code());
    if (board.reporters_size() > 0 && covered * 2 > board.reporters_size()) return *clusters;
    if (best.clusters_size() == 0) best = *clusters;
  }
  return best;
}

absl::StatusOr<std::string> HttpApi::BoardJson(const std::string& period) {
  const int64_t sequence = feed_->head();
  return views_.Get(absl::StrCat("board/", period), sequence, feed_->ready(),
                    [&]() -> absl::StatusOr<std::string> {
                      auto board = backend_->Completeness(period);
                      if (!board.ok()) return board.status();
                      auto clusters = ClustersFor(period, *board);
                      if (!clusters.ok()) return clusters.status();
                      v1::BoardResponse response;
                      response.set_period(period);
                      response.set_sequence(sequence);
                      *response.mutable_completeness() = *std::move(board);
                      *response.mutable_clusters() = *std::move(clusters);
                      return ToJson(response);
                    });
}

void HttpApi::Board(const httplib::Request& req, httplib::Response& res, const fed::Principal&) {
  auto period = PeriodParam(req);
  if (!period.ok()) return SendError(res, period.status());
  auto json = BoardJson(*period);
  if (!json.ok()) return SendError(res, json.status());
  SendJsonText(res, 200, *std::move(json));
}

void HttpApi::Totals(const httplib::Request& req, httplib::Response& res, const fed::Principal&) {
  auto period = PeriodParam(req);
  if (!period.ok()) return SendError(res, period.status());
  const bool submitted = req.get_param_value("include_submitted") == "1";
  auto json = views_.Get(absl::StrCat("totals/", *period, submitted ? "/submitted" : ""),
                         feed_->head(), feed_->ready(), [&]() -> absl::StatusOr<std::string> {
                           auto totals = backend_->Totals(*period, {}, submitted);
                           if (!totals.ok()) return totals.status();
                           return ToJson(*totals);
                         });
  if (!json.ok()) return SendError(res, json.status());
  SendJsonText(res, 200, *std::move(json));
}

void HttpApi::NationalSeries(const httplib::Request& req, httplib::Response& res,
                             const fed::Principal&) {
  auto indicator = IndicatorParam(req);
  auto from = PeriodParam(req, "from");
  auto to = PeriodParam(req, "to");
  for (const absl::Status& s : {indicator.status(), from.status(), to.status()}) {
    if (!s.ok()) return SendError(res, s);
  }
  auto range = fed::Period::Range(*fed::Period::Parse(*from), *fed::Period::Parse(*to));
  if (range.empty() || static_cast<int>(range.size()) > kMaxSeriesPeriods) {
    return SendError(res, absl::InvalidArgumentError(absl::StrCat(
                              "from, to: one kind of period, at most ", kMaxSeriesPeriods)));
  }
  v1::NationalSeriesResponse series;
  series.set_indicator(*indicator);
  for (const auto& p : range) {
    auto totals = backend_->Totals(p.ToString(), {*indicator}, false);
    if (!totals.ok()) return SendError(res, totals.status());
    *series.add_totals() = *std::move(totals);
  }
  SendJson(res, 200, series);
}

void HttpApi::Coverage(const httplib::Request& req, httplib::Response& res, const fed::Principal&) {
  auto period = PeriodParam(req);
  if (!period.ok()) return SendError(res, period.status());
  auto json = views_.Get(absl::StrCat("coverage/", *period), feed_->head(), feed_->ready(),
                         [&]() -> absl::StatusOr<std::string> {
                           v1::CoverageFiguresResponse figures;
                           figures.set_period(*period);
                           for (const char* condition : kCoverageConditions) {
                             auto coverage = backend_->Coverage(*period, condition);
                             if (!coverage.ok()) return coverage.status();
                             v1::CoverageFigure* item = figures.add_items();
                             item->set_condition(condition);
                             *item->mutable_coverage() = *std::move(coverage);
                           }
                           return ToJson(figures);
                         });
  if (!json.ok()) return SendError(res, json.status());
  SendJsonText(res, 200, *std::move(json));
}

void HttpApi::BoardCsv(const httplib::Request& req, httplib::Response& res, const fed::Principal&) {
  auto period = PeriodParam(req);
  if (!period.ok()) return SendError(res, period.status());
  auto board = backend_->Completeness(*period);
  if (!board.ok()) return SendError(res, board.status());
  auto clusters = ClustersFor(*period, *board);
  if (!clusters.ok()) return SendError(res, clusters.status());
  std::map<std::string, int> cluster_of;
  for (const auto& c : clusters->clusters()) {
    for (const auto& m : c.member_codes()) cluster_of[m] = c.number();
  }
  auto only_cluster = ClusterParam(req);
  if (!only_cluster.ok()) return SendError(res, only_cluster.status());
  std::string csv = kCsvBom;
  csv += CsvRow(
      {"period", "code", "name", "cluster", "state", "late", "revision", "first_submitted_at"});
  for (const auto& r : board->reporters()) {
    auto it = cluster_of.find(r.organization_code());
    int number = it == cluster_of.end() ? 0 : it->second;
    if (*only_cluster > 0 && number != *only_cluster) continue;
    std::string submitted;
    if (r.has_first_submitted_at()) {
      submitted = absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                                   absl::FromUnixSeconds(r.first_submitted_at().seconds()),
                                   absl::UTCTimeZone());
    }
    csv += CsvRow({*period, r.organization_code(), r.organization_name(),
                   number > 0 ? absl::StrCat(number) : "", StateName(r.state()),
                   r.late() ? "yes" : "no", absl::StrCat(r.latest_revision()), submitted});
  }
  res.set_header("Content-Disposition",
                 absl::StrCat("attachment; filename=\"board-", *period, ".csv\""));
  res.set_header("Cache-Control", "no-store");
  res.set_content(csv, "text/csv; charset=utf-8");
}

void HttpApi::TotalsCsv(const httplib::Request& req, httplib::Response& res,
                        const fed::Principal&) {
  auto period = PeriodParam(req);
  if (!period.ok()) return SendError(res, period.status());
  auto totals = backend_->Totals(*period, {}, false);
  if (!totals.ok()) return SendError(res, totals.status());
  std::string csv = kCsvBom;
  csv += CsvRow(
      {"period", "indicator_code", "label_vi", "label_en", "value", "reporting_organizations"});
  for (const auto& t : totals->totals()) {
    const v1::Indicator* indicator = fed::FindIndicator(t.indicator_code());
    csv += CsvRow({*period, t.indicator_code(), indicator ? indicator->label_vi() : "",
                   indicator ? indicator->label_en() : "", absl::StrCat(t.value()),
                   absl::StrCat(t.reporting_organizations())});
  }
  res.set_header("Content-Disposition",
                 absl::StrCat("attachment; filename=\"totals-", *period, ".csv\""));
  res.set_header("Cache-Control", "no-store");
  res.set_content(csv, "text/csv; charset=utf-8");
}

}  // namespace dashboard
