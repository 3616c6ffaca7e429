// The rankings and comparison figures kept ready to answer queries, each
// computed from the DataCache and computed again when what it reads changes.
// A query is a map lookup; nothing here calls another service.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/synchronization/mutex.h"
#include "federation/v1/ranking.pb.h"
#include "services/common/period.h"
#include "services/ranking/data_cache.h"
#include "services/ranking/scoring.h"

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
using FiguresPtr = std::shared_ptr<const ClusterFigures>;

class KeptRankings {
 public:
  // `sequence`: the change feed position the data has reached, stamped on
  // every ranking computed (its source_sequence).
  KeptRankings(DataCache& data, const std::atomic<int64_t>& sequence)
      : data_(data), sequence_(sequence) {}

  // What one kept ranking or figures entry is of.
  struct Of {
    v1::EmulationCluster cluster;
    fed::Period period;
    bool roll_up = false;
  };

  // The kept ranking (nullptr when none is kept).
  RankingPtr Find(const v1::EmulationCluster& cluster, const fed::Period& period, int version,
                  bool roll_up) const ABSL_LOCKS_EXCLUDED(mu_);
  FiguresPtr FindFigures(const v1::EmulationCluster& cluster, const fed::Period& period,
                         bool roll_up) const ABSL_LOCKS_EXCLUDED(mu_);
  // Computes from the data kept now and keeps (replacing what was kept).
  // The data of the cluster's members must have been fetched.
  RankingPtr Rank(const v1::EmulationCluster& cluster, const fed::Period& period,
                  const SchemePtr& scheme, bool roll_up) ABSL_LOCKS_EXCLUDED(mu_);
  FiguresPtr Figure(const v1::EmulationCluster& cluster, const fed::Period& period, bool roll_up)
      ABSL_LOCKS_EXCLUDED(mu_);

  using Which = absl::FunctionRef<bool(const Of&)>;
  // Computes again the kept rankings and figures `rankings` and `figures`
  // select, under a shared lock of the data so that queries go on meanwhile;
  // returns how many rankings. Callers serialise writers of the data (see
  // Engine::write_mu_), so a result is never replaced by an older one.
  int Recompute(Which rankings, Which figures) ABSL_LOCKS_EXCLUDED(mu_);
  // Forgets the kept rankings and figures `which` selects.
  void Forget(Which which) ABSL_LOCKS_EXCLUDED(mu_);

  size_t size() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Kept {
    Of of;
    SchemePtr scheme;
    RankingPtr ranking;
  };
  struct KeptFigures {
    Of of;
    FiguresPtr figures;
  };
  static std::string RankingKey(const v1::EmulationCluster& cluster, const fed::Period& period,
                                int version, bool roll_up);
  static std::string FiguresKey(const v1::EmulationCluster& cluster, const fed::Period& period,
                                bool roll_up);
  RankingPtr Compute(const Of& of, const v1::ScoringScheme& scheme) const
      ABSL_SHARED_LOCKS_REQUIRED(data_.mu());
  FiguresPtr ComputeFigures(const Of& of) const ABSL_SHARED_LOCKS_REQUIRED(data_.mu());

  DataCache& data_;
  const std::atomic<int64_t>& sequence_;
  mutable absl::Mutex mu_;  // taken after data_.mu(), never before
  std::unordered_map<std::string, Kept> rankings_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, KeptFigures> figures_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ranking
