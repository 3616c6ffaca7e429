// `fedctl audit`: who wrote what in the registry, newest first.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "services/common/auth.h"
#include "tools/fedctl/commands.h"
#include "tools/fedctl/registry_client.h"

namespace fedctl {
namespace {

int RunAudit(const Invocation& invocation) {
  federation::v1::ListAuditEventsRequest request;
  // This --target is the command's own option (what the events are about);
  // the server address is the global --target given before the command.
  request.set_target(invocation.Get("target"));
  int64_t limit = invocation.GetCount("limit", 0);
  if (limit > 1000) throw UsageError("--limit must be at most 1000");
  request.set_limit(static_cast<int32_t>(limit));

  federation::v1::ListAuditEventsResponse response;
  auto client = RegistryClient::Connect(invocation.global());
  if (auto status = client.Call(&RegistryClient::Stub::ListAuditEvents, request, &response);
      !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, response, [&] {
    Table table({"id", "at", "subject", "role", "org", "action", "target"});
    for (const auto& event : response.events()) {
      table.AddRow({absl::StrCat(event.id()), FormatTimestamp(event.at()), event.subject(),
                    std::string(fed::RoleName(event.role())), event.actor_organization_code(),
                    event.action(), event.target()});
    }
    table.Print(std::cout);
    std::cout << CountOf(response.events_size(), "event", "events") << "\n";
  });
}

}  // namespace

std::vector<CommandSpec> AuditCommands() {
  return {Command("audit", "List registry writes, newest first.", RunAudit)
              .Option("target", "WHAT",
                      "only events about WHAT: a code, \"cluster:2025/4\", \"congress:17\" (the "
                      "server address then goes before the command: fedctl --target HOST:PORT "
                      "audit --target 14)")
              .Option("limit", "N", "at most N events (server default 100, max 1000)")};
}

}  // namespace fedctl
