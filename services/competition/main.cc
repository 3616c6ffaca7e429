// competition_server: contests, entries, conflict-free judging, prizes and
// nominations. See protos/federation/v1/competition.proto.
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "services/common/client.h"
#include "services/common/server.h"
#include "services/common/topology.h"
#include "services/competition/competition.h"
#include "services/competition/directory.h"
#include "services/competition/grpc_service.h"
#include "services/competition/migrations.h"

ABSL_FLAG(std::string, registry_target, fed::DefaultAddress("registry"),
          "Address of the registry service.");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::unique_ptr<competition::Directory> directory;
  std::unique_ptr<competition::Competition> logic;
  return fed::RunService("competition", competition::Migrations(),
                         [&](const fed::ServiceDeps& deps) {
                           directory = std::make_unique<competition::Directory>(
                               fed::OpenChannel(absl::GetFlag(FLAGS_registry_target)));
                           logic = std::make_unique<competition::Competition>(*deps.db, *directory);
                           std::vector<std::unique_ptr<grpc::Service>> services;
                           services.push_back(std::make_unique<competition::CompetitionGrpcService>(
                               logic.get(), fed::CallContext{deps.verifier, deps.workers}));
                           return services;
                         });
}
