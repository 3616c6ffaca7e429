// The PushReports stream: reads reports as they come, hands them to the
// group committer, and writes one acknowledgement per report as soon as it is
// durable (or refused). A bounded number of reports may await their ack, so a
// fast pusher is slowed to the database's pace instead of filling memory; a
// stream the intake cannot take more from ends with RESOURCE_EXHAUSTED.
#pragma once

#include <deque>

#include <grpcpp/grpcpp.h>

#include "absl/synchronization/mutex.h"
#include "federation/v1/aggregator.grpc.pb.h"
#include "services/aggregator/intake.h"

namespace aggregator {

class PushReactor final : public grpc::ServerBidiReactor<v1::PushedReport, v1::PushAck> {
 public:
  // Starts reading at once; finishes with UNAUTHENTICATED when `who` is an
  // error and PERMISSION_DENIED when its role may push no report.
  PushReactor(Intake* intake, absl::StatusOr<fed::Principal> who);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  static constexpr int kMaxInFlight = 512;

  void Acknowledge(const absl::Status& status, const v1::PushAck& ack);
  // Starts the next write, the next read, or Finish, as the state allows.
  void Advance() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Intake* intake_;
  absl::Mutex mu_;
  fed::Principal who_ ABSL_GUARDED_BY(mu_);
  v1::PushedReport incoming_ ABSL_GUARDED_BY(mu_);
  std::deque<v1::PushAck> to_write_ ABSL_GUARDED_BY(mu_);
  v1::PushAck writing_ ABSL_GUARDED_BY(mu_);
  bool write_in_progress_ ABSL_GUARDED_BY(mu_) = false;
  bool read_in_progress_ ABSL_GUARDED_BY(mu_) = false;
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;  // handed to the intake, not yet acknowledged
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
};

}  // namespace aggregator
