// Emulation-cluster rankings (ranking service), their CSV, and a province
// against its cluster, scoped by ScopeRankings: the dashboard asks with its
// service identity.
#include <algorithm>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/common/status.h"
#include "services/dashboard/csv.h"
#include "services/dashboard/http_api.h"
#include "services/dashboard/http_util.h"
#include "services/dashboard/session.h"

namespace dashboard {

absl::Status ScopeRankings(const fed::Principal& who, int requested,
                           v1::GetRankingResponse* rankings) {
  auto& list = *rankings->mutable_rankings();
  if (SeesNationalBoard(who)) {
    if (requested != 0) {
      list.erase(std::remove_if(
                     list.begin(), list.end(),
                     [&](const v1::ClusterRanking& r) { return r.cluster_number() != requested; }),
                 list.end());
    }
    return absl::OkStatus();
  }
  if (who.role != v1::ROLE_PROVINCE_REPORTER || who.organization_code.empty()) {
    return absl::PermissionDeniedError("rankings are for the national office and provinces");
  }
  int own = 0;
  for (const auto& r : list) {
    for (const auto& e : r.entries()) {
      if (e.organization_code() == who.organization_code) own = r.cluster_number();
    }
  }
  if (own == 0 || (requested != 0 && requested != own)) {
    return absl::PermissionDeniedError(absl::StrCat("organisation ", who.organization_code,
                                                    " may read only its own cluster's ranking"));
  }
  list.erase(std::remove_if(list.begin(), list.end(),
                            [&](const v1::ClusterRanking& r) { return r.cluster_number() != own; }),
             list.end());
  return absl::OkStatus();
}

absl::StatusOr<v1::GetRankingResponse> HttpApi::ScopedRankings(const httplib::Request& req,
                                                               const fed::Principal& who,
                                                               std::string* period_out) {
  auto period = PeriodParam(req);
  if (!period.ok()) return period.status();
  ASSIGN_OR_RETURN(const int cluster, ClusterParam(req));
  // Refuse before asking: the service identity would be answered.
  if (!SeesNationalBoard(who) && who.role != v1::ROLE_PROVINCE_REPORTER) {
    return absl::PermissionDeniedError("rankings are for the national office and provinces");
  }
  auto ask = [&](int number, bool totals_only) {
    auto rankings = backend_->Rankings(*period, number, totals_only);
    if (!rankings.ok()) {
      spdlog::warn("event=rankings_failed period={} error={}", fed::LogQuoted(*period),
                   fed::LogQuoted(rankings.status().message()));
    }
    return rankings;
  };
  int number = cluster;
  if (!SeesNationalBoard(who)) {
    // A province's cluster is the one whose ranking lists it: find it among
    // every cluster's totals, then ask for that one with its breakdown.
    auto totals = ask(0, /*totals_only=*/true);
    if (!totals.ok()) return totals.status();
    if (absl::Status scoped = ScopeRankings(who, cluster, &*totals); !scoped.ok()) return scoped;
    number = totals->rankings(0).cluster_number();  // its own cluster, the only one left
  }
  auto rankings = ask(number, /*totals_only=*/false);
  if (!rankings.ok()) return rankings.status();
  if (absl::Status scoped = ScopeRankings(who, cluster, &*rankings); !scoped.ok()) return scoped;
  *period_out = *period;
  return rankings;
}

void HttpApi::Rankings(const httplib::Request& req, httplib::Response& res,
                       const fed::Principal& who) {
  std::string period;
  auto rankings = ScopedRankings(req, who, &period);
  if (!rankings.ok()) return SendError(res, rankings.status());
  v1::RankingsResponse response;
  response.set_period(period);
  // The scheme names the criteria and rules of the breakdown.
  if (rankings->rankings_size() > 0) {
    const auto& first = rankings->rankings(0);
    auto scheme = backend_->Scheme(first.year(), first.scheme_version());
    if (scheme.ok()) *response.mutable_scheme() = *std::move(scheme);
  }
  *response.mutable_rankings() = *std::move(rankings);
  SendJson(res, 200, response);
}

void HttpApi::RankingsCsv(const httplib::Request& req, httplib::Response& res,
                          const fed::Principal& who) {
  std::string period;
  auto rankings = ScopedRankings(req, who, &period);
  if (!rankings.ok()) return SendError(res, rankings.status());
  std::string csv = kCsvBom;
  csv +=
      CsvRow({"year", "cluster", "period", "scheme_version", "rank", "code", "name", "cluster_role",
              "total", "flag_proposal", "item_kind", "item_code", "raw", "normalised", "points"});
  for (const auto& r : rankings->rankings()) {
    for (const auto& e : r.entries()) {
      std::vector<std::string> head = {absl::StrCat(r.year()),
                                       absl::StrCat(r.cluster_number()),
                                       r.period(),
                                       absl::StrCat(r.scheme_version()),
                                       absl::StrCat(e.rank()),
                                       e.organization_code(),
                                       e.organization_name(),
                                       e.cluster_role(),
                                       absl::StrCat(e.total()),
                                       e.flag_proposal() ? "yes" : "no"};
      if (e.has_not_expected()) {
        // Listed, not ranked: no rank, no total, one row saying why.
        head[4] = "";
        head[8] = "";
        std::vector<std::string> row = head;
        row.insert(row.end(), {"not_expected", e.not_expected().note(), "", "", ""});
        csv += CsvRow(row);
        continue;
      }
      for (const auto& c : e.breakdown()) {
        std::vector<std::string> row = head;
        row.insert(row.end(),
                   {"criterion", c.criterion_code(), c.present() ? absl::StrCat(c.raw_value()) : "",
                    absl::StrCat(c.normalised()), absl::StrCat(c.points())});
        csv += CsvRow(row);
      }
      for (const auto& a : e.adjustments()) {
        std::vector<std::string> row = head;
        row.insert(row.end(),
                   {"rule", a.rule_code(), absl::StrCat(a.count()), "", absl::StrCat(a.points())});
        csv += CsvRow(row);
      }
    }
  }
  const std::string cluster = req.get_param_value("cluster");
  res.set_header("Content-Disposition",
                 absl::StrCat("attachment; filename=\"rankings-", period,
                              rankings->rankings_size() == 1
                                  ? absl::StrCat("-", rankings->rankings(0).cluster_number())
                                  : "",
                              ".csv\""));
  res.set_header("Cache-Control", "no-store");
  res.set_content(csv, "text/csv; charset=utf-8");
}

void HttpApi::ProvinceRanking(const httplib::Request& req, httplib::Response& res,
                              const fed::Principal& who) {
  auto code = CodeParam(req);
  auto period = PeriodParam(req);
  for (const absl::Status& s : {code.status(), period.status()}) {
    if (!s.ok()) return SendError(res, s);
  }
  if (!MaySeeOrganization(who, *code)) {
    return SendError(res, absl::PermissionDeniedError("you may see your own province only"));
  }
  // Without a scheme for the year there is nothing to rank (and nothing the
  // comparison would read by default).
  auto scheme = backend_->Scheme(YearOf(*period), 0);
  if (!scheme.ok()) return SendError(res, scheme.status());
  auto comparison = backend_->CompareProvince(*code, *period);
  if (!comparison.ok()) {
    spdlog::warn("event=compare_province_failed code={} period={} error={}", fed::LogQuoted(*code),
                 fed::LogQuoted(*period), fed::LogQuoted(comparison.status().message()));
    return SendError(res, comparison.status());
  }
  v1::ProvinceRankingResponse response;
  // Its own cluster's ranking: a province may see that one.
  auto ranking = backend_->Rankings(*period, comparison->cluster_number());
  if (ranking.ok() && ranking->rankings_size() == 1) {
    *response.mutable_ranking() = std::move(*ranking->mutable_rankings(0));
    if (response.ranking().scheme_version() != scheme->version()) {
      auto used = backend_->Scheme(response.ranking().year(), response.ranking().scheme_version());
      if (used.ok()) *scheme = *std::move(used);
    }
  }
  *response.mutable_comparison() = *std::move(comparison);
  *response.mutable_scheme() = *std::move(scheme);
  SendJson(res, 200, response);
}

}  // namespace dashboard
