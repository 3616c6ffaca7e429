// The live end of the change feed, in memory: one background thread reads
// each new change from PostgreSQL once, when a commit has been applied to the
// figures (not on a timer), describes it with its timeliness and counted
// values, and pokes every WatchChanges stream. Any number of followers then
// cost the database nothing at idle and one query per commit in all.
//
// Changes older than what is held here are read from PostgreSQL by the
// stream that needs them (see watch_reactor.h).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "federation/v1/aggregator.pb.h"
#include "services/aggregator/figures.h"
#include "services/common/background_loop.h"
#include "services/common/db.h"

namespace aggregator {

// Something to poke when the tail has news or a heartbeat is due. Held by
// shared_ptr so that a stream ending concurrently is never poked after it
// is gone (see WatchLink).
class FeedSubscriber {
 public:
  virtual ~FeedSubscriber() = default;
  virtual void Poke(bool heartbeat) = 0;
};

class FeedTail {
 public:
  struct Options {
    size_t keep = 20000;                          // changes held in memory
    absl::Duration heartbeat = absl::Seconds(5);  // pokes idle streams this often
    // Reads PostgreSQL this often even without a commit here: changes
    // written by another process (a second aggregator) still arrive.
    absl::Duration safety_read = absl::Seconds(30);
    // How long a change committed but not yet applied to the figures waits
    // before it is sent with the figures as they are (another writer).
    absl::Duration apply_wait = absl::Seconds(2);
  };
  FeedTail(fed::DbPool& db, Figures& figures, Options options);
  ~FeedTail();
  FeedTail(const FeedTail&) = delete;
  FeedTail& operator=(const FeedTail&) = delete;

  // Starts following from the feed's head in PostgreSQL (older changes are
  // served from there) and wakes on every figures update.
  absl::Status Start();
  // Tells every stream to finish (UNAVAILABLE) and stops the thread.
  void Stop();

  using ChangePtr = std::shared_ptr<const v1::FeedChange>;
  struct Slice {
    std::vector<ChangePtr> changes;
    // Everything after `after` up to here was looked at.
    int64_t through = 0;
    // `after` is older than what is held: read PostgreSQL first.
    bool below_floor = false;
    bool stopping = false;
  };
  // At most `limit` held changes after `after` that `wanted` accepts.
  Slice Collect(int64_t after, const std::function<bool(const v1::ReportChange&)>& wanted,
                int limit) const;
  // The newest change seen (0 before Start).
  int64_t head() const;
  // Changes at or below this are not held (read them from PostgreSQL).
  int64_t floor() const;

  void Subscribe(std::shared_ptr<FeedSubscriber> subscriber);
  void Unsubscribe(const FeedSubscriber* subscriber);

  // Appends described changes as if read (tests).
  void AppendForTest(std::vector<v1::FeedChange> changes);

 private:
  fed::BackgroundLoop::Next Round();
  // Reads what is new in PostgreSQL; false when a change waits for figures.
  bool ReadNew();
  void Append(std::vector<ChangePtr> changes);
  void PokeAll(bool heartbeat);

  fed::DbPool& db_;
  Figures& figures_;
  const Options options_;

  mutable absl::Mutex mu_;
  std::deque<ChangePtr> held_ ABSL_GUARDED_BY(mu_);
  int64_t floor_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t head_ ABSL_GUARDED_BY(mu_) = 0;
  bool dirty_ ABSL_GUARDED_BY(mu_) = false;  // a commit was applied since the last read
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::shared_ptr<FeedSubscriber>> subscribers_ ABSL_GUARDED_BY(mu_);

  // Only the loop's rounds touch these.
  absl::Time last_read_ = absl::InfinitePast();
  absl::Time last_heartbeat_ = absl::InfinitePast();
  absl::Time waiting_since_ = absl::InfinitePast();  // a change awaits its figures
  bool read_again_ = false;  // the last read stopped at a change awaiting figures
  bool failing_ = false;

  fed::BackgroundLoop loop_;  // last: stopped before what it uses goes
};

}  // namespace aggregator
