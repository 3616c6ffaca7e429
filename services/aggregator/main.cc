// aggregator_server: the national intake, review and figures.
// See protos/federation/v1/aggregator.proto.
#include <unistd.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/aggregator/aggregator.h"
#include "services/aggregator/directory.h"
#include "services/aggregator/feed_pruner.h"
#include "services/aggregator/feed_tail.h"
#include "services/aggregator/figures.h"
#include "services/aggregator/grpc_service.h"
#include "services/aggregator/intake.h"
#include "services/aggregator/leadership.h"
#include "services/aggregator/migrations.h"
#include "services/common/client.h"
#include "services/common/log.h"
#include "services/common/server.h"
#include "services/common/topology.h"

ABSL_FLAG(std::string, registry_target, fed::DefaultAddress("registry"),
          "Address of the registry service.");
ABSL_FLAG(int, push_batch, 200, "Most pushed reports written in one transaction.");
ABSL_FLAG(int, push_waiting_limit, aggregator::IntakeLimits().max_waiting,
          "Most pushed reports waiting to be written, in all; beyond it a push stream ends with "
          "RESOURCE_EXHAUSTED.");
ABSL_FLAG(int, push_waiting_per_caller, aggregator::IntakeLimits().max_waiting_per_pusher,
          "Most pushed reports of one token waiting to be written.");
ABSL_FLAG(absl::Duration, feed_heartbeat, absl::Seconds(5),
          "How often a quiet WatchChanges stream gets a heartbeat.");
ABSL_FLAG(int, feed_retention_days, 400,
          "Changes older than this are pruned from the change feed (decisions stay on their "
          "revisions and in the audit log); 0 keeps them all.");

ABSL_FLAG(std::string, replica_name, "",
          "How this aggregator is named when it becomes the active one (the leadership row, the "
          "logs, a standby's refusals); default: host name and --listen address.");

namespace {

std::string ReplicaName() {
  std::string name = absl::GetFlag(FLAGS_replica_name);
  if (!name.empty()) return name;
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return absl::StrCat(host, "/", fed::ListenAddress("aggregator"));
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  aggregator::Figures figures;
  std::unique_ptr<aggregator::Directory> directory;
  std::unique_ptr<aggregator::Aggregator> logic;
  std::unique_ptr<aggregator::Leadership> leadership;
  std::unique_ptr<aggregator::Intake> intake;
  std::unique_ptr<aggregator::FeedTail> tail;
  std::unique_ptr<aggregator::FeedPruner> pruner;
  return fed::RunService(
      "aggregator", aggregator::Migrations(),
      [&](const fed::ServiceDeps& deps) {
        directory = std::make_unique<aggregator::Directory>(
            fed::OpenChannel(absl::GetFlag(FLAGS_registry_target)));
        // Active or standby (leadership.h): decided before anything writes.
        aggregator::Leadership::Options lead;
        lead.holder = ReplicaName();
        leadership = std::make_unique<aggregator::Leadership>(absl::GetFlag(FLAGS_db), *deps.db,
                                                              figures, lead);
        logic = std::make_unique<aggregator::Aggregator>(*deps.db, figures, *directory,
                                                         leadership.get());
        // The database restarting now delays the start, it does not end it.
        // A load cut short may run again: Apply keeps each report's newest
        // standing, so nothing counts twice.
        absl::Status loaded = logic->LoadFigures();
        for (int attempt = 1; absl::IsUnavailable(loaded) && attempt < 30; ++attempt) {
          spdlog::warn("event=figures_load_retry attempt={} error={}", attempt,
                       fed::LogQuoted(loaded.message()));
          absl::SleepFor(absl::Seconds(1));
          loaded = logic->LoadFigures();
        }
        if (!loaded.ok()) {
          spdlog::critical("event=start_failed error={}", fed::LogQuoted(loaded.message()));
          std::exit(1);
        }
        spdlog::info("event=figures_loaded last_sequence={}", figures.last_sequence());
        aggregator::IntakeLimits limits;
        limits.max_waiting = absl::GetFlag(FLAGS_push_waiting_limit);
        limits.max_waiting_per_pusher = absl::GetFlag(FLAGS_push_waiting_per_caller);
        intake = std::make_unique<aggregator::Intake>(*deps.db, figures, *directory,
                                                      absl::GetFlag(FLAGS_push_batch), limits,
                                                      leadership.get());
        // After the figures' load: a standby catches up from where it ended.
        leadership->Start();
        fed::PublishHealth(fed::kAggregatorIntakeHealth,
                           [&leadership] { return leadership->active(); });
        aggregator::FeedTail::Options feed;
        feed.heartbeat = absl::GetFlag(FLAGS_feed_heartbeat);
        tail = std::make_unique<aggregator::FeedTail>(*deps.db, figures, feed);
        if (absl::Status started = tail->Start(); !started.ok()) {
          spdlog::critical("event=start_failed error={}", fed::LogQuoted(started.message()));
          std::exit(1);
        }
        if (const int days = absl::GetFlag(FLAGS_feed_retention_days); days > 0) {
          pruner = std::make_unique<aggregator::FeedPruner>(*deps.db, absl::Hours(24) * days);
          pruner->Start();
        }
        std::vector<std::unique_ptr<grpc::Service>> services;
        services.push_back(std::make_unique<aggregator::AggregatorGrpcService>(
            logic.get(), intake.get(), tail.get(), fed::CallContext{deps.verifier, deps.workers}));
        return services;
      },
      [&] {
        pruner.reset();
        intake.reset();
        leadership.reset();
      },
      // Streams end first (UNAVAILABLE: followers resume elsewhere), or the
      // server's shutdown would wait for them.
      [&] { tail->Stop(); });
}
