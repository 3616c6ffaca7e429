#include "services/common/server.h"

#include <algorithm>
#include <climits>
#include <csignal>
#include <cstdint>
#include <memory>
#include <optional>
#include <thread>
#include <vector>
#include "absl/strings/string_view.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/impl/server_builder_option.h>
#include <grpcpp/impl/server_builder_plugin.h>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "services/common/client.h"
#include "services/common/identity.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
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
ABSL_FLAG(int, db_pool_size, 8, "Number of PostgreSQL connections.");
ABSL_FLAG(int, workers, 8, "Threads that run request handlers (they may block on the database).");
ABSL_FLAG(std::string, log_level, "info", "Log level: debug, info, warn, error.");
ABSL_FLAG(std::string, health_listen, "",
          "Also serve grpc.health.v1, and nothing else, in plaintext on this HOST:PORT, for "
          "probes that speak no TLS (Kubernetes' gRPC probe); off when empty.");
ABSL_FLAG(std::string, metrics_listen, "",
          "Serve Prometheus metrics as text on http://HOST:PORT/metrics (plain HTTP: a loopback "
          "or private address); off when empty. tools/dev up uses the service's port + 1000.");
ABSL_FLAG(absl::Duration, max_connection_age, absl::Minutes(5),
          "Clients are asked (GOAWAY) to open a new connection after this long, calls in "
          "progress and open streams finishing on the old one: a client spreading its calls "
          "over every replica (round_robin) then finds replicas started after it connected.");
ABSL_FLAG(bool, reflection, false,
          "Serve gRPC server reflection on the service's port: it describes the whole API to "
          "any caller that completes the TLS handshake, token or not.");

namespace fed {
namespace {

std::atomic<bool> g_stop_requested{false};

// Health names published from a condition (PublishHealth), with what was
// published last.
struct HealthSource {
  std::string name;
  std::function<bool()> serving;
  std::optional<bool> published;
};
absl::Mutex g_health_sources_mu(absl::kConstInit);
std::vector<HealthSource>& HealthSources() ABSL_EXCLUSIVE_LOCKS_REQUIRED(g_health_sources_mu) {
  static auto* sources = new std::vector<HealthSource>();
  return *sources;
}

// Publishes each source whose condition changed since it was last published.
void PublishHealthSources(const std::vector<grpc::Server*>& servers) {
  absl::MutexLock lock(&g_health_sources_mu);
  for (HealthSource& source : HealthSources()) {
    const bool serving = source.serving();
    if (source.published == serving) continue;
    SetHealth(servers, source.name, serving);
    source.published = serving;
  }
}

void OnStopSignal(int) { g_stop_requested.store(true); }

// A dependency that cannot be reached leaves the process serving (it still
// answers what it can) but degraded: its health name says so, for
// `tools/dev status` and for monitoring, without failing the liveness probe.
void PublishDependencyHealth(const std::vector<grpc::Server*>& servers) {
  for (const DependencyState& dependency : DependencyStates()) {
    SetHealth(servers, absl::StrCat(kDependencyHealthPrefix, dependency.name), dependency.healthy);
  }
}

// --health_listen, started once the service's port serves, so that SERVING
// there means the service is ready; nullptr when not asked for.
absl::StatusOr<std::unique_ptr<grpc::Server>> MaybeStartHealthPort() {
  const std::string address = absl::GetFlag(FLAGS_health_listen);
  if (address.empty()) return nullptr;
  int port = 0;
  auto server = StartHealthServer(address, &port);
  if (server.ok()) {
    spdlog::info("event=health_serving address={} port={} transport=plaintext", address, port);
  }
  return server;
}

// Reflection on a server only when `wanted`. Linking gRPC's reflection
// library registers it for every server the process builds (a static
// initialiser calls InitProtoReflectionServerBuilderPlugin), so it is taken
// out of the builder's plugins wherever it is not wanted.
class ReflectionOption final : public grpc::ServerBuilderOption {
 public:
  explicit ReflectionOption(bool wanted) : wanted_(wanted) {}
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    auto reflection = std::make_unique<grpc::reflection::ProtoServerReflectionPlugin>();
    const std::string name = reflection->name();
    plugins->erase(std::remove_if(plugins->begin(), plugins->end(),
                                  [&](const auto& plugin) { return plugin->name() == name; }),
                   plugins->end());
    if (wanted_) plugins->push_back(std::move(reflection));
  }

 private:
  const bool wanted_;
};

// gRPC refuses to build a server with no method of its own ("At least one of
// the completion queues must be frequently polled"): the health service is
// added only when the server starts. A server of no service (the health
// port, some tests) gets a generic service that answers every call
// UNIMPLEMENTED, as gRPC does for a method it does not know. gRPC allows one
// server per generic service, and it must outlive its server: they are kept
// for the life of the process, one per such server, a handful.
class UnknownMethods {
 public:
  grpc::CallbackGenericService* New() {
    absl::MutexLock lock(&mu_);
    return kept_.emplace_back(std::make_unique<grpc::CallbackGenericService>()).get();
  }

