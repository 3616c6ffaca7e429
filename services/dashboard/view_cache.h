// The board's JSON views (the board, the totals, the coverage figures of a
// period) kept in memory while the change feed stands still. A view is
// rebuilt once per move of the feed, by the first request that finds it
// stale; requests arriving meanwhile get the view kept until then (or,
// when there is none yet, wait for that one build) instead of calling the
// services themselves. On deadline day a hundred viewers
// watching while the provinces push would otherwise make a hundred builds
// (three or four gRPC calls each) per change, and each build renders its
// JSON again.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace dashboard {

class ViewCache {
 public:
  // A view older than `max_age` is rebuilt even if the feed stood still:
  // what the feed does not carry (clusters, names) changes too. At most
  // `max_views` views are kept (the least recently built go first).
  ViewCache(absl::Duration max_age, size_t max_views);

  using Build = std::function<absl::StatusOr<std::string>()>;
  // The view `key` as of feed sequence `sequence` or later: the kept one,
  // a new build, or, while another request builds it, the kept one even if
  // older (or that build's result when nothing is kept yet). `keep` false (the feed has not
  // caught up yet, so its sequence says nothing) builds without keeping.
  absl::StatusOr<std::string> Get(const std::string& key, int64_t sequence, bool keep,
                                  const Build& build) ABSL_LOCKS_EXCLUDED(mu_);

  // How many builds ran (for tests).
  int64_t builds() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct View {
    int64_t sequence = -1;  // -1: nothing kept
    absl::Time built;
    std::string json;
    bool building = false;
    int64_t building_sequence = -1;
    int users = 0;  // requests holding this view: never evicted meanwhile
  };
  void EvictLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const absl::Duration max_age_;
  const size_t max_views_;
  mutable absl::Mutex mu_;
  std::map<std::string, View> views_ ABSL_GUARDED_BY(mu_);
  int64_t builds_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace dashboard
