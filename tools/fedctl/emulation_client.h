// A connection to the emulation service (federation.v1.EmulationService):
// one channel, the caller's token and a deadline on every call, errors as
// absl::Status with their field violations. Address: --emulation HOST:PORT
// (env FED_EMULATION_TARGET, default fed::DefaultAddress("emulation")).
#pragma once

#include <string>

#include "federation/v1/emulation.grpc.pb.h"
#include "tools/fedctl/cli.h"
#include "tools/fedctl/service_client.h"

namespace fedctl {

// Declares --emulation on a command.
CommandSpec& WithEmulationOption(CommandSpec& command);
// --emulation, else FED_EMULATION_TARGET, else the default.
std::string EmulationTarget(const Invocation& invocation);

class EmulationClient : public ServiceClient<federation::v1::EmulationService> {
 public:
  using ServiceClient::ServiceClient;
  // Connects to EmulationTarget with ResolveAccessToken's token (may throw UsageError).
  static EmulationClient Connect(const Invocation& invocation);
};

}  // namespace fedctl
