// emulation_server: the emulation year of each cluster, from covenant to
// award. See protos/federation/v1/emulation.proto.
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "services/common/client.h"
#include "services/common/server.h"
#include "services/common/topology.h"
#include "services/emulation/emulation.h"
#include "services/emulation/grpc_service.h"
#include "services/emulation/migrations.h"
#include "services/emulation/sources.h"

ABSL_FLAG(std::string, registry_target, fed::DefaultAddress("registry"),
          "Address of the registry service (clusters, members and their lives).");
ABSL_FLAG(std::string, ranking_target, fed::DefaultAddress("ranking"),
          "Address of the ranking service (schemes and computed scores).");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::unique_ptr<emulation::GrpcSources> sources;
  std::unique_ptr<emulation::Emulation> logic;
  return fed::RunService("emulation", emulation::Migrations(), [&](const fed::ServiceDeps& deps) {
    sources = std::make_unique<emulation::GrpcSources>(
        fed::OpenChannel(absl::GetFlag(FLAGS_registry_target)),
        fed::OpenChannel(absl::GetFlag(FLAGS_ranking_target)));
    logic = std::make_unique<emulation::Emulation>(*deps.db, *sources);
    std::vector<std::unique_ptr<grpc::Service>> services;
    services.push_back(std::make_unique<emulation::EmulationGrpcService>(
        logic.get(), fed::CallContext{deps.verifier, deps.workers}));
    return services;
  });
}
