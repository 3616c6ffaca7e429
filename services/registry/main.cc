// registry_server: the federation's directory of organisations, mergers,
// emulation clusters and congress terms. See protos/federation/v1/registry.proto.
#include "absl/flags/parse.h"
#include "services/common/server.h"
#include "services/registry/grpc_service.h"
#include "services/registry/migrations.h"
#include "services/registry/registry.h"

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::unique_ptr<registry::Registry> logic;
  return fed::RunService("registry", registry::Migrations(), [&](const fed::ServiceDeps& deps) {
    logic = std::make_unique<registry::Registry>(*deps.db);
    std::vector<std::unique_ptr<grpc::Service>> services;
    services.push_back(std::make_unique<registry::RegistryGrpcService>(
        logic.get(), fed::CallContext{deps.verifier, deps.workers}));
    return services;
  });
}
