// The page's calls made as the signed-in person: a JSON body in, the gRPC
// request it stands for out to the reporting service or the aggregator with
// the person's own token, the answer back as JSON. The dashboard decides
// nothing here: each service applies its own role rules to the person (a
// province clerk reaches only its own reports, whatever the page or a
// hand-made request asks), and its audit log names the person, not the
// dashboard. Only the methods listed in person_calls.cc are offered.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "federation/v1/aggregator.grpc.pb.h"
#include "federation/v1/competition.grpc.pb.h"
#include "federation/v1/emulation.grpc.pb.h"
#include "federation/v1/reporting.grpc.pb.h"

namespace dashboard {

class PersonCalls {
 public:
  // `reporting`, `competition` and `emulation` may be null: their methods
  // then answer UNAVAILABLE.
  PersonCalls(std::shared_ptr<grpc::Channel> reporting, std::shared_ptr<grpc::Channel> aggregator,
              std::shared_ptr<grpc::Channel> competition,
              std::shared_ptr<grpc::Channel> emulation = nullptr);

  // Calls `service`'s `method` ("reporting", "SaveDraft") with the request
  // `json` (protobuf's JSON mapping) as the holder of `token`; returns the
  // answer in the same mapping with every field printed. NOT_FOUND for a
  // method not offered; INVALID_ARGUMENT for a body that is not that
  // request; the service's own refusal otherwise (its code, its message,
  // its field violations), except that "no answer now" is UNAVAILABLE.
  absl::StatusOr<std::string> Call(absl::string_view service, absl::string_view method,
                                   absl::string_view token, absl::string_view json) const;

  // Whether an emulation service is configured (the page shows its years).
  bool HasEmulation() const { return emulation_ != nullptr; }

  // "service/Method" of every method offered, sorted.
  std::vector<std::string> Offered() const;

  using Method =
      std::function<absl::StatusOr<std::string>(absl::string_view token, absl::string_view json)>;

 private:
  std::unique_ptr<federation::v1::ReportingService::Stub> reporting_;
  std::unique_ptr<federation::v1::AggregatorService::Stub> aggregator_;
  std::unique_ptr<federation::v1::CompetitionService::Stub> competition_;
  std::unique_ptr<federation::v1::EmulationService::Stub> emulation_;
  absl::flat_hash_map<std::string, Method> methods_;  // by "service/Method"
};

}  // namespace dashboard
