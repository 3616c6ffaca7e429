// `fedctl profile CODE`: a provincial union's page in one call.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "tools/fedctl/commands.h"
#include "tools/fedctl/names.h"
#include "tools/fedctl/registry_client.h"
#include "tools/fedctl/registry_printers.h"

namespace fedctl {
namespace {

using federation::v1::Profile;

void PrintCurrentTerm(const Profile& profile) {
  if (!profile.has_current_term()) {
    std::cout << "\ncurrent congress term: none recorded\n";
    return;
  }
  const auto& term = profile.current_term();
  std::cout << "\ncurrent congress term:\n";
  PrintFields(std::cout, CongressTermFields(term), "  ");
  if (term.members_size() > 0) PrintLeadership(std::cout, term, "  ");
}

void PrintClusterMembership(const Profile& profile, int year) {
  if (!profile.has_cluster() || profile.cluster().cluster().number() == 0) {
    std::cout << "\ncluster " << year << ": none\n";
    return;
  }
  const auto& cluster = profile.cluster().cluster();
  std::cout << "\ncluster " << cluster.year() << ": " << cluster.number() << " (" << cluster.name()
            << "), " << ClusterRoleLabel(profile.cluster().role()) << "\n";
}

void PrintChildren(const Profile& profile) {
  if (profile.children_size() == 0) return;
  std::cout << "\nmember organisations (" << profile.children_size() << "):\n";
  Table table({"code", "kind", "name", "field", "members"});
  for (const auto& child : profile.children()) {
    table.AddRow({child.code(), KindLabel(child.kind()), child.name(), child.field(),
                  child.member_count() == 0 ? "" : absl::StrCat(child.member_count())});
  }
  table.Print(std::cout);
}

int RunProfile(const Invocation& invocation) {
  federation::v1::GetProfileRequest request;
  request.set_code(invocation.argument(0));
  request.set_year(invocation.GetYear("year"));

  Profile profile;
  auto client = RegistryClient::Connect(invocation.global());
  if (auto status = client.Call(&RegistryClient::Stub::GetProfile, request, &profile);
      !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, profile, [&] {
    PrintOrganization(std::cout, profile.organization());
    if (profile.predecessor_codes_size() > 0) {
      std::cout << "\nmerged into it: " << JoinCodes(profile.predecessor_codes()) << "\n";
    }
    PrintCurrentTerm(profile);
    PrintClusterMembership(profile, request.year());
    PrintChildren(profile);
  });
}

}  // namespace

std::vector<CommandSpec> ProfileCommands() {
  return {Command("profile",
                  "Show a provincial union: term and leadership, cluster, members, predecessors.",
                  RunProfile)
              .Args("CODE", 1, 1)
              .Option("year", "YEAR", "year of the cluster membership (default this year)")};
}

}  // namespace fedctl
