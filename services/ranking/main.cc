// ranking_server: emulation-cluster rankings and comparisons.
// See protos/federation/v1/ranking.proto.
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "services/common/client.h"
#include "services/common/log.h"
#include "services/common/server.h"
#include "services/common/topology.h"
#include "services/ranking/engine.h"
#include "services/ranking/grpc_service.h"
#include "services/ranking/migrations.h"
#include "services/ranking/ranking.h"
#include "services/ranking/sources.h"

ABSL_FLAG(std::string, registry_target, fed::DefaultAddress("registry"),
          "Address of the registry service.");
ABSL_FLAG(std::string, aggregator_target, fed::DefaultAddress("aggregator"),
          "Address of the aggregator service.");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::unique_ptr<ranking::Sources> sources;
  std::unique_ptr<ranking::Engine> engine;
  std::unique_ptr<ranking::Ranking> logic;
  return fed::RunService(
      "ranking", ranking::Migrations(),
      [&](const fed::ServiceDeps& deps) {
        sources = std::make_unique<ranking::Sources>(
            fed::OpenChannel(absl::GetFlag(FLAGS_registry_target)),
            fed::OpenChannel(absl::GetFlag(FLAGS_aggregator_target)));
        engine = std::make_unique<ranking::Engine>(*sources, *deps.db);
        if (absl::Status loaded = engine->Load(); !loaded.ok()) {
          spdlog::critical("event=start_failed error={}", fed::LogQuoted(loaded.message()));
          std::exit(1);
        }
        engine->Start();
        logic = std::make_unique<ranking::Ranking>(*deps.db, *engine);
        std::vector<std::unique_ptr<grpc::Service>> services;
        services.push_back(std::make_unique<ranking::RankingGrpcService>(
            logic.get(), fed::CallContext{deps.verifier, deps.workers}));
        return services;
      },
      [&] {
        if (engine) engine->Stop();
      });
}
