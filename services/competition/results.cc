// Results (final scores, ranks, explicit ties, prizes) and the statistics
// that reporting and the dashboard read.
#include <map>

#include "absl/strings/str_cat.h"
#include "services/common/status.h"
#include "services/competition/access.h"
#include "services/competition/competition.h"
#include "services/competition/scoring.h"
#include "services/competition/storage.h"

namespace competition {
namespace {

// National roles and viewers see every organisation's figures; a province
// its own; judges none.
absl::Status ScopeStatistics(const Principal& who, std::string* organization_code) {
  switch (who.role) {
    case v1::ROLE_NATIONAL_ADMIN:
    case v1::ROLE_NATIONAL_REVIEWER:
    case v1::ROLE_SERVICE:
    case v1::ROLE_VIEWER:
      return absl::OkStatus();
    case v1::ROLE_PROVINCE_REPORTER:
      if (organization_code->empty()) *organization_code = who.organization_code;
      if (*organization_code != who.organization_code) {
        return absl::PermissionDeniedError(absl::StrCat("organisation ", who.organization_code,
                                                        " may read only its own contest figures"));
      }
      return absl::OkStatus();
    default:
      return absl::PermissionDeniedError(
          "contest figures are for the national office, viewers and provinces");
  }
}

}  // namespace

absl::Status Competition::GetResults(const Principal& who, const v1::GetResultsRequest& req,
                                     v1::GetResultsResponse* out) {
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Contest contest, storage::LoadContest(txn, req.contest_id(), false));
    RETURN_IF_ERROR(RequireResultsVisible(who, contest));
    const bool all = ReadsEverything(who, contest);
    std::map<int64_t, v1::Entry> entries;
    for (auto& e : storage::ListEntries(txn, contest.id(), "", false, all))
      entries[e.id()] = std::move(e);
    const bool awarded = contest.state() == v1::CONTEST_STATE_AWARDED;
    std::vector<Ranked> ranked = storage::LoadResults(txn, contest.id());
    for (const Ranked& r : ranked) {
      auto it = entries.find(r.entry_id);
      if (it == entries.end()) continue;
      v1::Result* result = out->add_results();
      *result->mutable_entry() = it->second;
      RedactEntry(who, contest, result->mutable_entry());
      result->set_sheets(r.score.sheets);
      result->set_final_score(r.score.value());
      result->set_rank(r.rank);
      for (int64_t id : r.tied_with) result->add_tied_with(id);
      result->set_prize(awarded ? r.prize : v1::PRIZE_UNSPECIFIED);
    }
    for (auto& note : TieNotes(ranked, contest.prizes(), awarded))
      out->add_tie_notes(std::move(note));
    *out->mutable_contest() = std::move(contest);
    return absl::OkStatus();
  });
}

absl::Status Competition::GetStatistics(const Principal& who, const v1::StatisticsRequest& req,
                                        v1::StatisticsResponse* out) {
  v1::StatisticsRequest scoped = req;
  RETURN_IF_ERROR(ScopeStatistics(who, scoped.mutable_organization_code()));
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    for (auto& row : storage::Statistics(txn, scoped, false)) *out->add_rows() = std::move(row);
    for (auto& row : storage::Statistics(txn, scoped, true)) *out->add_totals() = std::move(row);
    return absl::OkStatus();
  });
}

absl::Status Competition::GetReportingFigures(const Principal& who,
                                              const v1::ReportingFiguresRequest& req,
                                              v1::ReportingFiguresResponse* out) {
  fed::Violations v;
  fed::CheckOrganizationCode(v, "organization_code", req.organization_code(), true);
  if (req.year() < 1983 || req.year() > 2100) v.Add("year", "must be a year from 1983 to 2100");
  RETURN_IF_ERROR(v.ToStatus());
  v1::StatisticsRequest filter;
  filter.set_organization_code(req.organization_code());
  filter.set_year(req.year());
  RETURN_IF_ERROR(ScopeStatistics(who, filter.mutable_organization_code()));
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    for (const auto& row : storage::Statistics(txn, filter, false)) {
      out->set_contest_entries(out->contest_entries() + row.entries());
      out->set_contest_prizes(out->contest_prizes() + row.prizes());
      out->set_national_awards(out->national_awards() + row.national_awards());
      if (row.contests() > 0 && row.kind() == v1::CONTEST_KIND_PROVINCIAL_TECH) {
        out->set_tech_contest_held(true);
        out->set_tech_contest_by_union(true);
      }
      if (row.contests() > 0 && row.kind() == v1::CONTEST_KIND_YOUTH)
        out->set_youth_contest_held(true);
    }
    return absl::OkStatus();
  });
}

}  // namespace competition
