// fed-demo's commands: load, reports, ranking, contests, emulation. Each puts part of
// the demo content into a running suite through the services' public gRPC
// API only, deterministically and idempotently (running it again changes
// nothing), so that `tools/dev up` can run them on every start.
//
// fed-demo is a client built on fedctl's library (its command line, service
// clients, credentials and tables), hence the namespace fedctl::demo.
#pragma once

#include <string>
#include <vector>

#include "tools/demo/demo_data.h"
#include "tools/fedctl/cli.h"

namespace fedctl::demo {

CommandSpec LoadCommand();       // load_command.cc
CommandSpec ReportsCommand();    // reports_command.cc
CommandSpec RankingCommand();    // ranking_command.cc
CommandSpec ContestsCommand();   // contests_command.cc
CommandSpec EmulationCommand();  // emulation_command.cc

// Declares --provinces_csv on a command.
CommandSpec& WithProvincesCsvOption(CommandSpec& command);
// The rows of --provinces_csv, else of deploy/demo/provinces.csv of the
// checkout the current directory is in. Throws UsageError when there is none
// or it does not parse.
std::vector<ProvinceRow> ProvinceRowsOf(const Invocation& invocation);

}  // namespace fedctl::demo
