// fed-demo: loads the demo content (registry, report history, 2025 scoring
// scheme, contests) into a running federation suite, as `tools/dev up` does.
// Same command line as fedctl (global options, help, exit codes), since it
// is built on fedctl's library.
#include <string>
#include <vector>

#include "tools/demo/commands.h"

int main(int argc, char** argv) {
  namespace demo = fedctl::demo;
  return fedctl::RunCommandLine(
      {"fed-demo", "Loads the federation demo content through the services' public APIs."},
      {demo::LoadCommand(), demo::ReportsCommand(), demo::RankingCommand(), demo::ContestsCommand(),
       demo::EmulationCommand()},
      std::vector<std::string>(argv + 1, argv + argc));
}
