// Keeps the change feed from growing for ever: once an hour, changes older
// than the retention period are deleted (the newest always stays) and the
// feed's horizon moves, so that a follower asking from before it is told
// (OUT_OF_RANGE) instead of silently missing changes. Decisions themselves
// stay on their revisions and in the audit log.
#pragma once

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/background_loop.h"
#include "services/common/db.h"

namespace aggregator {

class FeedPruner {
 public:
  FeedPruner(fed::DbPool& db, absl::Duration retention);
  void Start() { loop_.Start(); }

  // One pruning pass; returns how many changes went.
  absl::StatusOr<int64_t> PruneOnce();

 private:
  fed::DbPool& db_;
  const absl::Duration retention_;
  fed::BackgroundLoop loop_;  // last: stopped before what it uses goes
};

}  // namespace aggregator
