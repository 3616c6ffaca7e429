#include "services/common/server.h"

#include <csignal>
#include <thread>
#include "absl/strings/string_view.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "services/common/client.h"
#include "services/common/log.h"
#include "services/common/topology.h"
#include "services/common/transport.h"

ABSL_FLAG(std::string, listen, "",
          "Address the server listens on (default: 127.0.0.1 and the service's own port in "
          "deploy/topology.txt).");
ABSL_FLAG(std::string, db, "postgresql://federation@127.0.0.1:55432/federation",
          "PostgreSQL connection URL the service serves with: its runtime role "
          "(<service>_app), which may run its DML and nothing else.");
ABSL_FLAG(std::string, db_owner, "",
          "PostgreSQL connection URL of the schema's owner role (<service>_owner), used only to "
          "apply pending migrations at start-up and closed before serving. Empty: --db checks "
          "that every migration is applied (and applies them, if that role may).");
ABSL_FLAG(bool, migrate_only, false,
          "Apply the migrations (with --db_owner, else --db) and exit: a deployment step that "
          "keeps the owner's credentials away from the serving process.");
ABSL_FLAG(std::string, token_secret_file, ".run/secret",
          "File holding the HMAC secret that signs access tokens.");
ABSL_FLAG(int, db_pool_size, 8, "Number of PostgreSQL connections.");
ABSL_FLAG(int, workers, 8, "Threads that run request handlers (they may block on the database).");
ABSL_FLAG(std::string, log_level, "info", "Log level: debug, info, warn, error.");

namespace fed {
namespace {

std::atomic<bool> g_stop_requested{false};

void OnStopSignal(int) { g_stop_requested.store(true); }

// A dependency that cannot be reached leaves the process serving (it still
// answers what it can) but degraded: its health name says so, for
// `tools/dev status` and for monitoring, without failing the liveness probe.
void PublishDependencyHealth(grpc::Server& server) {
  grpc::HealthCheckServiceInterface* health = server.GetHealthCheckService();
  if (health == nullptr) return;
  for (const DependencyState& dependency : DependencyStates()) {
    health->SetServingStatus(absl::StrCat(kDependencyHealthPrefix, dependency.name),
                             dependency.healthy);
  }
}

// Waits for the database and applies the pending migrations as the schema's
// owner (--db_owner; else with --db, which then only checks them). A
// database that restarts while the service starts delays the start; it does
// not end it.
absl::Status PrepareDatabase(absl::string_view name, const std::vector<Migration>& migrations) {
  const std::string owner_url = absl::GetFlag(FLAGS_db_owner);
  const std::string migrate_url = owner_url.empty() ? absl::GetFlag(FLAGS_db) : owner_url;
  absl::Status ready;
  for (int attempt = 1; attempt <= 5; ++attempt) {
    ready = WaitForDatabase(migrate_url, 30);
    if (ready.ok()) ready = ApplyMigrations(migrate_url, std::string(name), migrations);
    if (ready.code() != absl::StatusCode::kUnavailable) break;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  return ready;
}

}  // namespace

std::string ListenAddress(absl::string_view service) {
  std::string address = absl::GetFlag(FLAGS_listen);
  return address.empty() ? DefaultAddress(service) : address;
}

absl::StatusOr<std::unique_ptr<grpc::Server>> StartGrpcServer(
    const std::string& address, const std::vector<grpc::Service*>& services, int* bound_port) {
  absl::StatusOr<Transport> transport = CurrentTransport();
  if (!transport.ok()) return transport.status();
  return StartGrpcServerWith(*transport, address, services, bound_port);
}

absl::StatusOr<std::unique_ptr<grpc::Server>> StartGrpcServerWith(
    const Transport& transport, const std::string& address,
    const std::vector<grpc::Service*>& services, int* bound_port) {
  if (!transport.insecure && (transport.cert_pem.empty() || transport.key_pem.empty())) {
    return absl::FailedPreconditionError(
        "a TLS server needs a certificate and key of its own (--tls_dir with <tls_name>.crt "
        "and .key)");
  }
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, ServerCredentialsFor(transport), bound_port);
  // Reports can carry long narratives, but nothing legitimate is near this.
  builder.SetMaxReceiveMessageSize(4 * 1024 * 1024);
  for (grpc::Service* service : services) builder.RegisterService(service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || (bound_port && *bound_port == 0)) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
  }
  return server;
}

void UseServingSettings() { absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore); }

int RunService(absl::string_view name, const std::vector<Migration>& migrations,
               const ServiceFactory& make_services, const std::function<void()>& before_teardown,
               const std::function<void()>& before_shutdown) {
  UseServingSettings();
  InitLogging(name);
  spdlog::set_level(spdlog::level::from_str(absl::GetFlag(FLAGS_log_level)));
  const std::string db_url = absl::GetFlag(FLAGS_db);

  if (absl::GetFlag(FLAGS_migrate_only)) {
    absl::Status migrated = PrepareDatabase(name, migrations);
    if (!migrated.ok()) {
      spdlog::critical("event=migrate_failed error=\"{}\"", migrated.message());
      return 1;
    }
    spdlog::info("event=migrated schema={}", name);
    return 0;
  }

  // Before anything else: a service told neither certificates nor
  // --insecure must not start at all (secure by default).
  if (absl::Status transport = ConfigureTransportFromFlags(name); !transport.ok()) {
    spdlog::critical("event=start_failed error=\"{}\"", transport.message());
    return 1;
  }

  auto signer = TokenSigner::FromFile(absl::GetFlag(FLAGS_token_secret_file));
  if (!signer.ok()) {
    spdlog::critical("event=start_failed error=\"{}\"", signer.status().message());
    return 1;
  }
  if (absl::Status ready = PrepareDatabase(name, migrations); !ready.ok()) {
    spdlog::critical("event=start_failed error=\"{}\"", ready.message());
    return 1;
  }

  DbPool db(db_url, std::string(name), absl::GetFlag(FLAGS_db_pool_size));
  WorkerPool workers(absl::GetFlag(FLAGS_workers));
  ServiceDeps deps{&*signer, &db, &workers};
  std::vector<std::unique_ptr<grpc::Service>> services = make_services(deps);
  std::vector<grpc::Service*> raw;
  for (auto& service : services) raw.push_back(service.get());

  int port = 0;
  const std::string address = ListenAddress(name);
  auto server = StartGrpcServer(address, raw, &port);
  if (!server.ok()) {
    spdlog::critical("event=start_failed error=\"{}\"", server.status().message());
    return 1;
  }
  spdlog::info("event=serving address={} port={} transport=\"{}\"", address, port,
               CurrentTransport()->description);

  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  for (int tick = 0; !g_stop_requested.load(); ++tick) {
    if (tick % 10 == 0) PublishDependencyHealth(**server);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }

  spdlog::info("event=stopping");
  if (before_shutdown) before_shutdown();
  (*server)->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  if (before_teardown) before_teardown();
  return 0;
}

}  // namespace fed
