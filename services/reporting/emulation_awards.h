// The awards a province's annual report can be pre-filled with
// (emulation_flags and merit_certificates: flags and certificates presented
// by decisions of the report's year), asked of the emulation service. Like
// the contest figures, a help and not a rule: without an emulation service
// the province types them in.
#pragma once

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "federation/v1/emulation.grpc.pb.h"
#include "services/common/client.h"

namespace reporting {

namespace v1 = federation::v1;

class EmulationAwards {
 public:
  // `target` empty = no emulation service: ForYear answers UNAVAILABLE.
  explicit EmulationAwards(const std::string& target, absl::Duration deadline = absl::Seconds(3));

  absl::StatusOr<v1::ListAwardsResponse> ForYear(const std::string& organization_code,
                                                 int year) const;

 private:
  std::unique_ptr<v1::EmulationService::Stub> stub_;
  mutable fed::ServiceClient emulation_;
};

}  // namespace reporting
