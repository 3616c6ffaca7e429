// fedctl: the command-line client of the federation registry.
// Parses the command line, runs the one command it names, and turns usage
// errors into exit status 2 (failed calls are 1, reported by the commands).
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/fedctl/cli.h"
#include "tools/fedctl/commands.h"

namespace fedctl {

std::vector<CommandSpec> AllCommands() {
  std::vector<CommandSpec> all;
  for (auto group :
       {HealthCommands, TokenCommands, OrganizationCommands, ProfileCommands, MergerCommands,
        ClusterCommands, CongressCommands, ReportCommands, NationalCommands, ContestCommands,
        AuditCommands, DemoCommands, DemoReportCommands, ContestDemoCommands, RankingCommands}) {
    for (auto& command : group()) all.push_back(std::move(command));
  }
  return all;
}

namespace {

void PrintHelp(const ParsedCommandLine& parsed, const std::vector<CommandSpec>& commands) {
  if (parsed.command) {
    std::cout << CommandUsage(*parsed.command);
  } else if (!parsed.help_group.empty()) {
    bool first = true;
    for (const auto& command : commands) {
      if (!absl::StartsWith(command.name, absl::StrCat(parsed.help_group, " "))) continue;
      std::cout << (first ? "" : "\n") << CommandUsage(command);
      first = false;
    }
  } else {
    std::cout << GeneralUsage(commands);
  }
}

int Run(const std::vector<std::string>& args) {
  const std::vector<CommandSpec> commands = AllCommands();
  const CommandSpec* recognised = nullptr;
  try {
    ParsedCommandLine parsed = ParseCommandLine(args, commands, &recognised);
    if (parsed.help) {
      PrintHelp(parsed, commands);
      return 0;
    }
    return parsed.command->run(parsed.invocation);
  } catch (const UsageError& error) {
    std::cerr << "error: " << error.what() << "\n";
    if (recognised) {
      std::cerr << CommandSynopsis(*recognised) << "\n(fedctl help " << recognised->name
                << " explains the options)\n";
    } else {
      std::cerr << "(fedctl help lists the commands)\n";
    }
    return 2;
  }
}

}  // namespace
}  // namespace fedctl

int main(int argc, char** argv) {
  return fedctl::Run(std::vector<std::string>(argv + 1, argv + argc));
}
