// A connection to the competition service (federation.v1.CompetitionService):
// one channel, the caller's token and a deadline on every call, errors as
// absl::Status with their field violations. Address: --competition
// HOST:PORT (env FED_COMPETITION_TARGET, default fed::DefaultAddress("competition")).
#pragma once

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "federation/v1/competition.grpc.pb.h"
#include "services/common/status.h"
#include "tools/fedctl/cli.h"
#include "tools/fedctl/registry_client.h"

namespace fedctl {

CommandSpec& WithCompetitionOption(CommandSpec& command);
std::string CompetitionTarget(const Invocation& invocation);

class CompetitionClient : public ServiceClient<federation::v1::CompetitionService> {
 public:
  using ServiceClient::ServiceClient;
  static CompetitionClient Connect(const Invocation& invocation);
};

}  // namespace fedctl
