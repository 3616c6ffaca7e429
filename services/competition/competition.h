// The competition service's behaviour, independent of gRPC: each method
// authorises the caller, validates the request (every problem with its
// field), and makes its change in one transaction with its audit row.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <utility>

#include <pqxx/pqxx>

#include "absl/synchronization/mutex.h"
#include "federation/v1/competition.pb.h"
#include "services/common/auth.h"
#include "services/common/db.h"
#include "services/common/validation.h"
#include "services/competition/directory.h"
#include "services/competition/jury.h"

namespace competition {

namespace v1 = federation::v1;
using fed::Principal;

class Competition {
 public:
  Competition(fed::DbPool& db, Directory& directory) : db_(db), directory_(directory) {}

  // Contests and their state machine (contests.cc)
  absl::Status CreateContest(const Principal& who, const v1::CreateContestRequest& req,
                             v1::Contest* out);
  absl::Status UpdateContest(const Principal& who, const v1::UpdateContestRequest& req,
                             v1::Contest* out);
  absl::Status GetContest(const Principal& who, const v1::GetContestRequest& req, v1::Contest* out);
  absl::Status ListContests(const Principal& who, const v1::ListContestsRequest& req,
                            v1::ListContestsResponse* out);
  absl::Status TransitionContest(const Principal& who, const v1::TransitionContestRequest& req,
                                 v1::Contest* out);
  absl::Status ListContestHistory(const Principal& who, const v1::ListContestHistoryRequest& req,
                                  v1::ListContestHistoryResponse* out);

  // Entries, withdrawal and nomination (entries.cc)
  absl::Status SubmitEntry(const Principal& who, const v1::SubmitEntryRequest& req, v1::Entry* out);
  absl::Status WithdrawEntry(const Principal& who, const v1::WithdrawEntryRequest& req,
                             v1::Entry* out);
  absl::Status GetEntry(const Principal& who, const v1::GetEntryRequest& req, v1::Entry* out);
  absl::Status ListEntries(const Principal& who, const v1::ListEntriesRequest& req,
                           v1::ListEntriesResponse* out);
  absl::Status NominateEntry(const Principal& who, const v1::NominateEntryRequest& req,
                             v1::Entry* out);
  absl::Status GetEntryHistory(const Principal& who, const v1::GetEntryHistoryRequest& req,
                               v1::EntryHistory* out);

  // Panels, assignments and score sheets (judging.cc)
  absl::Status AddJudge(const Principal& who, const v1::AddJudgeRequest& req, v1::Judge* out);
  absl::Status ListJudges(const Principal& who, const v1::ListJudgesRequest& req,
                          v1::ListJudgesResponse* out);
  absl::Status AutoAssign(const Principal& who, const v1::AutoAssignRequest& req,
                          v1::AutoAssignResponse* out);
  absl::Status AssignJudge(const Principal& who, const v1::AssignJudgeRequest& req,
                           v1::AssignJudgeResponse* out);
  absl::Status ListAssignments(const Principal& who, const v1::ListAssignmentsRequest& req,
                               v1::ListAssignmentsResponse* out);
  absl::Status SubmitScoreSheet(const Principal& who, const v1::SubmitScoreSheetRequest& req,
                                v1::ScoreSheet* out);
  absl::Status ListScoreSheets(const Principal& who, const v1::ListScoreSheetsRequest& req,
                               v1::ListScoreSheetsResponse* out);

  // Results, statistics and reporting figures (results.cc)
  absl::Status GetResults(const Principal& who, const v1::GetResultsRequest& req,
                          v1::GetResultsResponse* out);
  absl::Status GetStatistics(const Principal& who, const v1::StatisticsRequest& req,
                             v1::StatisticsResponse* out);
  absl::Status GetReportingFigures(const Principal& who, const v1::ReportingFiguresRequest& req,
                                   v1::ReportingFiguresResponse* out);

 private:
  // Registry checks of an organisation code, added to `v` under `field`
  // (contests.cc).
  // Returns false when the registry could not be asked (status in *error).
  bool CheckOrganization(fed::Violations& v, const std::string& field, const std::string& code,
                         absl::Status* error);
  // An organisation's place in the registry's tree; a code the registry does
  // not know is a lineage of itself (judging.cc).
  absl::StatusOr<Lineage> LineageOf(const std::string& code);
  // Why a judge of `judge_org` must not score entries from `source_org`,
  // empty when they may; UNAVAILABLE when the registry cannot tell (judging.cc).
  absl::StatusOr<std::string> ConflictBetween(const std::string& judge_org,
                                              const std::string& source_org);

  // The jury's statistics of a closed contest, computed once per version of
  // the contest (its sheets cannot change after judging closes) rather than
  // on every read of its results (results.cc).
  std::shared_ptr<const JuryStatistics> JuryOf(pqxx::work& txn, const v1::Contest& contest);

  fed::DbPool& db_;
  Directory& directory_;

  absl::Mutex jury_mu_;
  // contest id -> (updated_at in microseconds, its statistics)
  std::map<int64_t, std::pair<int64_t, std::shared_ptr<const JuryStatistics>>> jury_
      ABSL_GUARDED_BY(jury_mu_);
};

}  // namespace competition
