// Group commit of pushed reports: every push stream hands its reports to
// one queue; a committer thread takes up to `max_batch` of them at a time,
// decides each (stored / duplicate / stale / conflict / invalid), writes the
// stored ones in ONE transaction, then acknowledges each individually. Under
// load, many reports share a commit; alone, a report commits at once.
#pragma once

#include <deque>
#include <functional>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "federation/v1/aggregator.pb.h"
#include "services/aggregator/directory.h"
#include "services/aggregator/figures.h"
#include "services/common/auth.h"
#include "services/common/db.h"

namespace aggregator {

struct PushItem {
  v1::PushedReport pushed;
  fed::Principal pusher;
  // Called once, from the committer thread, with the acknowledgement; or
  // with a non-OK status when the batch could not be written (nothing was).
  std::function<void(const absl::Status&, const v1::PushAck&)> done;
  // When the stream delivered it: the report's receipt time, the server's
  // (never the pusher's) and taken before it waits in any queue.
  absl::Time received = absl::Now();
};

class Intake {
 public:
  Intake(fed::DbPool& db, Figures& figures, Directory& directory, int max_batch);
  ~Intake();  // acknowledges what is queued, then stops

  void Submit(PushItem item);

 private:
  void Run();
  void CommitBatch(std::vector<PushItem>& batch);
  bool HasWorkOrStopping() const ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return stopping_ || !queue_.empty();
  }

  fed::DbPool& db_;
  Figures& figures_;
  Directory& directory_;
  const int max_batch_;
  absl::Mutex mu_;
  std::deque<PushItem> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread committer_;
};

enum class Admission {
  kAdmitted,    // may be stored
  kRefused,     // DENIED or INVALID: final, `ack` says why
  kRetryLater,  // could not be checked now (registry unreachable): RETRY_LATER
};

// Checks a pushed report before it is written: who may push it and whether
// its content is valid. Fills `ack` unless the report is admitted. A check
// that cannot be made now is never a refusal.
Admission AdmitPush(const v1::PushedReport& pushed, const fed::Principal& pusher,
                    Directory& directory, v1::PushAck* ack);

}  // namespace aggregator
