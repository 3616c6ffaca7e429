#include "services/common/client.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/log.h"
#include "services/common/status.h"
#include "services/common/transport.h"

namespace fed {
namespace {

constexpr absl::Duration kFirstReadRetry = absl::Milliseconds(100);

// "a:1,b:2" without a scheme: several replicas' addresses.
bool IsReplicaList(const std::string& target) {
  return target.find(',') != std::string::npos && target.find(":/") == std::string::npos &&
         !absl::StartsWith(target, "ipv4:") && !absl::StartsWith(target, "ipv6:");
}

// Every call spread over the replicas that are up; with `serving_health`,
// over those that say SERVING for it.
std::string ReplicaServiceConfig(absl::string_view serving_health) {
  std::string config = R"({"loadBalancingConfig": [{"round_robin": {}}])";
  if (!serving_health.empty()) {
    absl::StrAppend(&config, R"(, "healthCheckConfig": {"serviceName": ")", serving_health,
                    R"("})");
  }
  return config + "}";
}

// Every live ServiceClient of the process, for DependencyStates().
absl::Mutex g_clients_mu(absl::kConstInit);
std::vector<const ServiceClient*>& Clients() ABSL_EXCLUSIVE_LOCKS_REQUIRED(g_clients_mu) {
  static auto* clients = new std::vector<const ServiceClient*>();
  return *clients;
}

absl::Mutex g_token_source_mu(absl::kConstInit);
ServiceTokenSource& TokenSourceSlot() ABSL_EXCLUSIVE_LOCKS_REQUIRED(g_token_source_mu) {
  static auto* source = new ServiceTokenSource();
  return *source;
}

}  // namespace

std::shared_ptr<grpc::Channel> OpenChannel(const std::string& target,
                                           const grpc::ChannelArguments& arguments,
                                           absl::string_view serving_health) {
  absl::StatusOr<Transport> transport = CurrentTransport();
  if (!transport.ok()) {
    // Never plaintext by default: a process told neither certificates nor
    // --insecure stops here, saying how to give them, rather than send a
    // token in the clear or fail each call with an opaque handshake error.
    std::fprintf(stderr, "error: %s\n", std::string(transport.status().message()).c_str());
    std::exit(2);
  }
  return OpenChannelWith(*transport, target, arguments, serving_health);
}

std::shared_ptr<grpc::Channel> OpenChannelWith(const Transport& transport,
                                               const std::string& target,
                                               const grpc::ChannelArguments& arguments,
                                               absl::string_view serving_health) {
  grpc::ChannelArguments args = arguments;
  args.SetServiceConfigJSON(ReplicaServiceConfig(serving_health));
  std::string uri = target;
  if (IsReplicaList(target)) {
    // "ipv4:" (or "ipv6:") takes a list of addresses; the first names the
    // channel's authority, which TLS checks the certificates against (the
    // list itself is no host name).
    const std::string first = target.substr(0, target.find(','));
    uri = absl::StrCat(absl::StartsWith(target, "[") ? "ipv6:" : "ipv4:", target);
    args.SetString(GRPC_ARG_DEFAULT_AUTHORITY, first);
  }
  return grpc::CreateCustomChannel(uri, ChannelCredentialsFor(transport), args);
}

void PrepareCall(grpc::ClientContext& context, absl::string_view token, absl::Duration timeout) {
  if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  if (timeout != absl::InfiniteDuration()) {
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  }
}

std::unique_ptr<grpc::ClientContext> OutgoingContext(absl::string_view token,
                                                     absl::Duration timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  PrepareCall(*context, token, timeout);
  return context;
}

void SetServiceTokenSource(ServiceTokenSource source) {
  absl::MutexLock lock(&g_token_source_mu);
  TokenSourceSlot() = std::move(source);
}

std::string ServiceToken(absl::string_view caller) {
  ServiceTokenSource source;
  {
    absl::MutexLock lock(&g_token_source_mu);
    source = TokenSourceSlot();
  }
  return source ? source(caller) : "";
}

bool IsTransient(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kDataLoss:
      return true;
    default:
      return false;
  }
}

