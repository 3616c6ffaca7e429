// reporting_server: where provinces draft, check and submit their reports;
// submitted revisions travel to the national aggregator by themselves and
// review decisions come back. See protos/federation/v1/reporting.proto.
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "services/common/server.h"
#include "services/common/topology.h"
#include "services/reporting/forwarder.h"
#include "services/reporting/grpc_service.h"
#include "services/reporting/migrations.h"
#include "services/reporting/registry_client.h"
#include "services/reporting/reporting.h"

ABSL_FLAG(std::string, registry_target, fed::DefaultAddress("registry"),
          "Address of the registry service.");
ABSL_FLAG(std::string, aggregator_target, fed::DefaultAddress("aggregator"),
          "Address of the national aggregator that submitted reports are pushed to.");
ABSL_FLAG(std::string, competition_target, fed::DefaultAddress("competition"),
          "Address of the competition service that annual drafts take contest figures from "
          "(empty: none).");
ABSL_FLAG(std::string, emulation_target, fed::DefaultAddress("emulation"),
          "Address of the emulation service that annual drafts take the flags and certificates "
          "of merit received from (empty: none).");
ABSL_FLAG(bool, forward, true, "Run the forwarder (push to / decisions from the aggregator).");
ABSL_FLAG(int, forward_batch_size, 100, "Reports per PushReports stream.");
ABSL_FLAG(int, forward_backoff_initial_ms, 200,
          "First retry delay after the aggregator failed (doubles, full jitter).");
ABSL_FLAG(int, forward_backoff_max_ms, 30000, "Longest retry delay.");
ABSL_FLAG(int, outbox_check_interval_ms, 5000,
          "How often the forwarder looks at the outbox unprompted (a submission wakes it at "
          "once; review decisions arrive on the aggregator's change stream).");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::unique_ptr<reporting::RegistryClient> registry;
  std::unique_ptr<reporting::Reporting> logic;
  std::unique_ptr<reporting::ContestFigures> contests;
  std::unique_ptr<reporting::EmulationAwards> awards;
  return fed::RunService("reporting", reporting::Migrations(), [&](const fed::ServiceDeps& deps) {
    registry = std::make_unique<reporting::RegistryClient>(absl::GetFlag(FLAGS_registry_target));
    logic = std::make_unique<reporting::Reporting>(*deps.db, *registry);
    contests = std::make_unique<reporting::ContestFigures>(absl::GetFlag(FLAGS_competition_target));
    logic->UseContestFigures(contests.get());
    awards = std::make_unique<reporting::EmulationAwards>(absl::GetFlag(FLAGS_emulation_target));
    logic->UseEmulationAwards(awards.get());
    auto service = std::make_unique<reporting::ReportingGrpcService>(
        logic.get(), fed::CallContext{deps.verifier, deps.workers});
    if (absl::GetFlag(FLAGS_forward)) {
      reporting::ForwarderOptions options;
      options.aggregator_target = absl::GetFlag(FLAGS_aggregator_target);
      options.batch_size = std::max(1, absl::GetFlag(FLAGS_forward_batch_size));
      options.backoff_initial = absl::Milliseconds(absl::GetFlag(FLAGS_forward_backoff_initial_ms));
      options.backoff_max = absl::Milliseconds(absl::GetFlag(FLAGS_forward_backoff_max_ms));
      options.outbox_check_interval =
          absl::Milliseconds(absl::GetFlag(FLAGS_outbox_check_interval_ms));
      options.lock_url = absl::GetFlag(FLAGS_db);
      auto forwarder = std::make_unique<reporting::Forwarder>(*deps.db, options);
      reporting::Forwarder* raw = forwarder.get();
      logic->OnSubmitted([raw] { raw->Wake(); });
      forwarder->Start();
      service->Own(std::move(forwarder));
    }
    std::vector<std::unique_ptr<grpc::Service>> services;
    services.push_back(std::move(service));
    return services;
  });
}
