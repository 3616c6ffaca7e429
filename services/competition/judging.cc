// Judges, panels per field, assignment (automatic and manual, never with a
// conflict of interest) and score sheets.
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/audit.h"
#include "services/common/enum_names.h"
#include "services/common/status.h"
#include "services/competition/access.h"
#include "services/competition/competition.h"
#include "services/competition/scoring.h"
#include "services/competition/storage.h"
#include "services/competition/validate.h"

namespace competition {
namespace {

absl::Status RequireAssigningState(const v1::Contest& c) {
  if (c.state() == v1::CONTEST_STATE_OPEN || c.state() == v1::CONTEST_STATE_JUDGING)
    return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("contest ", c.id(), " is ", fed::EnumWord(c.state()),
                   "; judges are assigned while it is OPEN or JUDGING"));
}

// The request names a real judge and entry; whether the assignment can change
// now depends on what is stored (README: FAILED_PRECONDITION for a conflict
// or a withdrawn entry, NOT_FOUND / ALREADY_EXISTS for the assignment itself).
// `conflict` is why the judge must not score the entry (empty: no conflict).
absl::Status AssignmentChangeAllowed(pqxx::work& txn, const v1::AssignJudgeRequest& req,
                                     const v1::Entry& entry, const std::string& conflict) {
  if (entry.withdrawn()) {
    return absl::FailedPreconditionError(absl::StrCat("entry ", entry.id(), " was withdrawn"));
  }
  const bool assigned = storage::IsAssigned(txn, entry.id(), req.judge_subject());
  if (req.remove()) {
    if (!assigned) {
      return absl::NotFoundError(
          absl::StrCat(req.judge_subject(), " is not assigned to entry ", entry.id()));
    }
    if (storage::LoadSheet(txn, entry.id(), req.judge_subject()).ok()) {
      return absl::FailedPreconditionError(absl::StrCat(
          req.judge_subject(), " has already scored entry ", entry.id(), "; the sheet stays"));
    }
    return absl::OkStatus();
  }
  if (!conflict.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("conflict of interest: ", req.judge_subject(),
                                                      " may not judge entry ", entry.id(), ": ",
                                                      conflict));
  }
  if (assigned) {
    return absl::AlreadyExistsError(
        absl::StrCat(req.judge_subject(), " is already assigned to entry ", entry.id()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Lineage> Competition::LineageOf(const std::string& code) {
  auto lineage = directory_.LineageOf(code);
  // A code the registry no longer knows still conflicts with itself.
  if (lineage.status().code() == absl::StatusCode::kNotFound) return LineageOfCode(code);
  return lineage;
}

absl::StatusOr<std::string> Competition::ConflictBetween(const std::string& judge_org,
                                                         const std::string& source_org) {
  ASSIGN_OR_RETURN(Lineage judge, LineageOf(judge_org));
  ASSIGN_OR_RETURN(Lineage source, LineageOf(source_org));
  return ConflictOfInterest(judge, source);
}

absl::Status Competition::AddJudge(const Principal& who, const v1::AddJudgeRequest& req,
                                   v1::Judge* out) {
  const v1::Judge& judge = req.judge();
  v1::Contest contest;
  RETURN_IF_ERROR(db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(contest, storage::LoadContest(txn, judge.contest_id(), false));
    return absl::OkStatus();
  }));
  RETURN_IF_ERROR(RequireOrganiser(who, contest));
  fed::Violations v;
  ValidateJudge(v, judge, "judge.");
  std::set<std::string> fields(contest.fields().begin(), contest.fields().end());
  for (int i = 0; i < judge.fields_size(); ++i) {
    if (!fields.count(judge.fields(i))) {
      v.Add(absl::StrCat("judge.fields[", i, "]"),
            absl::StrCat("\"", judge.fields(i), "\" is not a field of contest ", contest.id()));
    }
  }
  absl::Status registry_error;
  if (!CheckOrganization(v, "judge.organization_code", judge.organization_code(),
                         &registry_error)) {
    return registry_error;
  }
  RETURN_IF_ERROR(v.ToStatus());
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Contest now, storage::LoadContest(txn, judge.contest_id(), true));
    if (now.state() == v1::CONTEST_STATE_CLOSED || now.state() == v1::CONTEST_STATE_AWARDED) {
      return absl::FailedPreconditionError(absl::StrCat(
          "contest ", now.id(), " is ", fed::EnumWord(now.state()), "; its panels are final"));
    }
    storage::UpsertJudge(txn, judge);
    fed::AppendAudit(txn, who, "AddJudge", absl::StrCat("contest/", now.id()), req);
    ASSIGN_OR_RETURN(*out, storage::LoadJudge(txn, now.id(), judge.subject()));
    return absl::OkStatus();
  });
}

