// The national aggregator's behaviour apart from the push stream (see
// intake.h): review decisions, reading reports and the change feed, and the
// national figures. Each method authorises (access.h), validates
// (validate.h), then works.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "federation/v1/aggregator.pb.h"
#include "services/aggregator/directory.h"
#include "services/aggregator/figures.h"
#include "services/aggregator/leadership.h"
#include "services/common/auth.h"
#include "services/common/db.h"

namespace aggregator {

using fed::Principal;

class Aggregator {
 public:
  // `leadership` fences the writes when aggregators run active/standby
  // (leadership.h); null when this one is the only one there can be.
  Aggregator(fed::DbPool& db, Figures& figures, Directory& directory,
             const Leadership* leadership = nullptr)
      : db_(db), figures_(figures), directory_(directory), leadership_(leadership) {}

  // Reading reports, review decisions and the change feed (review.cc)
  //
  // Rebuilds the in-memory figures from PostgreSQL (at start-up).
  absl::Status LoadFigures();

  absl::Status GetReport(const Principal& who, const v1::GetReportRequest& req, v1::Report* out);
  absl::Status ListRevisions(const Principal& who, const v1::ListRevisionsRequest& req,
                             v1::ListRevisionsResponse* out);

  absl::Status AcceptReport(const Principal& who, const v1::ReviewRequest& req, v1::Report* out);
  absl::Status ReturnReport(const Principal& who, const v1::ReviewRequest& req, v1::Report* out);
  absl::Status ReopenReport(const Principal& who, const v1::ReviewRequest& req, v1::Report* out);

  absl::Status ListChanges(const Principal& who, const v1::ListChangesRequest& req,
                           v1::ListChangesResponse* out);

  // One page of the feed from PostgreSQL (the WatchChanges stream catching
  // up): OUT_OF_RANGE when `after` is below the pruned horizon, unless
  // skip_pruned moves it there (pruned_gap).
  struct FeedPage {
    std::vector<v1::ReportChange> changes;
    int64_t through = 0;  // everything up to here was looked at
    bool pruned_gap = false;
  };
  absl::StatusOr<FeedPage> ReadFeed(int64_t after, const std::vector<std::string>& orgs, int limit,
                                    bool skip_pruned);
  Figures& figures() { return figures_; }

  // National figures (queries.cc)
  absl::Status GetTotals(const Principal& who, const v1::TotalsRequest& req,
                         v1::TotalsResponse* out);
  absl::Status GetCoverage(const Principal& who, const v1::CoverageRequest& req,
                           v1::CoverageResponse* out);
  absl::Status GetCompleteness(const Principal& who, const v1::CompletenessRequest& req,
                               v1::CompletenessResponse* out);
  absl::Status GetSeries(const Principal& who, const v1::SeriesRequest& req,
                         v1::SeriesResponse* out);
  absl::Status GetCountedValues(const Principal& who, const v1::CountedValuesRequest& req,
                                v1::CountedValuesResponse* out);

 private:
  enum class Decision { kAccept, kReturn, kReopen };
  absl::Status Decide(const Principal& who, const v1::ReviewRequest& req, Decision decision,
                      v1::Report* out);

  fed::DbPool& db_;
  Figures& figures_;
  Directory& directory_;
  const Leadership* const leadership_;

  // Completeness answers by (period, map day, kind, board), valid while the
  // figures' sequence and the expected list are the ones they were built from.
  struct CompletenessMemo {
    int64_t sequence;
    Directory::OrganizationList expected;
    v1::CompletenessResponse response;
  };
  static constexpr size_t kMaxCompletenessMemo = 512;
  absl::Mutex memo_mu_;
  std::map<std::string, CompletenessMemo> completeness_memo_ ABSL_GUARDED_BY(memo_mu_);
};

}  // namespace aggregator
