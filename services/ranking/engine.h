// The precomputed rankings and the data they are computed from, kept fresh
// by following the aggregator's change feed.
//
// In memory: the clusters of every year that has a scheme, each member's
// counted values and report timeliness per period (fetched from the
// aggregator once, then refetched only for the organisations a change
// names), the rankings themselves, and each cluster's figures for
// comparisons (statistics of every indicator). Every cluster of a scheme
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
#include "services/ranking/scoring.h"
#include "services/ranking/sources.h"

namespace ranking {

// One computed ranking, immutable once made and shared by every reader.
class ComputedRanking {
 public:
  explicit ComputedRanking(v1::ClusterRanking ranking) : proto_(std::move(ranking)) {}
  const v1::ClusterRanking& proto() const { return proto_; }
  // The ranking encoded as one entry of GetRankingResponse.rankings (field
  // tag, length, message), made once on first request: a GetRanking answer
  // is these bytes concatenated, never a copy of the message re-encoded.
  // `totals_only` leaves out each entry's breakdown and adjustments.
  const std::string& Encoded(bool totals_only) const;

 private:
  struct Encoding {
    std::once_flag once;
    std::string bytes;
  };
  v1::ClusterRanking proto_;
  mutable Encoding full_, totals_;
};
using RankingPtr = std::shared_ptr<const ComputedRanking>;
using SchemePtr = std::shared_ptr<const v1::ScoringScheme>;

// The emulation clusters of one year, with which cluster each organisation is in.
struct YearClusters {
  explicit YearClusters(std::vector<v1::EmulationCluster> clusters);
  // nullptr when the organisation is in no cluster that year.
  const v1::EmulationCluster* Of(const std::string& code) const;

  std::vector<v1::EmulationCluster> list;
  std::unordered_map<std::string, size_t> member_of;  // code → index in list
};

using FiguresPtr = std::shared_ptr<const ClusterFigures>;

class Engine {
 public:
  Engine(Sources& sources, fed::DbPool& db) : sources_(sources), db_(db) {}
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
  static std::string DataKey(const std::string& code, const std::string& period);
  static std::string RankingKey(int year, int number, const std::string& period, int version,
                                bool roll_up);
  static std::string FiguresKey(int year, int number, const std::string& period, bool roll_up);
  struct Kept {
    v1::EmulationCluster cluster;
    fed::Period period;
    SchemePtr scheme;
    bool roll_up;
    RankingPtr ranking;
  };
  struct KeptFigures {
    v1::EmulationCluster cluster;
    fed::Period period;
    bool roll_up;
    FiguresPtr figures;
  };

  // Fetches (without holding mu_) and keeps the values and receipts of
  // `codes` for the period that are not kept yet (all of them on refetch).
  absl::Status Fetch(const std::vector<std::string>& codes, const fed::Period& period, bool roll_up,
                     bool refetch);
  // One round of that for `missing`.
  absl::Status FetchNow(const std::vector<std::string>& missing, const fed::Period& period,
                        bool roll_up, bool refetch);
  // Keeps what was fetched for (code, period); empty values = nothing counted.
  void Keep(const std::string& code, const fed::Period& period, bool roll_up,
            Sources::Counted counted) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status FetchRanges(const std::vector<std::string>& codes, int from_year, int to_year);
  absl::Status EnsureReceipts(const std::vector<std::string>& codes,
                              const std::vector<fed::Period>& halves, bool refetch);
  void CountReceipt(const std::string& code, const fed::Period& half, Timeliness& t) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // What the registry says of a provincial union (an empty life, always
  // existing, when it knows nothing yet).
  const OrgLife& LifeOf(const std::string& code) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Recounts the timeliness of every kept value after the unions' lives changed.
  void RetimeKept() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Timeliness TimelinessOf(const std::string& code, const fed::Period& period) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // With the reports of its predecessors while they existed.
  Timeliness RolledTimelinessOf(const std::string& code, const fed::Period& period) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  RankingPtr Compute(const v1::EmulationCluster& cluster, const fed::Period& period,
                     const v1::ScoringScheme& scheme, bool roll_up) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  FiguresPtr ComputeFigures(const v1::EmulationCluster& cluster, const fed::Period& period,
                            bool roll_up) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Recomputes the kept rankings and figures the predicates select (each is
  // given a Kept or a KeptFigures), computing under a shared lock so that
  // queries go on meanwhile; returns how many rankings.
  template <typename WhichRankings, typename WhichFigures>
  int Recompute(WhichRankings which_rankings, WhichFigures which_figures) ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status RankYear(int year);  // the eager set of one year
  // Applies a batch of the feed and stores its cursor; returns how many
  // rankings were recomputed.
  absl::StatusOr<int> ApplyFeed(const fed::FeedFollower::Batch& batch);
  // Keeps the counted values a described change carries, for the
  // organisations and periods kept here (receipts are kept before).
  void KeepDescribed(const v1::FeedChange& change, const std::vector<int>& index)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
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
  std::atomic<int64_t> pages_applied_{0};  // pages of changes the follower began to apply

  mutable absl::Mutex mu_;
  std::map<int, std::vector<SchemePtr>> schemes_ ABSL_GUARDED_BY(mu_);  // by version
  std::map<int, ClusterList> clusters_ ABSL_GUARDED_BY(mu_);
  // Every provincial union by code: name and when it existed.
  std::map<std::string, OrgLife> unions_ ABSL_GUARDED_BY(mu_);
  // Counted values by "code|period": as reported, and with merged
  // predecessors rolled in (kept apart: a change drops every rolled-up
  // value of its period, and there are few of those).
  std::unordered_map<std::string, OrgPeriod> data_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, OrgPeriod> rolled_ ABSL_GUARDED_BY(mu_);
  // Predecessors of the organisations whose rolled-up values are kept.
  std::unordered_map<std::string, std::vector<Sources::Predecessor>> predecessors_
      ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, Receipt> receipts_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, v1::SelfAssessment> self_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, Kept> rankings_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, KeptFigures> figures_ ABSL_GUARDED_BY(mu_);
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
