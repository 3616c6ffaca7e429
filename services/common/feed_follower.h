// Follows the aggregator's change feed over one WatchChanges stream: every
// change once, in order, as soon as it is committed, with what it counts for
// (no call back per organisation). The reporting, ranking and dashboard
// services each keep one.
//
// The cursor is the consumer's to keep durably: it is handed in at start and
// every batch carries the sequence to resume after, to be stored with what
// the batch changed. A stream that breaks (the aggregator restarting, a
// network fault, no heartbeat for too long) is opened again after a backoff
// from the last batch the consumer accepted: nothing is missed or repeated.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "federation/v1/aggregator.grpc.pb.h"
#include "services/common/background_loop.h"
#include "services/common/client.h"

namespace prometheus {
class Gauge;
}  // namespace prometheus

namespace fed {

class FeedFollower {
 public:
  struct Batch {
    // In sequence order; never empty.
    std::vector<federation::v1::FeedChange> changes;
    // Resume after this sequence once the batch is applied.
    int64_t through = 0;
    // The order of CountedPeriod.values.
    const std::vector<std::string>* indicator_codes = nullptr;
    // Nothing committed is left to send (false while catching up).
    bool live = false;
  };
  // Applies a batch (and stores `through` with it). An error ends the stream;
  // it is opened again, after a backoff, from the last accepted batch.
  using Apply = std::function<absl::Status(const Batch&)>;
  // The feed no longer holds what comes after the cursor (pruned, or the
  // aggregator's database was replaced): drop what was derived from the
  // feed. Following goes on from the oldest change kept.
  using Reset = std::function<absl::Status()>;

  struct Options {
    // Only these organisations' changes (empty = every change).
    std::vector<std::string> organizations;
    // No answer, not even a heartbeat, for this long: the stream is dead.
    absl::Duration silence_limit = absl::Seconds(15);
    absl::Duration first_backoff = absl::Milliseconds(100);
    absl::Duration max_backoff = absl::Seconds(5);
  };

  // `calls` names the aggregator dependency and carries this service's
  // identity; `after` is the durable cursor (0 = from the start).
  FeedFollower(std::shared_ptr<grpc::Channel> aggregator, ServiceClient* calls, int64_t after,
               Apply apply, Reset reset, Options options);
  ~FeedFollower();  // Stop()
  FeedFollower(const FeedFollower&) = delete;
  FeedFollower& operator=(const FeedFollower&) = delete;

  void Start();
  // Ends the stream in progress and waits for the batch being applied.
  void Stop();
  // Follows these organisations from now on (the stream is opened again
  // from the cursor when they differ).
  void SetOrganizations(std::vector<std::string> organizations);

  // The sequence to resume after (moves on heartbeats too).
  int64_t cursor() const;
  // A stream is open and has answered.
  bool connected() const;
  // Some stream has reached the feed's head (everything committed by then
  // was applied); stays true across reconnections.
  bool caught_up() const;
  // Streams opened so far (the first included).
  int64_t sessions() const;

 private:
  // One stream, from opening to its end; the pause before the next.
  BackgroundLoop::Next Session();
  BackgroundLoop::Next Watchdog();
  bool Silent() const ABSL_SHARED_LOCKS_REQUIRED(mu_);

  std::unique_ptr<federation::v1::AggregatorService::Stub> stub_;
  ServiceClient* const calls_;
  const Apply apply_;
  const Reset reset_;
  const Options options_;
  prometheus::Gauge& lag_metric_;     // fed_feed_lag_seconds (metrics.h)
  prometheus::Gauge& cursor_metric_;  // fed_feed_cursor

  mutable absl::Mutex mu_;
  int64_t cursor_ ABSL_GUARDED_BY(mu_);
  bool connected_ ABSL_GUARDED_BY(mu_) = false;
  bool caught_up_ ABSL_GUARDED_BY(mu_) = false;
  bool applying_ ABSL_GUARDED_BY(mu_) = false;  // silence then is ours, not the stream's
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int64_t sessions_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time last_heard_ ABSL_GUARDED_BY(mu_);
  grpc::ClientContext* open_ ABSL_GUARDED_BY(mu_) = nullptr;  // the stream in progress
  std::vector<std::string> organizations_ ABSL_GUARDED_BY(mu_);
  bool reopen_ ABSL_GUARDED_BY(mu_) = false;  // SetOrganizations ended the stream

  absl::Duration backoff_;               // only Session() touches it
  std::vector<std::string> indicators_;  // idem
  BackgroundLoop watchdog_;
  BackgroundLoop reader_;  // last: stopped before what it uses goes
};

}  // namespace fed
