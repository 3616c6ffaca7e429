// The forwarder: a background loop that carries submitted revisions from
// the outbox to the national aggregator (PushReports, one acknowledgement
// per report) and carries review decisions back (a fed::FeedFollower on the
// aggregator's WatchChanges stream, for the organisations that submitted
// here), so that a province never has to push by hand. Both directions keep their state in
// PostgreSQL (outbox rows, the change cursor) and the aggregator's intake is
// idempotent, so either side may restart at any time without losing or
// duplicating a report.
#pragma once

#include <map>
#include <memory>
#include <random>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "federation/v1/aggregator.grpc.pb.h"
#include "services/common/auth.h"
#include "services/common/background_loop.h"
#include "services/common/client.h"
#include "services/common/db.h"
#include "services/common/feed_follower.h"
#include "services/common/metrics.h"
#include "services/common/session_lock.h"
#include "services/common/topology.h"

namespace reporting {

namespace v1 = federation::v1;

struct ForwarderOptions {
  std::string aggregator_target = fed::DefaultAddress("aggregator");
  // Reports per PushReports stream.
  int batch_size = 100;
  // After a failure: wait a random time in [0, min(max, initial * 2^(n-1))]
  // ("full jitter"), n = consecutive failures.
  absl::Duration backoff_initial = absl::Milliseconds(200);
  absl::Duration backoff_max = absl::Seconds(30);
  // How often the outbox is looked at when nothing woke the forwarder (a
  // submission wakes it at once; this catches rows another replica wrote).
  absl::Duration outbox_check_interval = absl::Seconds(5);
  // Deadline of one push stream.
  absl::Duration call_timeout = absl::Seconds(30);
  // The database (--db), for the lock that lets one replica of several
  // forward at a time (fed::SessionLock): the others would push the same
  // rows again, acknowledged as duplicates but twice the work. "" = this is
  // the only replica (tests).
  std::string lock_url;
};

class Forwarder {
 public:
  // Calls the aggregator as the reporting service (its certificate).
  Forwarder(fed::DbPool& db, ForwarderOptions options);
  ~Forwarder();  // stops the thread

  void Start();
  // Stops the thread, cancelling a call in flight. Idempotent.
  void Stop();
  // Push now rather than at the next poll (called after a submission).
  void Wake();

  // One push round: the oldest pending outbox rows (at most batch_size) in
  // one stream, then their outcomes marked in one transaction. *more tells
  // whether a full batch went (more may be waiting). Non-OK when the stream
  // failed or some report got no acknowledgement.
  absl::Status PushPendingOnce(bool* more);
  // Applies review decisions from the change feed and advances the stored
  // cursor in the same transaction (what the decisions follower calls).
  absl::Status ApplyDecisions(const fed::FeedFollower::Batch& batch);

 private:
  // One round of the loop: push what is pending, then make sure the
  // decisions of every organisation that submitted here are followed; then
  // the pause before the next round (a backoff after a failure).
  fed::BackgroundLoop::Next Round();
  absl::Status FollowDecisions();
  bool stopping();
  absl::Duration Backoff(int failures);
  void RecordError(const absl::Status& status);
  void ClearError();
  // fed_outbox_backlog{organization}: pending rows per organisation, read at
  // most once a second (metrics.h).
  void MeasureBacklog();

  // Registers the call in flight so that Stop() can cancel it.
  class ActiveCall;

  fed::DbPool& db_;
  const ForwarderOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AggregatorService::Stub> stub_;
  fed::ServiceClient calls_;

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  grpc::ClientContext* active_ ABSL_GUARDED_BY(mu_) = nullptr;
  // Only touched by the loop's thread: whether forwarder_state holds an
  // error to clear once things work, and that error's text; consecutive
  // failures; when decisions are next polled.
  bool error_recorded_ = false;
  std::string last_error_;
  bool first_round_ = true;
  int failures_ = 0;
  // Whether a push may have brought a new organisation to follow.
  bool check_followed_ = true;
  absl::Time backlog_measured_ = absl::InfinitePast();
  std::map<std::string, prometheus::Gauge*> backlog_;  // every organisation seen pending
  std::mt19937_64 random_;
  std::unique_ptr<fed::SessionLock> lock_;        // with options_.lock_url
  std::unique_ptr<fed::FeedFollower> decisions_;  // once anything was submitted
  fed::BackgroundLoop loop_;                      // last: stopped before the members it uses go
};

}  // namespace reporting
