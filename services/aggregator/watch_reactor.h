// One WatchChanges stream. It sends what the caller has not seen yet, one
// answer at a time: from PostgreSQL (on the worker pool) while the caller is
// behind what the tail holds, then from the tail as it grows, and a heartbeat
// when the tail says one is due and nothing else was sent.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "federation/v1/aggregator.grpc.pb.h"
#include "services/aggregator/aggregator.h"
#include "services/aggregator/feed_tail.h"
#include "services/common/worker_pool.h"

namespace aggregator {

class WatchReactor;

// What the tail holds of a stream: a stream that ends detaches first, so the
// tail never pokes a reactor that is gone.
class WatchLink final : public FeedSubscriber {
 public:
  explicit WatchLink(WatchReactor* reactor) : reactor_(reactor) {}
  void Poke(bool heartbeat) override;
  void Detach();

 private:
  absl::Mutex mu_;
  WatchReactor* reactor_ ABSL_GUARDED_BY(mu_);
};

class WatchReactor final : public grpc::ServerWriteReactor<v1::WatchChangesResponse> {
 public:
  // Validates and authorises at once; a refusal finishes the stream.
  WatchReactor(Aggregator* aggregator, FeedTail* tail, fed::WorkerPool* workers,
               absl::StatusOr<fed::Principal> who, const v1::WatchChangesRequest& request);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

  // News in the tail, or a heartbeat due (see WatchLink).
  void Pump(bool heartbeat);

 private:
  static constexpr int kPage = 500;

  // Starts the next step the state allows: a write, a read of PostgreSQL on
  // the worker pool, or Finish.
  void Advance(bool heartbeat) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ReadDatabase();  // on the worker pool
  void Write(std::vector<FeedTail::ChangePtr> changes, int64_t through, bool live)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FinishOnce(const absl::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool Wanted(const v1::ReportChange& change) const;

  Aggregator* const aggregator_;
  FeedTail* const tail_;
  fed::WorkerPool* const workers_;
  const absl::Time started_ = absl::Now();
  std::shared_ptr<WatchLink> link_;

  absl::Mutex mu_;
  std::string subject_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> organizations_;      // set once in the constructor; empty = all
  bool skip_pruned_ = false;                 // idem
  int64_t cursor_ ABSL_GUARDED_BY(mu_) = 0;  // everything up to here is sent
  v1::WatchChangesResponse out_ ABSL_GUARDED_BY(mu_);
  bool first_sent_ ABSL_GUARDED_BY(mu_) = false;
  bool pruned_gap_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool reading_ ABSL_GUARDED_BY(mu_) = false;  // a PostgreSQL read is running
  bool horizon_checked_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  int64_t sent_changes_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
  // Read from PostgreSQL, waiting to be written.
  std::vector<FeedTail::ChangePtr> from_database_ ABSL_GUARDED_BY(mu_);
  int64_t database_through_ ABSL_GUARDED_BY(mu_) = -1;  // -1 = nothing read
};

}  // namespace aggregator
