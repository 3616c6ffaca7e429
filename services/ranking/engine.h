// The precomputed rankings and the data they are computed from, kept fresh
// by following the aggregator's change feed.
//
// In memory: the clusters of every year that has a scheme, each member's
// counted values and report timeliness per period (fetched from the
// aggregator once, then refetched only for the organisations a change
// names), and the rankings themselves. Every cluster of a scheme year is
// ranked eagerly for the year and both half-years under the latest scheme
// version; other rankings (an older version, roll-up, another period) are
// computed on first request and then kept fresh the same way. A query is a
// map lookup.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "federation/v1/ranking.pb.h"
#include "services/common/db.h"
#include "services/common/period.h"
#include "services/ranking/scoring.h"
#include "services/ranking/sources.h"

namespace ranking {

using RankingPtr = std::shared_ptr<const v1::ClusterRanking>;

class Engine {
 public:
  Engine(Sources& sources, fed::DbPool& db) : sources_(sources), db_(db) {}
  ~Engine() { Stop(); }

  // Reads schemes, self-assessments and the feed cursor, fetches clusters,
  // names and values, and computes every eager ranking.
  absl::Status Load();

  // The background follower of the change feed (and a slow refresh of the
  // clusters). Stop() joins it; safe to call twice.
  void Start(absl::Duration poll_interval, absl::Duration cluster_refresh = absl::Seconds(60));
  void Stop();
  // Applies every change in the feed now; returns how many were read.
  absl::StatusOr<int> CatchUp();

  // After a scheme version or self-assessment was committed.
  absl::Status SchemeDefined(const v1::ScoringScheme& scheme);
  void SelfAssessed(const v1::SelfAssessment& assessment);

  std::vector<v1::ScoringScheme> Schemes(int year) const;  // year 0: all
  // version 0: the latest. nullopt when none.
  std::optional<v1::ScoringScheme> Scheme(int year, int version) const;

  // The clusters of `year` (cached; fetched from the registry when new).
  // Shared, not copied: every query asks for its year's clusters.
  using ClusterList = std::shared_ptr<const std::vector<v1::EmulationCluster>>;
  absl::StatusOr<ClusterList> Clusters(int year);

  // One cluster's ranking (precomputed, or computed now and kept).
  absl::StatusOr<RankingPtr> Ranking(const v1::EmulationCluster& cluster, const fed::Period& period,
                                     const v1::ScoringScheme& scheme, bool roll_up);
  // Counted values of the organisations for the period, fetched if needed.
  absl::StatusOr<std::vector<OrgPeriod>> Data(const std::vector<std::string>& codes,
                                              const fed::Period& period, bool roll_up);

  // Recomputes every kept ranking from the data in memory (the benchmark's
  // "after one report changed, everything" figure); returns how many.
  int RecomputeAll();

  int64_t sequence() const { return sequence_.load(); }
  size_t ranking_count() const;

 private:
  static std::string DataKey(const std::string& code, const std::string& period, bool roll_up);
  static std::string RankingKey(int year, int number, const std::string& period, int version,
                                bool roll_up);
  struct Kept {
    v1::EmulationCluster cluster;
    fed::Period period;
    v1::ScoringScheme scheme;
    bool roll_up;
    RankingPtr ranking;
  };

  // Fetches (without holding mu_) what `keys` need and stores it.
  absl::Status Fetch(const std::vector<std::string>& codes, const fed::Period& period, bool roll_up,
                     bool refetch);
  absl::Status FetchRanges(const std::vector<std::string>& codes, int from_year, int to_year);
  absl::Status EnsureReceipts(const std::vector<std::string>& codes,
                              const std::vector<fed::Period>& halves, bool refetch);
  Timeliness TimelinessOf(const std::string& code, const fed::Period& period) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  RankingPtr Compute(const v1::EmulationCluster& cluster, const fed::Period& period,
                     const v1::ScoringScheme& scheme, bool roll_up) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  absl::Status RankYear(int year);  // the eager set of one year
  absl::Status ApplyChanges(const v1::ListChangesResponse& page);
  absl::Status RefreshClusters();
  void Follow();

  Sources& sources_;
  fed::DbPool& db_;
  std::atomic<int64_t> sequence_{0};

  mutable absl::Mutex mu_;
  std::map<int, std::vector<v1::ScoringScheme>> schemes_ ABSL_GUARDED_BY(mu_);
  std::map<int, ClusterList> clusters_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> names_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, OrgPeriod> data_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, Receipt> receipts_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, v1::SelfAssessment> self_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, Kept> rankings_ ABSL_GUARDED_BY(mu_);

  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread follower_;
  absl::Duration poll_ = absl::Milliseconds(200);
  absl::Duration cluster_refresh_ = absl::Seconds(60);
};

}  // namespace ranking
