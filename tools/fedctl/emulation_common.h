// What the three files of `fedctl emulation ...` share: the year every
// command names (--year, --cluster, --organiser), reading input files, and
// how a step that returns the year reports it.
#pragma once

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "federation/v1/emulation.pb.h"
#include "tools/fedctl/cli.h"
#include "tools/fedctl/commands.h"
#include "tools/fedctl/emulation_client.h"
#include "tools/fedctl/output.h"

namespace fedctl {

// The groups, joined by EmulationCommands() (commands.h).
std::vector<CommandSpec> EmulationYearCommands();        // emulation_commands.cc
std::vector<CommandSpec> EmulationAssessmentCommands();  // emulation_assessment_commands.cc
std::vector<CommandSpec> EmulationVoteCommands();        // emulation_vote_commands.cc

// --organiser (default VUSTA), --year and --cluster, all checked.
federation::v1::YearKey KeyOf(const Invocation& invocation);
// Declares them (year and cluster required) and --emulation.
CommandSpec Keyed(CommandSpec command);
// "VUSTA 2025 cluster 1".
std::string KeyLabel(const federation::v1::YearKey& key);

// Points as the service keeps them: at most two decimals, no trailing zeros.
std::string Points(double value);

// The whole of a file named by `option`; UsageError when it cannot be read.
std::string ReadInputFile(const std::string& path, absl::string_view option);

// One line after a step: where the year now stands.
void PrintYearState(const federation::v1::EmulationYear& year);

// A step that answers with the year: calls it, then prints the year as
// JSON (--json), or its state and what `details` adds.
template <typename Request, typename Details>
int RunYearStep(const Invocation& invocation,
                grpc::Status (EmulationClient::Stub::*method)(grpc::ClientContext*, const Request&,
                                                              federation::v1::EmulationYear*),
                const Request& request, absl::string_view doing, Details&& details) {
  federation::v1::EmulationYear year;
  if (auto s = EmulationClient::Connect(invocation).Call(method, request, &year); !s.ok()) {
    return ReportRpcError(doing, s);
  }
  return Show(invocation, year, [&] {
    PrintYearState(year);
    details(year);
  });
}

}  // namespace fedctl
