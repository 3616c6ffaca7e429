// All of the competition service's SQL, parameterised; lists travel as one
// array parameter (fed::PgTextArray / PgNumberArray).
#pragma once

#include <optional>

#include <map>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "absl/status/statusor.h"
#include "federation/v1/competition.pb.h"
#include "services/common/audit.h"
#include "services/competition/calibration.h"
#include "services/competition/scoring.h"

namespace competition::storage {

namespace v1 = federation::v1;

// Contests ------------------------------------------------------------------
// With `lock`, holds the contest's row and its sheet lock (see
// LoadSheetContext) until the transaction ends: a change of the contest
// waits for the score sheets being written and they wait for it.
absl::StatusOr<v1::Contest> LoadContest(pqxx::work& txn, int64_t id, bool lock);
int64_t InsertContest(pqxx::work& txn, const v1::Contest& contest, const std::string& actor);
bool ContestEditionExists(pqxx::work& txn, const std::string& organizer, v1::ContestKind kind,
                          int edition, int64_t except_id);
void UpdateContest(pqxx::work& txn, const v1::Contest& contest, const std::string& actor);
void SetContestState(pqxx::work& txn, int64_t id, v1::ContestState from, v1::ContestState to,
                     const std::string& actor, const std::string& note);
std::vector<v1::Contest> ListContests(pqxx::work& txn, const v1::ListContestsRequest& filter);
std::vector<v1::ContestStateChange> ListStateChanges(pqxx::work& txn, int64_t contest_id);

// Entries -------------------------------------------------------------------
int64_t InsertEntry(pqxx::work& txn, const v1::Entry& entry, const std::string& author_key,
                    const std::string& actor);
absl::StatusOr<v1::Entry> LoadEntry(pqxx::work& txn, int64_t id, bool lock);
// With their judges when `with_judges`.
std::vector<v1::Entry> ListEntries(pqxx::work& txn, int64_t contest_id, const std::string& field,
                                   bool include_withdrawn, bool with_judges);
// An active entry of the contest with this title (case-insensitive) and authors, or 0.
int64_t FindSameWork(pqxx::work& txn, int64_t contest_id, const std::string& title,
                     const std::string& author_key);
// An active nomination of `from_entry` in `contest_id`, or 0.
int64_t FindNomination(pqxx::work& txn, int64_t contest_id, int64_t from_entry);
void WithdrawEntry(pqxx::work& txn, int64_t id, const std::string& reason);
// Entries nominated from `id` (any contest).
std::vector<int64_t> NominationsOf(pqxx::work& txn, int64_t id);

// Judges and assignments ----------------------------------------------------
void UpsertJudge(pqxx::work& txn, const v1::Judge& judge);
std::vector<v1::Judge> ListJudges(pqxx::work& txn, int64_t contest_id);
absl::StatusOr<v1::Judge> LoadJudge(pqxx::work& txn, int64_t contest_id,
                                    const std::string& subject);
void InsertAssignments(pqxx::work& txn, int64_t contest_id,
                       const std::vector<std::pair<int64_t, std::string>>& pairs, bool manual);
void DeleteAssignment(pqxx::work& txn, int64_t entry_id, const std::string& judge);
bool IsAssigned(pqxx::work& txn, int64_t entry_id, const std::string& judge);
// Entry ids assigned to a judge in a contest.
std::vector<int64_t> AssignedEntries(pqxx::work& txn, int64_t contest_id, const std::string& judge);

// Score sheets --------------------------------------------------------------
// What scoring one entry needs, in two statements: the entry, its contest
// (state, criteria), whether `judge` is assigned to it and the judge's
// organisation on the contest's panel. Takes the contest's sheet lock shared
// first, so that sheets do not wait for one another, while a change of the
// contest (LoadContest with lock, e.g. closing the judging) waits for them;
// a row lock (FOR SHARE) on the contest did the same, but wrote the row at
// every sheet and made PostgreSQL build a multixact per overlap.
struct SheetContext {
  v1::Entry entry;      // without authors, summary or judges
  v1::Contest contest;  // without its entry count
  bool assigned = false;
  std::optional<std::string> judge_organization;  // nullopt: not on the panel
};
absl::StatusOr<SheetContext> LoadSheetContext(pqxx::work& txn, int64_t entry_id,
                                              const std::string& judge);

// Inserts or revises, writing `audit` in the same statement; returns the
// stored sheet.
v1::ScoreSheet UpsertSheet(pqxx::work& txn, int64_t contest_id, const v1::ScoreSheet& sheet,
                           const std::map<std::string, int64_t>& hundredths, int64_t total,
                           const fed::AuditEntry& audit);
absl::StatusOr<v1::ScoreSheet> LoadSheet(pqxx::work& txn, int64_t entry_id,
                                         const std::string& judge);
std::vector<v1::ScoreSheet> ListSheets(pqxx::work& txn, int64_t entry_id);
// entry id -> totals of its sheets, for active entries of the contest.
std::map<int64_t, std::vector<int64_t>> SheetTotals(pqxx::work& txn, int64_t contest_id);
// Every sheet of the contest's active entries with its judge (points), by
// entry then judge: what the jury's statistics are computed from.
std::vector<SheetTotal> ContestSheets(pqxx::work& txn, int64_t contest_id);

// Results -------------------------------------------------------------------
void ReplaceResults(pqxx::work& txn, int64_t contest_id, const std::vector<Ranked>& ranked);
void SetPrizes(pqxx::work& txn, const std::vector<Ranked>& ranked);
// The stored results of a contest, in rank order (unranked last), ties listed.
std::vector<Ranked> LoadResults(pqxx::work& txn, int64_t contest_id);

// Statistics ----------------------------------------------------------------
std::vector<v1::StatisticsRow> Statistics(pqxx::work& txn, const v1::StatisticsRequest& filter,
                                          bool totals);

}  // namespace competition::storage
