// Active/standby aggregators. Two (or more) aggregator processes may serve
// one database: all of them answer reads from figures kept in memory, but
// only the active one writes (intake, review). Which one is active is
// decided by PostgreSQL itself, not by a protocol of our own:
//
//  - the active one holds a session-level advisory lock on a connection of
//    its own; PostgreSQL releases it the moment that session ends (the
//    process died, the database failed over), and a standby polling
//    pg_try_advisory_lock takes it;
//  - taking over raises the writers' epoch (migration 004) under the feed's
//    lock, and every write checks under that same lock that the epoch is
//    still its own (CheckStillActive). A process that lost the lock without
//    knowing it yet is fenced off by the database, not by its own timing;
//  - the standby stays warm by applying every standing committed since the
//    last one it applied, a few times a second, so that taking over costs
//    one catch-up of the last moments, not a reload.
//
// The health name fed::kAggregatorIntakeHealth is SERVING only while active: callers that
// write (the reporting service's forwarder, the dashboard) send their calls
// only to the replica that says so (fed::OpenChannel's serving_health).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include <pqxx/pqxx>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/aggregator/figures.h"
#include "services/common/background_loop.h"
#include "services/common/db.h"
#include "services/common/session_lock.h"

namespace aggregator {

class Leadership {
 public:
  struct Options {
    // How this process is named in the leadership row and the logs.
    std::string holder;
    // How often a standby tries the lock and catches up.
    absl::Duration standby_poll = absl::Milliseconds(200);
    // How often the active one checks that its lock's session is alive.
    absl::Duration active_check = absl::Seconds(1);
  };

  // `url` is the database (--db): the lock is held on a connection of its
  // own, outside `db`'s pool (fed::SessionLock).
  Leadership(std::string url, fed::DbPool& db, Figures& figures, Options options);
  ~Leadership();
  Leadership(const Leadership&) = delete;
  Leadership& operator=(const Leadership&) = delete;

  // Starts contending; the first round runs at once.
  void Start() { loop_.Start(); }
  // Steps down (the lock goes with the session) and stops.
  void Stop();

  bool active() const { return active_.load(std::memory_order_acquire); }

  // Inside a write transaction that holds the feed's lock: OK while this
  // process is the active aggregator; UNAVAILABLE (nothing written, try the
  // active one) otherwise.
  absl::Status CheckStillActive(pqxx::work& txn) const;

  // One round, as the loop runs it (tests drive it directly).
  absl::Duration RunRound();

 private:
  // Raises the epoch and applies everything committed before it: from then
  // on nothing can be committed that this process has not seen.
  absl::Status TakeOver();
  // Applies the standings committed since the figures' last sequence.
  absl::Status CatchUp();
  // The same inside `txn`, a slice at a time (a standby started during a
  // storm may be far behind); returns how many it applied.
  int64_t ApplyCommitted(pqxx::work& txn);
  void StepDown(const std::string& why);

  fed::DbPool& db_;
  Figures& figures_;
  const Options options_;

  std::atomic<bool> active_{false};
  std::atomic<int64_t> epoch_{-1};
  // Only the loop's rounds touch the lock.
  fed::SessionLock lock_;

  fed::BackgroundLoop loop_;  // last: stopped before what it uses goes
};

// Every write of the aggregator starts here: takes the feed's lock and then
// checks, under it, that this process may still write. `leadership` is null
// where one aggregator is the only one there can be (unit tests).
absl::Status LockFeedForWrite(pqxx::work& txn, const Leadership* leadership);

}  // namespace aggregator
