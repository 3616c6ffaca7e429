#include "tools/fedctl/competition_client.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "services/common/topology.h"
#include "tools/fedctl/credentials.h"

namespace fedctl {

CommandSpec& WithCompetitionOption(CommandSpec& command) {
  return command.Option(
      "competition", "HOST:PORT",
      absl::StrCat("competition service address (env FED_COMPETITION_TARGET, default ",
                   fed::DefaultAddress("competition"), ")"));
}

std::string CompetitionTarget(const Invocation& invocation) {
  return ServiceTarget(invocation, "competition", "FED_COMPETITION_TARGET",
                       fed::DefaultAddress("competition"));
}

CompetitionClient CompetitionClient::Connect(const Invocation& invocation) {
  return CompetitionClient(fed::OpenChannel(CompetitionTarget(invocation)),
                           ResolveAccessToken(invocation.global()));
}

}  // namespace fedctl
