// Server bootstrap shared by every service: flags, logging, migrations, the
// database pool, health checking (with an optional plaintext health port) and
// optional reflection, graceful shutdown.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>
#include "absl/strings/string_view.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/service_type.h>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "services/common/auth.h"
#include "services/common/db.h"
#include "services/common/worker_pool.h"

ABSL_DECLARE_FLAG(std::string, listen);
ABSL_DECLARE_FLAG(std::string, db);
ABSL_DECLARE_FLAG(int, db_pool_size);
ABSL_DECLARE_FLAG(int, workers);
ABSL_DECLARE_FLAG(std::string, log_level);
ABSL_DECLARE_FLAG(std::string, health_listen);
ABSL_DECLARE_FLAG(bool, reflection);

namespace prometheus {
class Exposer;
}  // namespace prometheus

namespace fed {

// Health-check service name under which each dependency's state is published
// ("federation.dependency.registry": SERVING while the registry answers).
inline constexpr char kDependencyHealthPrefix[] = "federation.dependency.";

// Everything a service implementation needs from its process.
struct ServiceDeps {
  const TokenVerifier* verifier;
  DbPool* db;
  WorkerPool* workers;
};

// The address the service `service` listens on: --listen, else its default
// (fed::DefaultAddress, from deploy/topology.txt).
std::string ListenAddress(absl::string_view service);

// The process's metrics exporter on --metrics_listen (services/common/metrics.h),
// or nullptr when the flag is empty; FAILED_PRECONDITION when it cannot bind.
absl::StatusOr<std::unique_ptr<prometheus::Exposer>> MaybeServeMetrics();

// Starts a gRPC server on `address` ("127.0.0.1:0" picks a free port, which
// is written to *bound_port) with grpc.health.v1, and server reflection when
// --reflection is set.
absl::StatusOr<std::unique_ptr<grpc::Server>> StartGrpcServer(
    const std::string& address, const std::vector<grpc::Service*>& services, int* bound_port);

// Starts a plaintext gRPC server on `address` serving grpc.health.v1 and
// nothing else (--health_listen): probes that speak no TLS, such as
// Kubernetes' gRPC probe, reach it, and no API is exposed without TLS. Its
// health mirrors the service's only through SetHealth.
absl::StatusOr<std::unique_ptr<grpc::Server>> StartHealthServer(const std::string& address,
                                                                int* bound_port);

// Sets health name `name` ("" is the process) SERVING or NOT_SERVING on every
// server of `servers`: the service's port and its health port answer alike.
void SetHealth(const std::vector<grpc::Server*>& servers, const std::string& name, bool serving);

// Publishes health name `name` as SERVING while `serving()` says so, looked
// at every 100 ms while RunService serves: a replica that serves some calls
// and not others says which (the aggregator's intake is SERVING on the
// active replica only). Call before serving, from the service's factory.
void PublishHealth(std::string name, std::function<bool()> serving);

using ServiceFactory =
    std::function<std::vector<std::unique_ptr<grpc::Service>>(const ServiceDeps&)>;

// Process-wide settings of a serving process (services and benchmarks, not
// unit tests): Debian builds Abseil without NDEBUG, which leaves Mutex
// deadlock detection on, a global lock and graph update on every Mutex
// acquisition; serving processes switch it off.
void UseServingSettings();

// The whole life of a service process, after absl::ParseCommandLine: logging,
// database wait + migrations, pools, server, then serve until SIGINT/SIGTERM.
// Returns the process exit code. On a stop signal: before_shutdown (end
// long-lived streams), the server's shutdown, then before_teardown.
int RunService(absl::string_view name, const std::vector<Migration>& migrations,
               const ServiceFactory& make_services,
               const std::function<void()>& before_teardown = nullptr,
               const std::function<void()>& before_shutdown = nullptr);

}  // namespace fed
