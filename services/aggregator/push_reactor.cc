#include "services/aggregator/push_reactor.h"

#include "services/aggregator/access.h"

#include "services/common/log.h"
#include "services/common/status.h"

namespace aggregator {

PushReactor::PushReactor(Intake* intake, absl::StatusOr<fed::Principal> who) : intake_(intake) {
  absl::MutexLock lock(&mu_);
  if (!who.ok()) {
    failure_ = who.status();
    reads_done_ = true;
  } else if (absl::Status may_push = RequireSomePusher(*who); !may_push.ok()) {
    // Refused before anything is read: a role that may push nothing must
    // not fill the intake with reports only to have each denied.
    failure_ = may_push;
    reads_done_ = true;
  } else {
    who_ = *who;
  }
  Advance();
}

void PushReactor::OnReadDone(bool ok) {
  absl::MutexLock lock(&mu_);
  read_in_progress_ = false;
  if (!ok) {
    reads_done_ = true;  // the pusher has sent everything (or went away)
  } else {
    absl::Status queued = intake_->Submit(PushItem{
        std::move(incoming_), who_,
        [this](const absl::Status& status, const v1::PushAck& ack) { Acknowledge(status, ack); }});
    incoming_.Clear();
    if (queued.ok()) {
      ++in_flight_;
    } else {
      // Back-pressure: the stream ends with RESOURCE_EXHAUSTED once what was
      // already queued is acknowledged; the pusher pushes the rest later.
      if (failure_.ok()) failure_ = queued;
      reads_done_ = true;
    }
  }
  Advance();
}

void PushReactor::Acknowledge(const absl::Status& status, const v1::PushAck& ack) {
  absl::MutexLock lock(&mu_);
  --in_flight_;
  if (!status.ok()) {
    // The batch was not written: end the stream so the pusher retries
    // everything it has no ack for. Retries are idempotent.
    if (failure_.ok()) failure_ = status;
    reads_done_ = true;
  } else if (failure_.ok()) {
    to_write_.push_back(ack);
  }
  Advance();
}

void PushReactor::OnWriteDone(bool ok) {
  absl::MutexLock lock(&mu_);
  write_in_progress_ = false;
  if (!ok) {
    // The pusher is gone; acks it did not get are re-sent on its retry.
    to_write_.clear();
    reads_done_ = true;
    if (failure_.ok()) failure_ = absl::CancelledError("the pusher went away");
  }
  Advance();
}

void PushReactor::OnCancel() {
  absl::MutexLock lock(&mu_);
  if (failure_.ok()) failure_ = absl::CancelledError("cancelled");
  to_write_.clear();
  Advance();
}

void PushReactor::Advance() {
  if (finished_) return;
  if (!write_in_progress_ && !to_write_.empty() && failure_.ok()) {
    writing_ = std::move(to_write_.front());
    to_write_.pop_front();
    write_in_progress_ = true;
    StartWrite(&writing_);
  }
  if (!reads_done_ && !read_in_progress_ && failure_.ok() && in_flight_ < kMaxInFlight) {
    read_in_progress_ = true;
    StartRead(&incoming_);
  }
  // Finish only when nothing can call back into this reactor any more.
  const bool drained = in_flight_ == 0 && !write_in_progress_ && !read_in_progress_ &&
                       (to_write_.empty() || !failure_.ok());
  if (reads_done_ && drained) {
    finished_ = true;
    Finish(fed::ToGrpcStatus(failure_));
  }
}

void PushReactor::OnDone() { delete this; }

}  // namespace aggregator
