// Follows the aggregator's change feed (ListChanges with a sequence cursor)
// in one background thread and keeps the latest changes in memory, so that
// any number of browsers can wait for news (server-sent events) while the
// aggregator sees one poller.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/background_loop.h"
#include "services/dashboard/backend.h"

namespace dashboard {

class ChangeFeed {
 public:
  ChangeFeed(Backend* backend, absl::Duration poll_interval, size_t keep);
  ~ChangeFeed();

  void Start();
  // Wakes every waiter and joins the thread.
  void Stop();

  // The last sequence seen (0 before the first successful poll).
  int64_t head() const;
  // Whether the first catch-up with the aggregator has finished.
  bool ready() const;

  struct Batch {
    std::vector<v1::ReportChange> changes;
    // Changes after `after` were dropped from memory: the caller must reload.
    bool gap = false;
    bool stopping = false;
  };
  // Changes after `after`, waiting up to `timeout` for the first one.
  Batch WaitAfter(int64_t after, absl::Duration timeout);

  // Adds changes as if polled (for tests and the poller).
  void Append(const std::vector<v1::ReportChange>& changes);

 private:
  // One poll of the aggregator's feed (every page that is new).
  fed::BackgroundLoop::Next PollRound();
  Batch CollectLocked(int64_t after) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Backend* backend_;
  absl::Duration poll_interval_;
  size_t keep_;
  mutable absl::Mutex mu_;
  std::deque<v1::ReportChange> buffer_ ABSL_GUARDED_BY(mu_);
  // Changes at or below floor_ are no longer in buffer_.
  int64_t floor_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t head_ ABSL_GUARDED_BY(mu_) = 0;
  bool ready_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool failing_ = false;        // only the poller's rounds touch it
  fed::BackgroundLoop poller_;  // last: stopped before what it uses goes
};

}  // namespace dashboard