absl::Status Competition::ListJudges(const Principal& who, const v1::ListJudgesRequest& req,
                                     v1::ListJudgesResponse* out) {
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Contest contest, storage::LoadContest(txn, req.contest_id(), false));
    if (!ReadsEverything(who, contest)) {
      return absl::PermissionDeniedError(
          "the panels are visible to the organiser and the national office");
    }
    for (auto& j : storage::ListJudges(txn, contest.id())) *out->add_judges() = std::move(j);
    return absl::OkStatus();
  });
}

absl::Status Competition::AutoAssign(const Principal& who, const v1::AutoAssignRequest& req,
                                     v1::AutoAssignResponse* out) {
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Contest contest, storage::LoadContest(txn, req.contest_id(), true));
    RETURN_IF_ERROR(RequireOrganiser(who, contest));
    RETURN_IF_ERROR(RequireAssigningState(contest));
    // Each organisation's place in the registry's tree, asked once per code
    // (the directory caches them across calls too).
    std::map<std::string, Lineage> lineages;
    auto lineage_of = [&](const std::string& code) -> absl::StatusOr<Lineage> {
      if (auto it = lineages.find(code); it != lineages.end()) return it->second;
      ASSIGN_OR_RETURN(Lineage lineage, LineageOf(code));
      return lineages[code] = std::move(lineage);
    };
    std::vector<JudgeSlot> judges;
    for (const auto& j : storage::ListJudges(txn, contest.id())) {
      ASSIGN_OR_RETURN(Lineage lineage, lineage_of(j.organization_code()));
      judges.push_back({j.subject(),
                        j.organization_code(),
                        {j.fields().begin(), j.fields().end()},
                        j.assigned(),
                        std::move(lineage)});
    }
    std::vector<EntrySlot> entries;
    for (const auto& e : storage::ListEntries(txn, contest.id(), "", false, true)) {
      ASSIGN_OR_RETURN(Lineage lineage, lineage_of(e.source_organization_code()));
      entries.push_back({e.id(),
                         e.field(),
                         e.source_organization_code(),
                         {e.judge_subjects().begin(), e.judge_subjects().end()},
                         std::move(lineage)});
    }
    AssignmentPlan plan = PlanAssignment(entries, judges, contest.min_judges_per_entry());
    if (!plan.shortfalls.empty()) {
      const size_t n = plan.shortfalls.size();
      if (n > 10) plan.shortfalls.resize(10), plan.shortfalls.push_back("...");
      return absl::FailedPreconditionError(
          absl::StrCat(n, " entries cannot get ", contest.min_judges_per_entry(),
                       " judges without a conflict of interest; add judges to their panels "
                       "(nothing was assigned): ",
                       absl::StrJoin(plan.shortfalls, "; ")));
    }
    storage::InsertAssignments(txn, contest.id(), plan.added, false);
    fed::AppendAudit(txn, who, "AutoAssign", absl::StrCat("contest/", contest.id()), req);
    out->set_added(static_cast<int>(plan.added.size()));
    for (auto& j : storage::ListJudges(txn, contest.id())) *out->add_judges() = std::move(j);
    return absl::OkStatus();
  });
}

absl::Status Competition::AssignJudge(const Principal& who, const v1::AssignJudgeRequest& req,
                                      v1::AssignJudgeResponse* out) {
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Entry entry, storage::LoadEntry(txn, req.entry_id(), false));
    ASSIGN_OR_RETURN(v1::Contest contest, storage::LoadContest(txn, entry.contest_id(), true));
    RETURN_IF_ERROR(RequireOrganiser(who, contest));
    RETURN_IF_ERROR(RequireAssigningState(contest));
    auto judge = storage::LoadJudge(txn, contest.id(), req.judge_subject());
    if (!judge.ok()) {
      fed::Violations v;
      v.Add("judge_subject",
            absl::StrCat("\"", req.judge_subject(), "\" is not a judge of contest ", contest.id()));
      return v.ToStatus();
    }
    std::string conflict;
    if (!req.remove()) {
      ASSIGN_OR_RETURN(
          conflict, ConflictBetween(judge->organization_code(), entry.source_organization_code()));
    }
    RETURN_IF_ERROR(AssignmentChangeAllowed(txn, req, entry, conflict));
    if (req.remove()) {
      storage::DeleteAssignment(txn, entry.id(), req.judge_subject());
    } else {
      storage::InsertAssignments(txn, contest.id(), {{entry.id(), req.judge_subject()}}, true);
    }
    fed::AppendAudit(txn, who, "AssignJudge", absl::StrCat("entry/", entry.id()), req);
    ASSIGN_OR_RETURN(*out->mutable_entry(), storage::LoadEntry(txn, entry.id(), false));
    RedactEntry(who, contest, out->mutable_entry());
    return absl::OkStatus();
  });
}

