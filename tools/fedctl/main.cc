// fedctl: the command-line client of the federation registry.
// Parses the command line, runs the one command it names, and turns usage
// errors into exit status 2 (failed calls are 1, reported by the commands).
#include <string>
#include <vector>

#include "tools/fedctl/cli.h"
#include "tools/fedctl/commands.h"

namespace fedctl {

std::vector<CommandSpec> AllCommands() {
  std::vector<CommandSpec> all;
  for (auto group :
       {HealthCommands, TokenCommands, OrganizationCommands, ProfileCommands, MergerCommands,
        ClusterCommands, CongressCommands, ReportCommands, NationalCommands, ContestCommands,
        AuditCommands, RankingCommands, EmulationCommands}) {
    for (auto& command : group()) all.push_back(std::move(command));
  }
  return all;
}

}  // namespace fedctl

int main(int argc, char** argv) {
  return fedctl::RunCommandLine({"fedctl", "Command-line client of the federation registry."},
                                fedctl::AllCommands(),
                                std::vector<std::string>(argv + 1, argv + argc));
}
