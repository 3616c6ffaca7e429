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
// Two committers, each with its own connection, write two batches at once:
// one alone left PostgreSQL waiting on it (and it on PostgreSQL) a third of
// the time. Their batches never share a report (the preparer holds back a
// report while another batch in flight has one of its organisation and
// period), and each takes the change feed's lock only for the end of its
// transaction, after its rows are written: the feed is numbered, and
// committed, in order, while the rows of two batches go in side by side.
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
  // Called once, from the acknowledger thread, with the acknowledgement; or
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
    // Its place in the order batches were taken, which is the order they
    // are acknowledged in whichever committer finishes first.
    uint64_t ticket = 0;
    // Once written: the commit's outcome (not OK: nothing was stored), and
    // the standings the figures take from it.
    absl::Status written;
    std::vector<Standing> applied;
  };

  // (organisation code, period) as pushed: the report a pushed item is of.
  using ReportKey = std::pair<std::string, std::string>;
  static ReportKey KeyOf(const PushItem& item);

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
  // a committer, so that batches grow while the committers are busy; and,
  // when all that waits is held back, once a batch in flight is written or
  // more arrives.
  bool CanPrepare() const ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return !ready_.has_value() && (waiting_count_ > 0 ? !held_back_ : stopping_);
  }
  bool CanCommit() const ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return ready_.has_value() || preparer_done_;
  }
  // Ends a batch's flight: the reports it held back may be taken again.
  void Land(const Batch& batch) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // At most two written batches wait for the acknowledger besides the one
  // it is waiting for: a committer that ran ahead would only hold more
  // pushers waiting for their answers.
  struct HandOver {
    Intake* intake;
    uint64_t ticket;
  };
  static bool CanHandOver(HandOver* h) ABSL_SHARED_LOCKS_REQUIRED(h->intake->mu_) {
    return h->intake->written_.size() < 2 || h->ticket == h->intake->next_to_acknowledge_;
  }
  bool CanAcknowledge() const ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return written_.empty() ? committers_running_ == 0
                            : written_.begin()->first == next_to_acknowledge_;
  }

  static constexpr int kCommitters = 2;

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
  // Reports of the batches taken and not yet written (prepared, ready or
  // being written), by how many of their items each has; and whether
  // everything waiting is held back by them (the preparer then waits).
  std::map<ReportKey, int> in_flight_ ABSL_GUARDED_BY(mu_);
  bool held_back_ ABSL_GUARDED_BY(mu_) = false;
  // The prepared batch waiting for the committer, and whether the preparer
  // has stopped (after the queue drained on stopping).
  std::optional<Batch> ready_ ABSL_GUARDED_BY(mu_);
  bool preparer_done_ ABSL_GUARDED_BY(mu_) = false;
  // Written batches waiting for the acknowledger by ticket, the tickets of
  // the next batch taken and of the next to acknowledge, and how many
  // committers have not stopped (each stops after the preparer has, once
  // nothing prepared is left).
  std::map<uint64_t, Batch> written_ ABSL_GUARDED_BY(mu_);
  uint64_t next_ticket_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_to_acknowledge_ ABSL_GUARDED_BY(mu_) = 0;
  int committers_running_ ABSL_GUARDED_BY(mu_) = kCommitters;
  std::thread preparer_;
  std::vector<std::thread> committers_;
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
