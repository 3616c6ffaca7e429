// Follows the aggregator's change feed (one WatchChanges stream, see
// fed::FeedFollower) and keeps the latest changes in memory, so that any
// number of browsers can wait for news (server-sent events) while the
// aggregator sees one follower. The dashboard keeps no database: it follows
// from the start of the feed at every start, in pages, then live.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/feed_follower.h"
#include "services/dashboard/backend.h"

namespace dashboard {

class ChangeFeed {
 public:
  // `backend` may be null (tests that Append by hand).
  ChangeFeed(Backend* backend, size_t keep);
  ~ChangeFeed();

  void Start();
  // Wakes every waiter and joins the thread.
  void Stop();

  // The last sequence seen (0 before the first answer).
  int64_t head() const;
  // Whether the first catch-up with the aggregator has finished.
  bool ready() const;
  // Whether the stream to the aggregator is open.
  bool connected() const;

  struct Batch {
    std::vector<v1::ReportChange> changes;
    // Changes after `after` were dropped from memory: the caller must reload.
    bool gap = false;
    bool stopping = false;
  };
  // Changes after `after`, waiting up to `timeout` for the first one, or
  // until Kick().
  Batch WaitAfter(int64_t after, absl::Duration timeout);
  // Every waiter returns now (with what there is, maybe nothing): a session
  // ended, and its live-update streams must notice before their heartbeat.
  void Kick();

  // Adds changes as if followed (for tests and the follower); `live`: the
  // feed's head is reached (the first catch-up is over).
  void Append(const std::vector<v1::ReportChange>& changes, bool live = true);

 private:
  // The aggregator's feed was replaced: everything held is forgotten, and
  // every waiter reloads.
  absl::Status Forget();
  Batch CollectLocked(int64_t after) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Backend* backend_;
  size_t keep_;
  mutable absl::Mutex mu_;
  std::deque<v1::ReportChange> buffer_ ABSL_GUARDED_BY(mu_);
  // Changes at or below floor_ are no longer in buffer_.
  int64_t floor_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t head_ ABSL_GUARDED_BY(mu_) = 0;
  bool ready_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t kicks_ ABSL_GUARDED_BY(mu_) = 0;
  std::unique_ptr<fed::FeedFollower> follower_;  // set by Start()
};

}  // namespace dashboard
