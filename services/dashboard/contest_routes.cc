// Contest statistics (competition service) and their CSV, scoped by
// ContestStatisticsScope: the dashboard asks with its service identity.
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/enum_names.h"
#include "services/common/log.h"
#include "services/dashboard/csv.h"
#include "services/dashboard/http_api.h"
#include "services/dashboard/http_util.h"
#include "services/dashboard/session.h"

namespace dashboard {

namespace {

// The contest kinds the statistics are broken down by.
const v1::ContestKind kContestKinds[] = {
    v1::CONTEST_KIND_PROVINCIAL_TECH,
    v1::CONTEST_KIND_YOUTH,
    v1::CONTEST_KIND_NATIONAL,
    v1::CONTEST_KIND_VIFOTEC,
};

// The year (of ?period=) and the organisation (?code=, within what `who`
// may see) of a contest statistics request.
struct ContestQuery {
  int year = 0;
  std::string scope;
};
absl::StatusOr<ContestQuery> ContestQueryOf(const httplib::Request& req,
                                            const fed::Principal& who) {
  auto period = PeriodParam(req);
  auto requested = OptionalCodeParam(req);
  for (const absl::Status& s : {period.status(), requested.status()}) {
    if (!s.ok()) return s;
  }
  auto scope = ContestStatisticsScope(who, *requested);
  if (!scope.ok()) return scope.status();
  return ContestQuery{YearOf(*period), *std::move(scope)};
}

}  // namespace

absl::StatusOr<std::string> ContestStatisticsScope(const fed::Principal& who,
                                                   const std::string& requested) {
  if (SeesNationalBoard(who)) return requested;
  if (who.role == v1::ROLE_PROVINCE_REPORTER && !who.organization_code.empty()) {
    if (requested.empty() || requested == who.organization_code) return who.organization_code;
    return absl::PermissionDeniedError("you may see your own province's contest figures only");
  }
  return absl::PermissionDeniedError("contest figures are for the national office and provinces");
}

void HttpApi::Contests(const httplib::Request& req, httplib::Response& res,
                       const fed::Principal& who) {
  auto query = ContestQueryOf(req, who);
  if (!query.ok()) return SendError(res, query.status());
  const int year = query->year;
  const std::string& scope = query->scope;
  auto all = backend_->ContestStatistics(year, scope, v1::CONTEST_KIND_UNSPECIFIED);
  if (!all.ok()) {
    spdlog::warn("event=contest_statistics_failed year={} error={}", year,
                 fed::LogQuoted(all.status().message()));
    return SendError(res, all.status());
  }
  v1::ContestsResponse response;
  response.set_year(year);
  response.set_organization_code(scope);
  *response.mutable_statistics() = *std::move(all);
  // Per kind, each organisation's contests counted once (the rows count a
  // contest once per field it has entries in).
  for (v1::ContestKind kind : kContestKinds) {
    auto one = backend_->ContestStatistics(year, scope, kind);
    if (!one.ok()) return SendError(res, one.status());
    one->clear_rows();
    v1::ContestKindTotals* by_kind = response.add_by_kind();
    by_kind->set_kind(kind);
    *by_kind->mutable_totals() = *std::move(one);
  }
  SendJson(res, 200, response);
}

void HttpApi::ContestsCsv(const httplib::Request& req, httplib::Response& res,
                          const fed::Principal& who) {
  auto query = ContestQueryOf(req, who);
  if (!query.ok()) return SendError(res, query.status());
  const int year = query->year;
  const std::string& scope = query->scope;
  auto stats = backend_->ContestStatistics(year, scope, v1::CONTEST_KIND_UNSPECIFIED);
  if (!stats.ok()) return SendError(res, stats.status());
  std::string csv = kCsvBom;
  csv += CsvRow({"year", "organization_code", "kind", "field", "contests", "entries", "prizes",
                 "national_awards"});
  for (const auto& r : stats->rows()) {
    csv += CsvRow({absl::StrCat(r.year()), r.organization_code(), fed::EnumWordLower(r.kind()),
                   r.field(), absl::StrCat(r.contests()), absl::StrCat(r.entries()),
                   absl::StrCat(r.prizes()), absl::StrCat(r.national_awards())});
  }
  res.set_header("Content-Disposition", absl::StrCat("attachment; filename=\"contests-", year,
                                                     scope.empty() ? "" : "-", scope, ".csv\""));
  res.set_header("Cache-Control", "no-store");
  res.set_content(csv, "text/csv; charset=utf-8");
}

}  // namespace dashboard
