#include "services/aggregator/feed_pruner.h"

#include "absl/time/clock.h"
#include "services/aggregator/storage.h"
#include "services/common/log.h"

namespace aggregator {

FeedPruner::FeedPruner(fed::DbPool& db, absl::Duration retention)
    : db_(db), retention_(retention), loop_("feed-pruner", [this]() -> fed::BackgroundLoop::Next {
        auto pruned = PruneOnce();
        if (!pruned.ok()) {
          spdlog::warn("event=feed_prune_failed error={}",
                       fed::LogQuoted(pruned.status().message()));
        } else if (*pruned > 0) {
          spdlog::info("event=feed_pruned changes={}", *pruned);
        }
        return {absl::Hours(1), /*wakeable=*/false};
      }) {}

absl::StatusOr<int64_t> FeedPruner::PruneOnce() {
  int64_t pruned = 0;
  absl::Status status = db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    pruned = storage::PruneChanges(txn, absl::Now() - retention_);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return pruned;
}

}  // namespace aggregator
