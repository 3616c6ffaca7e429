// Every fedctl command, grouped by topic; main.cc dispatches over AllCommands().
#pragma once

#include <iostream>
#include <vector>

#include <google/protobuf/message.h>

#include "tools/fedctl/cli.h"
#include "tools/fedctl/output.h"

namespace fedctl {

std::vector<CommandSpec> HealthCommands();        // health_command.cc
std::vector<CommandSpec> TokenCommands();         // token_commands.cc
std::vector<CommandSpec> OrganizationCommands();  // org_commands.cc
std::vector<CommandSpec> ProfileCommands();       // profile_command.cc
std::vector<CommandSpec> MergerCommands();        // merger_commands.cc
std::vector<CommandSpec> ClusterCommands();       // cluster_commands.cc
std::vector<CommandSpec> CongressCommands();      // congress_commands.cc
std::vector<CommandSpec> AuditCommands();         // audit_command.cc
std::vector<CommandSpec> ReportCommands();        // report_commands.cc
std::vector<CommandSpec> NationalCommands();      // national_commands.cc
std::vector<CommandSpec> ContestCommands();       // contest_commands.cc
std::vector<CommandSpec> RankingCommands();       // ranking_commands.cc
std::vector<CommandSpec> EmulationCommands();     // emulation_commands.cc

// All of the above, in the order `fedctl help` lists them.
std::vector<CommandSpec> AllCommands();

// The one output decision every command makes: protobuf JSON of `message`
// with --json, else the readable form `print`. Returns exit code 0.
template <typename PrintReadable>
int Show(const Invocation& invocation, const google::protobuf::Message& message,
         PrintReadable&& print) {
  if (invocation.json()) {
    PrintJson(std::cout, message);
  } else {
    print();
  }
  return 0;
}

}  // namespace fedctl
