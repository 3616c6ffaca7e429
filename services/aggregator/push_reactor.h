// The PushReports stream: reads reports as they come, hands them to the
// group committer, and writes one acknowledgement per report as soon as it is
// durable (or refused). A bounded number of reports may await their ack, so a
// fast pusher is slowed to the database's pace instead of filling memory.
#pragma once

#include <deque>
#include <mutex>

#include <grpcpp/grpcpp.h>

#include "federation/v1/aggregator.grpc.pb.h"
#include "services/aggregator/intake.h"

namespace aggregator {

class PushReactor final : public grpc::ServerBidiReactor<v1::PushedReport, v1::PushAck> {
 public:
  // Starts reading at once; finishes with UNAUTHENTICATED when `who` is an error.
  PushReactor(Intake* intake, absl::StatusOr<fed::Principal> who);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  static constexpr int kMaxInFlight = 512;

  void Acknowledge(const absl::Status& status, const v1::PushAck& ack);
  // Starts the next write, the next read, or Finish, as the state allows.
  // Call with mu_ held.
  void Advance();

  Intake* intake_;
  fed::Principal who_;
  v1::PushedReport incoming_;

  std::mutex mu_;
  std::deque<v1::PushAck> to_write_;
  v1::PushAck writing_;
  bool write_in_progress_ = false;
  bool read_in_progress_ = false;
  bool reads_done_ = false;
  bool finished_ = false;
  int in_flight_ = 0;  // handed to the intake, not yet acknowledged
  absl::Status failure_;
};

}  // namespace aggregator