absl::Status DependencyError(absl::string_view dependency, absl::string_view method,
                             const grpc::Status& status) {
  absl::Status cause = FromGrpcStatus(status);
  if (cause.ok()) return cause;
  if (IsTransient(cause.code())) {
    return absl::UnavailableError(
        absl::StrCat(dependency, " unavailable (", method, ": ", cause.ToString(), "); try again"));
  }
  if (cause.code() == absl::StatusCode::kUnauthenticated) {
    return absl::InternalError(absl::StrCat(dependency, " refused this service's identity (",
                                            method, ": ", cause.message(), ")"));
  }
  // A definite answer about what was asked keeps its code (and the details
  // that travel with it, such as the fields of INVALID_ARGUMENT).
  absl::Status named(cause.code(), absl::StrCat(dependency, ": ", cause.message()));
  cause.ForEachPayload(
      [&](absl::string_view url, const absl::Cord& payload) { named.SetPayload(url, payload); });
  return named;
}

std::vector<DependencyState> DependencyStates() {
  absl::MutexLock lock(&g_clients_mu);
  std::vector<DependencyState> states;
  for (const ServiceClient* client : Clients()) states.push_back(client->state());
  return states;
}

ServiceClient::ServiceClient(std::string dependency, std::string caller, Options options)
    : dependency_(std::move(dependency)), caller_(std::move(caller)), options_(options) {
  state_.name = dependency_;
  state_.since = absl::Now();
  absl::MutexLock lock(&g_clients_mu);
  Clients().push_back(this);
}

ServiceClient::ServiceClient(std::string dependency, std::string caller)
    : ServiceClient(std::move(dependency), std::move(caller), Options()) {}

ServiceClient::~ServiceClient() {
  absl::MutexLock lock(&g_clients_mu);
  auto& clients = Clients();
  clients.erase(std::remove(clients.begin(), clients.end(), this), clients.end());
}

std::unique_ptr<grpc::ClientContext> ServiceClient::Context(absl::Duration deadline) const {
  return OutgoingContext(ServiceToken(caller_),
                         deadline > absl::ZeroDuration() ? deadline : options_.deadline);
}

bool ServiceClient::KnownDown() const {
  absl::MutexLock lock(&mu_);
  return !state_.healthy && absl::Now() - last_failure_ < options_.fail_fast_for;
}

absl::Status ServiceClient::KnownDownError() const {
  absl::MutexLock lock(&mu_);
  return absl::UnavailableError(state_.error);
}

absl::Status ServiceClient::Once(absl::string_view method, Call call, absl::Duration deadline) {
  auto ctx = Context(deadline);
  absl::Status outcome = DependencyError(dependency_, method, call(*ctx));
  Record(outcome);
  return outcome;
}

absl::Status ServiceClient::Write(absl::string_view method, Call call, absl::Duration deadline) {
  if (KnownDown()) return KnownDownError();
  return Once(method, call, deadline);
}

absl::Status ServiceClient::Read(absl::string_view method, Call call, absl::Duration deadline) {
  if (KnownDown()) return KnownDownError();
  absl::Duration pause = kFirstReadRetry;
  for (int attempt = 1;; ++attempt) {
    absl::Status outcome = Once(method, call, deadline);
    if (outcome.code() != absl::StatusCode::kUnavailable || attempt >= options_.read_attempts) {
      return outcome;
    }
    absl::SleepFor(pause);
    pause *= 2;
  }
}

DependencyState ServiceClient::state() const {
  absl::MutexLock lock(&mu_);
  return state_;
}

void ServiceClient::Record(const absl::Status& outcome) {
  const bool healthy = outcome.code() != absl::StatusCode::kUnavailable;
  absl::MutexLock lock(&mu_);
  if (!healthy) last_failure_ = absl::Now();
  if (healthy == state_.healthy) {
    if (!healthy) state_.error = std::string(outcome.message());
    return;
  }
  // Said once per change of state, not on every call while it lasts.
  if (healthy) {
    spdlog::info("event=dependency_recovered dependency={} after_ms={}", dependency_,
                 absl::ToInt64Milliseconds(absl::Now() - state_.since));
    state_.error.clear();
  } else {
    spdlog::warn("event=dependency_unavailable dependency={} error={}", dependency_,
                 LogQuoted(outcome.message()));
    state_.error = std::string(outcome.message());
  }
  state_.healthy = healthy;
  state_.since = absl::Now();
}

}  // namespace fed
