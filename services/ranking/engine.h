// The precomputed rankings and the data they are computed from, kept fresh
// by following the aggregator's change feed.
//
// In memory: the schemes and the clusters of every year that has a scheme
// (here), each member's counted values and report timeliness per period
// (DataCache, data_cache.h), and the rankings and each cluster's figures for
// comparisons (KeptRankings, kept_rankings.h). Every cluster of a scheme
// year is ranked eagerly for the year and both half-years under the latest
// scheme version, with its figures; other rankings and figures (an older
// version, roll-up, another period) are computed on first request and then
// kept fresh the same way. A query is a map lookup.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "federation/v1/ranking.pb.h"
#include "services/common/background_loop.h"
#include "services/common/db.h"
#include "services/common/feed_follower.h"
#include "services/common/period.h"
#include "services/ranking/data_cache.h"
#include "services/ranking/kept_rankings.h"
#include "services/ranking/scoring.h"
#include "services/ranking/sources.h"

namespace ranking {

// The emulation clusters of one year, with which cluster each organisation is in.
struct YearClusters {
  explicit YearClusters(std::vector<v1::EmulationCluster> clusters);
  // nullptr when the organisation is in no cluster that year.
  const v1::EmulationCluster* Of(const std::string& code) const;

  std::vector<v1::EmulationCluster> list;
  std::unordered_map<std::string, size_t> member_of;  // code → index in list
};

// Ties the pieces together: the schemes and clusters, the data cache, the
// kept rankings, the follower of the change feed that keeps both fresh, and
// the slow refresh of clusters and unions.
class Engine {
 public:
  Engine(Sources& sources, fed::DbPool& db)
      : sources_(sources), db_(db), data_(sources), kept_(data_, sequence_) {}
  ~Engine() { Stop(); }

  // Reads schemes, self-assessments and the feed cursor, fetches clusters,
  // the provincial unions and values, and computes every eager ranking.
  absl::Status Load();

  // Follows the change feed (one WatchChanges stream: each change arrives
  // with its timeliness and counted values, so applying it calls nobody) and
  // refreshes the clusters and the provincial unions' lives (which a merger
  // recorded meanwhile changes) slowly. Stop() joins both; safe to call twice.
  void Start(absl::Duration cluster_refresh = absl::Seconds(60));
  void Stop();
  // Whether the feed follower has reached the feed's head once.
  bool caught_up() const;

  // After a scheme version or self-assessment was committed.
  absl::Status SchemeDefined(const v1::ScoringScheme& scheme);
  void SelfAssessed(const v1::SelfAssessment& assessment);

  std::vector<v1::ScoringScheme> Schemes(int year) const;  // year 0: all
  // version 0: the latest. nullptr when none.
  SchemePtr Scheme(int year, int version) const;

  // The clusters of `year` (cached; fetched from the registry when new).
  // Shared, not copied: every query asks for its year's clusters.
  using ClusterList = std::shared_ptr<const YearClusters>;
  absl::StatusOr<ClusterList> Clusters(int year);

  // Every method below that may fetch from another service returns
  // fed::WouldBlockError() instead when fed::BlockingAllowed() is false, so
  // queries answered from memory never leave gRPC's thread.

  // One cluster's ranking (precomputed, or computed now and kept).
  absl::StatusOr<RankingPtr> Ranking(const v1::EmulationCluster& cluster, const fed::Period& period,
                                     const SchemePtr& scheme, bool roll_up);
  // Counted values of the organisations for the period, fetched if needed.
  absl::StatusOr<std::vector<OrgPeriod>> Data(const std::vector<std::string>& codes,
                                              const fed::Period& period, bool roll_up);
  // One cluster's figures for comparisons (kept, or computed now and kept).
  absl::StatusOr<FiguresPtr> Figures(const v1::EmulationCluster& cluster, const fed::Period& period,
                                     bool roll_up);

  // Recomputes every kept ranking and comparison figures from the data in
  // memory (the benchmark's "everything" figure); returns how many rankings.
  int RecomputeAll();

  int64_t sequence() const { return sequence_.load(); }
  size_t ranking_count() const;

  // The last page of changes the follower applied: how many changes, how
  // many kept rankings they made it recompute, and how long that took
  // (values refetched for the organisations named, then the recomputing).
  struct Refresh {
    int changes = 0;
    int recomputed = 0;
    absl::Duration took;
  };
  Refresh last_refresh() const;

 private:
  absl::Status RankYear(int year);  // the eager set of one year
  // Applies a batch of the feed and stores its cursor; returns how many
  // rankings were recomputed.
  absl::StatusOr<int> ApplyFeed(const fed::FeedFollower::Batch& batch);
  // The feed lost what comes after our cursor: everything is fetched again.
  absl::Status Reload();
  // Fetches clusters, receipts and values of every scheme's year and ranks them.
  absl::Status LoadRankings() ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // A merger recorded while the service runs changes who is expected for
  // which period: the kept timeliness and every ranking follow it.
  absl::Status RefreshUnions();
  absl::Status RefreshClusters();

  Sources& sources_;
  fed::DbPool& db_;
  std::atomic<int64_t> sequence_{0};

  DataCache data_;
  KeptRankings kept_;

  mutable absl::Mutex mu_;
  std::map<int, std::vector<SchemePtr>> schemes_ ABSL_GUARDED_BY(mu_);  // by version
  std::map<int, ClusterList> clusters_ ABSL_GUARDED_BY(mu_);
  Refresh last_refresh_ ABSL_GUARDED_BY(mu_);
  // Serialises the writers of kept data and rankings (the feed follower,
  // scheme definitions, self-assessments), so that a ranking recomputed
  // under a shared lock is never replaced by one computed from older data.
  absl::Mutex write_mu_ ABSL_ACQUIRED_BEFORE(mu_);

  std::unique_ptr<fed::FeedFollower> follower_;
  // The slow refresh of clusters and unions, and what only its rounds touch.
  fed::BackgroundLoop::Next RefreshRound();
  std::unique_ptr<fed::BackgroundLoop> refresher_;
  absl::Duration cluster_refresh_ = absl::Seconds(60);
  absl::Duration refresh_wait_ = absl::Seconds(60);
  bool first_refresh_round_ = true;
};

}  // namespace ranking
