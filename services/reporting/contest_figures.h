// The contest figures a province's annual report can be pre-filled with
// (contest_entries, contest_prizes, national_awards and the contest yes/no
// indicators), asked of the competition service. Pre-filling is a help, not
// a rule: when the competition service is not deployed or does not answer,
// the province types the figures in.
#pragma once

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "federation/v1/competition.grpc.pb.h"
#include "services/common/auth.h"
#include "services/common/client.h"

namespace reporting {

namespace v1 = federation::v1;

class ContestFigures {
 public:
  // `target` empty = no competition service: ForYear answers UNAVAILABLE.
  explicit ContestFigures(const std::string& target, absl::Duration deadline = absl::Seconds(3));

  absl::StatusOr<v1::ReportingFiguresResponse> ForYear(const std::string& organization_code,
                                                       int year) const;

 private:
  std::unique_ptr<v1::CompetitionService::Stub> stub_;
  mutable fed::ServiceClient competition_;
};

}  // namespace reporting
