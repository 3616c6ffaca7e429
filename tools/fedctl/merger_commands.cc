// Mergers and what they mean for a code: `successor`, `predecessors`,
// `mergers`, `merger record`.
#include <iostream>

#include "absl/strings/str_join.h"
#include "services/common/dates.h"
#include "tools/fedctl/commands.h"
#include "tools/fedctl/names.h"
#include "tools/fedctl/registry_client.h"
#include "tools/fedctl/registry_printers.h"

namespace fedctl {
namespace {

using federation::v1::Merger;
using federation::v1::Organization;
using Stub = RegistryClient::Stub;

// The place name of `code` for display, or "" when it cannot be read; the
// answer is decoration, so its failure must not fail the command.
std::string NameOf(const RegistryClient& client, const std::string& code) {
  federation::v1::GetOrganizationRequest request;
  request.set_code(code);
  Organization organization;
  if (!client.Call(&Stub::GetOrganization, request, &organization).ok()) return "";
  return PlaceName(organization);
}

int RunSuccessor(const Invocation& invocation) {
  federation::v1::ResolveSuccessorRequest request;
  request.set_code(invocation.argument(0));
  request.set_on(invocation.GetDate("on", fed::FormatDate(fed::Today())));

  federation::v1::ResolveSuccessorResponse response;
  auto client = RegistryClient::Connect(invocation.global());
  if (auto status = client.Call(&Stub::ResolveSuccessor, request, &response); !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, response, [&] {
    std::string asked_name = NameOf(client, request.code());
    std::cout << request.code();
    if (!asked_name.empty()) std::cout << " (" << asked_name << ")";
    std::cout << " on " << request.on() << " → " << response.organization().code() << " "
              << PlaceName(response.organization()) << "\n";
    std::cout << "path: " << absl::StrJoin(response.path(), " → ") << "\n";
  });
}

int RunPredecessors(const Invocation& invocation) {
  federation::v1::ListPredecessorsRequest request;
  request.set_code(invocation.argument(0));
  request.set_transitive(invocation.Switch("transitive"));

  federation::v1::ListPredecessorsResponse response;
  auto client = RegistryClient::Connect(invocation.global());
  if (auto status = client.Call(&Stub::ListPredecessors, request, &response); !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, response, [&] {
    if (response.predecessor_codes_size() == 0) {
      std::cout << request.code() << " has no predecessors\n";
      return;
    }
    PrintMergerTable(std::cout, response.mergers());
    std::cout << "predecessors of " << request.code() << ": "
              << JoinCodes(response.predecessor_codes()) << "\n";
  });
}

int RunMergers(const Invocation& invocation) {
  federation::v1::ListMergersRequest request;
  request.set_code(invocation.argument(0));

  federation::v1::ListMergersResponse response;
  auto client = RegistryClient::Connect(invocation.global());
  if (auto status = client.Call(&Stub::ListMergers, request, &response); !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, response, [&] {
    PrintMergerTable(std::cout, response.mergers());
    std::cout << CountOf(response.mergers_size(), "merger", "mergers") << "\n";
  });
}

int RunMergerRecord(const Invocation& invocation) {
  federation::v1::RecordMergerRequest request;
  Merger& merger = *request.mutable_merger();
  merger.set_successor_code(invocation.Get("successor"));
  for (const auto& code : invocation.GetList("predecessors")) merger.add_predecessor_codes(code);
  if (merger.predecessor_codes_size() == 0) throw UsageError("--predecessors lists no codes");
  merger.set_effective_on(invocation.GetDate("on"));
  merger.set_decision(invocation.Get("decision"));

  Merger recorded;
  auto client = RegistryClient::Connect(invocation.global());
  if (auto status = client.Call(&Stub::RecordMerger, request, &recorded); !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, recorded, [&] {
    std::cout << "recorded merger " << recorded.id() << ": "
              << JoinCodes(recorded.predecessor_codes()) << " → " << recorded.successor_code()
              << " from " << recorded.effective_on() << "\n";
  });
}

}  // namespace

std::vector<CommandSpec> MergerCommands() {
  return {
      Command("successor", "Which organisation carries a (possibly old) code on a date.",
              RunSuccessor)
          .Args("CODE", 1, 1)
          .Option("on", "DATE", "date YYYY-MM-DD (default today)"),
      Command("predecessors", "The organisations merged into CODE.", RunPredecessors)
          .Args("CODE", 1, 1)
          .Switch("transitive", "also predecessors of predecessors"),
      Command("mergers", "List mergers, all or those involving CODE.", RunMergers)
          .Args("[CODE]", 0, 1),
      Command("merger record", "Record a merger (predecessors stop existing on --on).",
              RunMergerRecord)
          .Required("successor", "CODE", "organisation that continues (may be a predecessor)")
          .Required("predecessors", "CODES", "comma-separated codes merged, e.g. 44,45")
          .Required("on", "DATE", "first day of the merged organisation")
          .Option("decision", "TEXT", "the decision, e.g. \"Nghị quyết 202/2025/QH15\""),
  };
}

}  // namespace fedctl
