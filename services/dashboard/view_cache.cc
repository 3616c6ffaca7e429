#include "services/dashboard/view_cache.h"

#include "absl/time/clock.h"

namespace dashboard {

ViewCache::ViewCache(absl::Duration max_age, size_t max_views)
    : max_age_(max_age), max_views_(max_views) {}

absl::StatusOr<std::string> ViewCache::Get(const std::string& key, int64_t sequence, bool keep,
                                           const Build& build) {
  absl::MutexLock lock(&mu_);
  View& view = views_[key];  // std::map: the reference outlives other keys' changes
  ++view.users;              // ... and eviction, which skips views in use
  for (;;) {
    if (keep && view.sequence >= sequence && absl::Now() - view.built < max_age_) {
      --view.users;
      return view.json;
    }
    // While another request rebuilds the view, the one kept answers at
    // once: it says which sequence it is of (the board's `sequence`), and
    // the live events after it follow. Waiting for each rebuild during a
    // push storm (a change every 100 ms) kept a hundred viewers waiting
    // most of the time.
    if (keep && view.building && view.sequence >= 0 && absl::Now() - view.built < max_age_) {
      --view.users;
      return view.json;
    }
    // A build under way for this sequence or a later one answers this
    // request too: wait for it rather than start another.
    if (!keep || !view.building || view.building_sequence < sequence) break;
    mu_.Await(absl::Condition(
        +[](View* v) { return !v->building; }, &view));
    if (view.sequence < sequence) break;  // it failed: build here
  }
  const bool owner = keep && !view.building;
  if (owner) {
    view.building = true;
    view.building_sequence = sequence;
  }
  ++builds_;
  mu_.Unlock();
  absl::StatusOr<std::string> json = build();
  mu_.Lock();
  if (owner) view.building = false;
  if (json.ok() && keep && sequence >= view.sequence) {
    view.sequence = sequence;
    view.built = absl::Now();
    view.json = *json;
  }
  --view.users;
  EvictLocked();
  return json;
}

int64_t ViewCache::builds() const {
  absl::MutexLock lock(&mu_);
  return builds_;
}

void ViewCache::EvictLocked() {
  while (views_.size() > max_views_) {
    auto oldest = views_.end();
    for (auto it = views_.begin(); it != views_.end(); ++it) {
      if (it->second.users > 0) continue;
      if (oldest == views_.end() || it->second.built < oldest->second.built) oldest = it;
    }
    if (oldest == views_.end()) return;
    views_.erase(oldest);
  }
}

}  // namespace dashboard