absl::Status Competition::ListAssignments(const Principal& who,
                                          const v1::ListAssignmentsRequest& req,
                                          v1::ListAssignmentsResponse* out) {
  RETURN_IF_ERROR(fed::RequireRole(who, {v1::ROLE_JUDGE}));
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Contest contest, storage::LoadContest(txn, req.contest_id(), false));
    *out->mutable_criteria() = contest.criteria();
    for (int64_t id : storage::AssignedEntries(txn, contest.id(), who.subject)) {
      v1::Assignment* a = out->add_assignments();
      ASSIGN_OR_RETURN(*a->mutable_entry(), storage::LoadEntry(txn, id, false));
      RedactEntry(who, contest, a->mutable_entry());
      if (auto sheet = storage::LoadSheet(txn, id, who.subject); sheet.ok())
        *a->mutable_sheet() = *sheet;
    }
    return absl::OkStatus();
  });
}

absl::Status Competition::SubmitScoreSheet(const Principal& who,
                                           const v1::SubmitScoreSheetRequest& req,
                                           v1::ScoreSheet* out) {
  RETURN_IF_ERROR(fed::RequireRole(who, {v1::ROLE_JUDGE}));
  v1::ScoreSheet sheet = req.sheet();
  sheet.set_judge_subject(who.subject);
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(storage::SheetContext context,
                     storage::LoadSheetContext(txn, sheet.entry_id(), who.subject));
    const v1::Entry& entry = context.entry;
    const v1::Contest& contest = context.contest;
    // A judge scores only what is assigned to them, never their own organisation's work.
    if (!context.assigned) {
      return absl::PermissionDeniedError(
          absl::StrCat("entry ", entry.id(), " is not assigned to ", who.subject));
    }
    // Checked again here, not only when assigning: the registry's tree or the
    // judge's organisation may have changed since, and the token's
    // organisation counts as much as the one on the panel.
    std::set<std::string> judge_orgs;
    if (context.judge_organization) judge_orgs.insert(*context.judge_organization);
    if (!who.organization_code.empty()) judge_orgs.insert(who.organization_code);
    for (const std::string& org : judge_orgs) {
      ASSIGN_OR_RETURN(std::string conflict,
                       ConflictBetween(org, entry.source_organization_code()));
      if (!conflict.empty()) {
        return absl::PermissionDeniedError(absl::StrCat("conflict of interest: ", who.subject,
                                                        " may not score entry ", entry.id(), ": ",
                                                        conflict));
      }
    }
    fed::Violations v;
    ValidateSheet(v, sheet, contest, "sheet.");
    RETURN_IF_ERROR(v.ToStatus());
    if (entry.withdrawn()) {
      return absl::FailedPreconditionError(absl::StrCat("entry ", entry.id(), " was withdrawn"));
    }
    if (contest.state() != v1::CONTEST_STATE_JUDGING) {
      return absl::FailedPreconditionError(
          absl::StrCat("contest ", contest.id(), " is ", fed::EnumWord(contest.state()),
                       "; sheets are accepted and revised only while JUDGING"));
    }
    std::map<std::string, int64_t> hundredths;
    for (const auto& s : sheet.scores()) hundredths[s.criterion_code()] = ToHundredths(s.points());
    int64_t total = 0;
    for (const auto& c : contest.criteria()) total += c.weight() * hundredths[c.code()];
    *out = storage::UpsertSheet(
        txn, contest.id(), sheet, hundredths, total,
        fed::AuditOf(who, "SubmitScoreSheet", absl::StrCat("entry/", entry.id()), req));
    return absl::OkStatus();
  });
}

absl::Status Competition::ListScoreSheets(const Principal& who,
                                          const v1::ListScoreSheetsRequest& req,
                                          v1::ListScoreSheetsResponse* out) {
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Entry entry, storage::LoadEntry(txn, req.entry_id(), false));
    ASSIGN_OR_RETURN(v1::Contest contest, storage::LoadContest(txn, entry.contest_id(), false));
    const bool all = ReadsEverything(who, contest);
    if (!all && who.role != v1::ROLE_JUDGE) {
      return absl::PermissionDeniedError(
          "score sheets are visible to the organiser and to their judges");
    }
    for (auto& s : storage::ListSheets(txn, entry.id())) {
      if (all || s.judge_subject() == who.subject) *out->add_sheets() = std::move(s);
    }
    if (!all && out->sheets_size() == 0 && !storage::IsAssigned(txn, entry.id(), who.subject)) {
      return absl::PermissionDeniedError(
          absl::StrCat("entry ", entry.id(), " is not assigned to ", who.subject));
    }
    return absl::OkStatus();
  });
}

}  // namespace competition
