#include "tools/fedctl/emulation_client.h"

#include "absl/strings/str_cat.h"
#include "services/common/topology.h"
#include "tools/fedctl/credentials.h"

namespace fedctl {

CommandSpec& WithEmulationOption(CommandSpec& command) {
  return command.Option(
      "emulation", "HOST:PORT",
      absl::StrCat("emulation service address (env FED_EMULATION_TARGET, default ",
                   fed::DefaultAddress("emulation"), ")"));
}

std::string EmulationTarget(const Invocation& invocation) {
  return ServiceTarget(invocation, "emulation", "FED_EMULATION_TARGET",
                       fed::DefaultAddress("emulation"));
}

EmulationClient EmulationClient::Connect(const Invocation& invocation) {
  return EmulationClient(fed::OpenChannel(EmulationTarget(invocation)),
                         ResolveAccessToken(invocation.global()));
}

}  // namespace fedctl