 private:
  absl::Mutex mu_;
  std::vector<std::unique_ptr<grpc::CallbackGenericService>> kept_ ABSL_GUARDED_BY(mu_);
};

void AnswerUnknownMethods(grpc::ServerBuilder& builder) {
  static auto* const unknown = new UnknownMethods();
  builder.RegisterCallbackGenericService(unknown->New());
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
  grpc::ServerBuilder builder;
  builder.SetOption(std::make_unique<ReflectionOption>(absl::GetFlag(FLAGS_reflection)));
  builder.AddListeningPort(address, ServerCredentialsFor(transport), bound_port);
  // Reports can carry long narratives, but nothing legitimate is near this.
  builder.SetMaxReceiveMessageSize(4 * 1024 * 1024);
  builder.AddChannelArgument(
      GRPC_ARG_MAX_CONNECTION_AGE_MS,
      static_cast<int>(std::min<int64_t>(
          absl::ToInt64Milliseconds(absl::GetFlag(FLAGS_max_connection_age)), INT32_MAX)));
  for (grpc::Service* service : services) builder.RegisterService(service);
  if (services.empty()) AnswerUnknownMethods(builder);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || (bound_port && *bound_port == 0)) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
  }
  return server;
}

absl::StatusOr<std::unique_ptr<grpc::Server>> StartHealthServer(const std::string& address,
                                                                int* bound_port) {
  // The default health service (added at start) is all it serves.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.SetOption(std::make_unique<ReflectionOption>(false));
  AnswerUnknownMethods(builder);
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), bound_port);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || (bound_port && *bound_port == 0)) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", address, " (--health_listen)"));
  }
  return server;
}

void SetHealth(const std::vector<grpc::Server*>& servers, const std::string& name, bool serving) {
  for (grpc::Server* server : servers) {
    grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
    if (health != nullptr) health->SetServingStatus(name, serving);
  }
}

void PublishHealth(std::string name, std::function<bool()> serving) {
  absl::MutexLock lock(&g_health_sources_mu);
  HealthSources().push_back({std::move(name), std::move(serving), std::nullopt});
}

void UseServingSettings() { absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore); }

absl::StatusOr<std::unique_ptr<prometheus::Exposer>> MaybeServeMetrics() {
  const std::string listen = absl::GetFlag(FLAGS_metrics_listen);
  if (listen.empty()) return nullptr;
  auto exposer = metrics::Serve(listen);
  if (exposer.ok()) spdlog::info("event=metrics_serving address={}", LogQuoted(listen));
  return exposer;
}

int RunService(absl::string_view name, const std::vector<Migration>& migrations,
               const ServiceFactory& make_services, const std::function<void()>& before_teardown,
               const std::function<void()>& before_shutdown) {
  UseServingSettings();
  InitLogging(name);
  metrics::SetService(std::string(name));
  spdlog::set_level(spdlog::level::from_str(absl::GetFlag(FLAGS_log_level)));
  const std::string db_url = absl::GetFlag(FLAGS_db);

  if (absl::GetFlag(FLAGS_migrate_only)) {
    absl::Status migrated = PrepareDatabase(name, migrations);
    if (!migrated.ok()) {
      spdlog::critical("event=migrate_failed error={}", LogQuoted(migrated.message()));
      return 1;
    }
    spdlog::info("event=migrated schema={}", name);
    return 0;
  }

  // Before anything else: a service told neither certificates nor
  // --insecure must not start at all (secure by default).
  if (absl::Status transport = ConfigureTransportFromFlags(name); !transport.ok()) {
    spdlog::critical("event=start_failed error={}", LogQuoted(transport.message()));
    return 1;
  }

  absl::StatusOr<std::unique_ptr<TokenVerifier>> verifier = IdentityFromFlags(name);
  if (!verifier.ok()) {
    spdlog::critical("event=start_failed error={}", LogQuoted(verifier.status().message()));
    return 1;
  }
  if (absl::Status ready = PrepareDatabase(name, migrations); !ready.ok()) {
    spdlog::critical("event=start_failed error={}", LogQuoted(ready.message()));
    return 1;
  }

  DbPool db(db_url, std::string(name), absl::GetFlag(FLAGS_db_pool_size));
  WorkerPool workers(absl::GetFlag(FLAGS_workers));
  ServiceDeps deps{verifier->get(), &db, &workers};
  std::vector<std::unique_ptr<grpc::Service>> services = make_services(deps);
  std::vector<grpc::Service*> raw;
  for (auto& service : services) raw.push_back(service.get());

  int port = 0;
  const std::string address = ListenAddress(name);
  auto server = StartGrpcServer(address, raw, &port);
  if (!server.ok()) {
    spdlog::critical("event=start_failed error={}", LogQuoted(server.status().message()));
    return 1;
  }
  spdlog::info("event=serving address={} port={} transport={}", address, port,
               LogQuoted(CurrentTransport()->description));
  auto health_port = MaybeStartHealthPort();
  if (!health_port.ok()) {
    spdlog::critical("event=start_failed error={}", LogQuoted(health_port.status().message()));
    return 1;
  }
  std::vector<grpc::Server*> servers = {server->get()};
  if (*health_port) servers.push_back(health_port->get());
  auto metrics_exposer = MaybeServeMetrics();
  if (!metrics_exposer.ok()) {
    spdlog::critical("event=start_failed error={}", LogQuoted(metrics_exposer.status().message()));
    return 1;
  }

  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  for (int tick = 0; !g_stop_requested.load(); ++tick) {
    if (tick % 10 == 0) PublishDependencyHealth(servers);
    PublishHealthSources(servers);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }

  spdlog::info("event=stopping");
  // Probes on the health port hear NOT_SERVING while the service drains, as
  // they do on its own port once it shuts down.
  if (*health_port) (*health_port)->GetHealthCheckService()->Shutdown();
  if (before_shutdown) before_shutdown();
  (*server)->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  if (*health_port) (*health_port)->Shutdown(std::chrono::system_clock::now());
  if (before_teardown) before_teardown();
  return 0;
}

}  // namespace fed
