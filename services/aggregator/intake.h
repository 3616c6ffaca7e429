// Group commit of pushed reports: every push stream hands its reports to
// the intake; a committer thread takes up to `max_batch` of them at a time,
// decides each (stored / duplicate / stale / conflict / invalid), writes the
// stored ones in ONE transaction, then acknowledges each individually. Under
// load, many reports share a commit; alone, a report commits at once.
//
// A preparer thread does for the next batch what needs no database (who
// may push it, validation, its hash, JSON and values) while the committer
// writes the one before: alone, the committer left PostgreSQL idle a third
// of the time during a push storm (issue 17's profile). Likewise an
// acknowledger thread brings the figures up to a written batch and answers
// its pushers while the committer writes the next one: the committer is the
// intake's bottleneck, so it does nothing that can wait.
//
// The intake is shared by 34 provinces that do not trust each other, so
// neither its memory nor its order may be one pusher's to take: reports wait
// in one queue per pusher, batches take from the queues in turn, and what
// may wait is bounded per pusher and in all (RESOURCE_EXHAUSTED beyond).
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "federation/v1/aggregator.pb.h"
#include "services/aggregator/directory.h"
#include "services/aggregator/figures.h"
#include "services/aggregator/leadership.h"
#include "services/common/auth.h"
#include "services/common/db.h"
#include "services/common/metrics.h"

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

// How many pushed reports may wait for the committer. A stream holds at most
// PushReactor::kMaxInFlight (512) unacknowledged reports, so the per-pusher
// bound is what stops one token opening streams until memory runs out.
struct IntakeLimits {
  int max_waiting = 16384;            // in all
  int max_waiting_per_pusher = 4096;  // per token (role, organisation, subject)
};

class Intake {
 public:
  // `leadership` fences the writes when aggregators run active/standby
  // (leadership.h); null when this one is the only one there can be.
  Intake(fed::DbPool& db, Figures& figures, Directory& directory, int max_batch,
         IntakeLimits limits = IntakeLimits(), const Leadership* leadership = nullptr);
  ~Intake();  // acknowledges what is queued, then stops

  // Queues `item`; its `done` is called once it is decided. RESOURCE_EXHAUSTED
  // when its pusher, or the intake as a whole, already has as many reports
  // waiting as the limits allow: the item is dropped undecided and `done` is
  // never called.
  absl::Status Submit(PushItem item);

 private:
  // What the preparer works out for an admitted report.
  struct PreparedReport {
    std::string content_hash;
    std::string payload_json;
    Values values;
    std::vector<std::string> value_texts;  // storage::ValueTexts
  };
  // A batch as the preparer hands it to the committer.
  struct Batch {
    std::vector<PushItem> items;
    std::vector<v1::PushAck> acks;         // by item; final for those not admitted
    std::vector<size_t> admitted;          // items that may be stored
    std::vector<PreparedReport> prepared;  // by item (empty for those not admitted)
    // Once written: the commit's outcome (not OK: nothing was stored), and
    // the standings the figures take from it.
    absl::Status written;
    std::vector<Standing> applied;
  };

  void RunPreparer();
  void RunCommitter();
  void RunAcknowledger();
  std::vector<PushItem> TakeBatch() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Admission checks and the per-report work that needs no database.
  void PrepareBatch(Batch& batch);
  // Writes the batch (or what of it can be written), then hands it to the
  // acknowledger.
  void CommitBatch(Batch& batch);
  // Writes the admitted reports `items` of `batch` in one transaction, fills
  // their acks and, once it commits, adds to `batch.applied` what the
  // figures take from it.
  absl::Status WriteAdmitted(Batch& batch, const std::vector<size_t>& items);
  // Brings the figures up to a written batch, then answers its pushers: in
  // that order, so a pusher that reads after its acknowledgement sees its
  // report counted.
  void Acknowledge(Batch& batch);
  // The preparer takes a batch once the one it prepared before has gone to
  // the committer, so that batches grow while the committer is busy.
  bool CanPrepare() const ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return !ready_.has_value() && (stopping_ || waiting_count_ > 0);
  }
  bool CanCommit() const ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return ready_.has_value() || preparer_done_;
  }
  // At most two written batches wait for the acknowledger: a committer that
  // ran ahead would only hold more pushers waiting for their answers.
  bool CanHandOver() const ABSL_SHARED_LOCKS_REQUIRED(mu_) { return written_.size() < 2; }
  bool CanAcknowledge() const ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return !written_.empty() || committer_done_;
  }

  fed::DbPool& db_;
  Figures& figures_;
  Directory& directory_;
  const Leadership* const leadership_;
  const int max_batch_;
  const IntakeLimits limits_;
  absl::Mutex mu_;
  // Reports waiting, by pusher; `turns` holds each pusher with reports
  // waiting once, in the order its next report is taken.
  std::map<std::string, std::deque<PushItem>> waiting_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> turns_ ABSL_GUARDED_BY(mu_);
  int waiting_count_ ABSL_GUARDED_BY(mu_) = 0;
  // fed_intake_queue_depth (waiting_count_), fed_intake_batch_size and
  // fed_intake_reports_total{outcome} (services/common/metrics.h).
  prometheus::Gauge& queue_depth_;
  prometheus::Histogram& batch_size_;
  std::map<v1::PushOutcome, prometheus::Counter*> outcomes_;  // filled once, then read only
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // The prepared batch waiting for the committer, and whether the preparer
  // has stopped (after the queue drained on stopping).
  std::optional<Batch> ready_ ABSL_GUARDED_BY(mu_);
  bool preparer_done_ ABSL_GUARDED_BY(mu_) = false;
  // Written batches waiting for the acknowledger, oldest first, and whether
  // the committer has stopped (after writing everything prepared).
  std::deque<Batch> written_ ABSL_GUARDED_BY(mu_);
  bool committer_done_ ABSL_GUARDED_BY(mu_) = false;
  std::thread preparer_;
  std::thread committer_;
  std::thread acknowledger_;
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
