// The shape of every unary RPC in the suite: authenticate the caller, run the
// handler on the worker pool (it may block on PostgreSQL), map its
// absl::Status to gRPC in one place, and log one line per call.
#pragma once

#include "absl/strings/string_view.h"
#include <string_view>
#include <utility>

#include <grpcpp/grpcpp.h>

#include "absl/time/clock.h"
#include "services/common/auth.h"
#include "services/common/log.h"
#include "services/common/status.h"
#include "services/common/worker_pool.h"

namespace fed {

// What every service implementation holds to serve calls.
struct CallContext {
  const TokenSigner* signer;
  WorkerPool* workers;
};

void LogCall(absl::string_view method, const Principal* principal, const absl::Status& status,
             absl::Duration elapsed);

// Where a handler runs: on the worker pool when it may block (database,
// other services), or right on gRPC's callback thread when it only reads
// memory, which saves two thread hand-offs per call.
enum class Blocking { kMayBlock, kMemoryOnly };

// `handler(const Principal&) -> absl::Status` fills the response itself.
template <typename Handler>
grpc::ServerUnaryReactor* ServeUnary(grpc::CallbackServerContext* ctx, const CallContext& call,
                                     absl::string_view method, Handler handler,
                                     Blocking blocking = Blocking::kMayBlock) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  const absl::Time start = absl::Now();
  absl::StatusOr<Principal> principal = Authenticate(*ctx, *call.signer);
  if (!principal.ok()) {
    LogCall(method, nullptr, principal.status(), absl::Now() - start);
    reactor->Finish(ToGrpcStatus(principal.status()));
    return reactor;
  }
  auto run = [reactor, method, start, who = *std::move(principal),
              handler = std::move(handler)]() mutable {
    absl::Status status;
    try {
      status = handler(std::as_const(who));
    } catch (const std::exception& e) {
      // A handler bug must cost one call, never the process.
      spdlog::error("event=handler_exception method={} error=\"{}\"", method, e.what());
      status = absl::InternalError("internal error");
    }
    LogCall(method, &who, status, absl::Now() - start);
    reactor->Finish(ToGrpcStatus(status));
  };
  if (blocking == Blocking::kMemoryOnly) {
    run();
  } else {
    call.workers->Submit(std::move(run));
  }
  return reactor;
}

}  // namespace fed

namespace fed {

// Serves a unary RPC by a plain method `absl::Status Impl::M(const Principal&,
// const Request&, Response*)`, so a gRPC service class only forwards.
template <typename Impl, typename Request, typename Response>
grpc::ServerUnaryReactor* ServeMethod(
    grpc::CallbackServerContext* ctx, const CallContext& call, absl::string_view name, Impl* impl,
    absl::Status (Impl::*method)(const Principal&, const Request&, Response*),
    const Request* request, Response* response, Blocking blocking = Blocking::kMayBlock) {
  return ServeUnary(
      ctx, call, name,
      [=](const Principal& who) { return (impl->*method)(who, *request, response); }, blocking);
}

}  // namespace fed
