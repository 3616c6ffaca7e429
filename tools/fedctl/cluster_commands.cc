// Emulation clusters, one composition per year: `clusters`, `cluster show`,
// `cluster-of`, `cluster create`, `cluster update`.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "tools/fedctl/commands.h"
#include "tools/fedctl/names.h"
#include "tools/fedctl/registry_client.h"
#include "tools/fedctl/registry_printers.h"

namespace fedctl {
namespace {

using federation::v1::EmulationCluster;
using Stub = RegistryClient::Stub;

int32_t ClusterNumber(const Invocation& invocation) {
  int64_t number = invocation.GetCount("number", 0);
  if (number < 1 || number > 99) throw UsageError("--number must be a cluster number 1..99");
  return static_cast<int32_t>(number);
}

absl::Status GetCluster(const RegistryClient& client, int year, int32_t number,
                        EmulationCluster* cluster) {
  federation::v1::GetClusterRequest request;
  request.set_year(year);
  request.set_number(number);
  return client.Call(&Stub::GetCluster, request, cluster);
}

int RunClusters(const Invocation& invocation) {
  federation::v1::ListClustersRequest request;
  request.set_year(invocation.GetYear("year"));

  federation::v1::ListClustersResponse response;
  auto client = RegistryClient::Connect(invocation.global());
  if (auto status = client.Call(&Stub::ListClusters, request, &response); !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, response, [&] {
    PrintClusterTable(std::cout, response.clusters());
    int provinces = 0;
    for (const auto& cluster : response.clusters()) provinces += cluster.member_codes_size();
    std::cout << CountOf(response.clusters_size(), "cluster", "clusters") << ", "
              << CountOf(provinces, "member", "members") << " in " << request.year() << "\n";
  });
}

int RunClusterShow(const Invocation& invocation) {
  EmulationCluster cluster;
  auto client = RegistryClient::Connect(invocation.global());
  auto status = GetCluster(client, invocation.GetYear("year"), ClusterNumber(invocation), &cluster);
  if (!status.ok()) return ReportRpcError(status);
  return Show(invocation, cluster, [&] { PrintCluster(std::cout, cluster); });
}

int RunClusterOf(const Invocation& invocation) {
  federation::v1::GetClusterOfRequest request;
  request.set_code(invocation.argument(0));
  request.set_year(invocation.GetYear("year"));

  federation::v1::ClusterMembership membership;
  auto client = RegistryClient::Connect(invocation.global());
  if (auto status = client.Call(&Stub::GetClusterOf, request, &membership); !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, membership, [&] {
    const auto& cluster = membership.cluster();
    std::cout << request.code() << " is " << ClusterRoleLabel(membership.role()) << " of cluster "
              << cluster.number() << " (" << cluster.name() << ") in " << cluster.year() << "\n";
    PrintCluster(std::cout, cluster);
  });
}

// Copies the cluster options that were given into `cluster`; returns
// whether any was.
bool ApplyClusterOptions(const Invocation& invocation, EmulationCluster& cluster) {
  bool changed = false;
  if (invocation.Has("name")) {
    cluster.set_name(invocation.Get("name"));
    changed = true;
  }
  if (invocation.Has("members")) {
    cluster.clear_member_codes();
    for (const auto& code : invocation.GetList("members")) cluster.add_member_codes(code);
    changed = true;
  }
  if (invocation.Has("head")) {
    cluster.set_head_code(invocation.Get("head"));
    changed = true;
  }
  if (invocation.Has("deputy")) {
    cluster.set_deputy_code(invocation.Get("deputy"));
    changed = true;
  }
  return changed;
}

int RunClusterCreate(const Invocation& invocation) {
  federation::v1::CreateClusterRequest request;
  EmulationCluster& cluster = *request.mutable_cluster();
  cluster.set_year(invocation.GetYear("year"));
  cluster.set_number(ClusterNumber(invocation));
  ApplyClusterOptions(invocation, cluster);

  EmulationCluster created;
  auto client = RegistryClient::Connect(invocation.global());
  if (auto status = client.Call(&Stub::CreateCluster, request, &created); !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, created, [&] {
    std::cout << "created cluster " << created.number() << " of " << created.year() << "\n\n";
    PrintCluster(std::cout, created);
  });
}

// UpdateCluster replaces the whole cluster, so read it first and change only
// what was given.
int RunClusterUpdate(const Invocation& invocation) {
  EmulationCluster scratch;
  if (!ApplyClusterOptions(invocation, scratch)) {
    throw UsageError("nothing to change: give --name, --members, --head or --deputy");
  }
  int year = invocation.GetYear("year");
  int32_t number = ClusterNumber(invocation);

  auto client = RegistryClient::Connect(invocation.global());
  federation::v1::UpdateClusterRequest request;
  EmulationCluster& cluster = *request.mutable_cluster();
  auto status = GetCluster(client, year, number, &cluster);
  if (!status.ok()) return ReportRpcError(status);
  ApplyClusterOptions(invocation, cluster);

  EmulationCluster updated;
  if (status = client.Call(&Stub::UpdateCluster, request, &updated); !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, updated, [&] {
    std::cout << "updated cluster " << updated.number() << " of " << updated.year() << "\n\n";
    PrintCluster(std::cout, updated);
  });
}

CommandSpec& WithClusterOptions(CommandSpec& command, bool creating) {
  command.Option("year", "YEAR", "emulation year (default this year)")
      .Required("number", "N", "cluster number 1..99");
  if (creating) {
    command.Required("name", "TEXT", "display name, e.g. \"Cụm thi đua 8\"")
        .Required("members", "CODES", "comma-separated member codes, e.g. 10,11,12");
  } else {
    command.Option("name", "TEXT", "display name")
        .Option("members", "CODES", "comma-separated member codes (replaces the list)");
  }
  return command.Option("head", "CODE", "head province (cụm trưởng), a member")
      .Option("deputy", "CODE", "deputy province (cụm phó), a member");
}

CommandSpec ClusterCreateCommand() {
  CommandSpec command =
      Command("cluster create", "Constitute a cluster for a year.", RunClusterCreate);
  return WithClusterOptions(command, /*creating=*/true);
}

CommandSpec ClusterUpdateCommand() {
  CommandSpec command = Command(
      "cluster update", "Change a cluster's name, members, head or deputy.", RunClusterUpdate);
  return WithClusterOptions(command, /*creating=*/false);
}

}  // namespace

std::vector<CommandSpec> ClusterCommands() {
  return {
      Command("clusters", "List the emulation clusters of a year.", RunClusters)
          .Option("year", "YEAR", "emulation year (default this year)"),
      Command("cluster show", "Show one cluster.", RunClusterShow)
          .Option("year", "YEAR", "emulation year (default this year)")
          .Required("number", "N", "cluster number"),
      Command("cluster-of", "The cluster CODE belongs to in a year, and its role there.",
              RunClusterOf)
          .Args("CODE", 1, 1)
          .Option("year", "YEAR", "emulation year (default this year)"),
      ClusterCreateCommand(),
      ClusterUpdateCommand(),
  };
}

}  // namespace fedctl
