// How one service of the suite calls another: with its own service identity,
// a deadline, and errors that tell "the answer is no" apart from "no answer
// can be had now".
//
// The second kind must never reach a user as a refusal. A registry that is
// restarting does not make a province's report invalid: the caller answers
// UNAVAILABLE (naming the dependency) and the province's system tries again.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/auth.h"

namespace fed {

// The one place where a channel to a part of the suite is opened. Every
// service, fedctl, the benchmarks and the tests call it, so the transport
// (the process's, services/common/transport.h: TLS unless --insecure) is
// chosen here and nowhere else. A process whose transport is unset or
// failed to load ends here, with that error.
//
// `target` may name every replica of a service, "10.0.0.1:50052,10.0.0.2:50052"
// (IP addresses: gRPC resolves no list of names), or one DNS name with an
// address per replica (a Kubernetes headless Service). Calls go to the
// replicas in turn (round_robin), skipping those that are down; with
// `serving_health`, also those whose grpc.health.v1 does not say SERVING for
// that name (client-side health checking), so that calls only one replica
// may answer reach it: kAggregatorIntakeHealth.
std::shared_ptr<grpc::Channel> OpenChannel(const std::string& target,
                                           const grpc::ChannelArguments& arguments = {},
                                           absl::string_view serving_health = "");

// SERVING only on the aggregator replica that is active (the one that may
// write: push intake and review), see services/aggregator/leadership.h.
inline constexpr char kAggregatorIntakeHealth[] = "federation.v1.AggregatorIntake";

// Readies `context` for one call: "authorization: Bearer <token>" when
// `token` is set, and a deadline `timeout` from now unless it is infinite.
// Every outgoing call of the suite gets its identity and deadline here.
void PrepareCall(grpc::ClientContext& context, absl::string_view token, absl::Duration timeout);
// The same, as a new context (for streams and for callers that keep it).
std::unique_ptr<grpc::ClientContext> OutgoingContext(absl::string_view token,
                                                     absl::Duration timeout);

// A service's identity on its calls to the rest of the suite is its TLS
// client certificate (auth.h): it sends no token and holds no key that could
// make one. Where there is no certificate to show, a process may be given a
// token instead: a service run with --insecure and --service_token_file (a
// token of role service, minted by the issuer), and test processes, whose
// in-process services share the test's own certificate. The source is asked
// for a token for `caller` (ServiceClient's) on every call; "" sends none.
using ServiceTokenSource = std::function<std::string(absl::string_view caller)>;
void SetServiceTokenSource(ServiceTokenSource source);
// The token the source gives (or "" without one).
std::string ServiceToken(absl::string_view caller);

// Whether a failure says "not now" rather than "no": trying the same thing
// again later may succeed (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED,
// ABORTED, CANCELLED, UNKNOWN, INTERNAL, DATA_LOSS).
bool IsTransient(absl::StatusCode code);

// What a dependency's failure becomes in the caller's own answer:
//   - a definite answer about the request (NOT_FOUND, INVALID_ARGUMENT,
//     PERMISSION_DENIED, FAILED_PRECONDITION, ...) keeps its code;
//   - a transient failure becomes UNAVAILABLE, "<dependency> unavailable";
//   - UNAUTHENTICATED (the dependency refused this service's own identity: a
//     deployment fault, not the user's) becomes INTERNAL.
// The message always names the dependency and the method.
absl::Status DependencyError(absl::string_view dependency, absl::string_view method,
                             const grpc::Status& status);

// The last thing a process heard from one of its dependencies, for health
// checks and `tools/dev status`.
struct DependencyState {
  std::string name;     // "registry"
  bool healthy = true;  // the last call got an answer (any definite one)
  std::string error;    // the last transient failure, while unhealthy
  absl::Time since;     // when the current state began
};

// Every dependency of this process that has a ServiceClient, in creation order.
std::vector<DependencyState> DependencyStates();

// One outbound dependency: builds call contexts and turns failures into the
// caller's statuses (above). Thread-safe; stubs stay with their owners.
class ServiceClient {
 public:
  struct Options {
    // Of each call, unless the call names its own.
    absl::Duration deadline = absl::Seconds(5);
    // Tries of an idempotent read (100 ms, then 200 ms, ... apart).
    int read_attempts = 3;
    // While the dependency is down, calls within this long of its last
    // failure fail at once instead of each waiting for its own: a committer
    // looking up 60 organisations must not wait 60 deadlines.
    absl::Duration fail_fast_for = absl::Milliseconds(500);

    // The defaults with another deadline.
    static Options WithDeadline(absl::Duration deadline) {
      Options options;
      options.deadline = deadline;
      return options;
    }
  };

  // `dependency` names the service called ("registry"); `caller` is this
  // service's name ("aggregator"), for the ServiceTokenSource.
  ServiceClient(std::string dependency, std::string caller, Options options);
  ServiceClient(std::string dependency, std::string caller);
  ~ServiceClient();
  ServiceClient(const ServiceClient&) = delete;
  ServiceClient& operator=(const ServiceClient&) = delete;

  using Call = absl::FunctionRef<grpc::Status(grpc::ClientContext&)>;

  // A call that may change something: tried once.
  absl::Status Write(absl::string_view method, Call call,
                     absl::Duration deadline = absl::ZeroDuration());
  // An idempotent read: a transient failure is tried again (Options) before
  // it is reported.
  absl::Status Read(absl::string_view method, Call call,
                    absl::Duration deadline = absl::ZeroDuration());

  // A context with this service's identity and the deadline (the client's
  // default when `deadline` is zero, none when it is infinite), for calls
  // that are not unary.
  std::unique_ptr<grpc::ClientContext> Context(
      absl::Duration deadline = absl::ZeroDuration()) const;

  const std::string& dependency() const { return dependency_; }
  DependencyState state() const;
  // Records how a call made with Context() ended (healthy unless UNAVAILABLE).
  void Record(const absl::Status& outcome);

 private:
  absl::Status Once(absl::string_view method, Call call, absl::Duration deadline);
  // Failed moments ago (Options::fail_fast_for): answer without calling.
  bool KnownDown() const;
  absl::Status KnownDownError() const;

  const std::string dependency_;
  const std::string caller_;
  const Options options_;
  mutable absl::Mutex mu_;
  DependencyState state_ ABSL_GUARDED_BY(mu_);
  absl::Time last_failure_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace fed
