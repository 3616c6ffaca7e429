// The shape of every unary RPC in the suite: authenticate the caller, run the
// handler on the worker pool (it may block on PostgreSQL), map its
// absl::Status to gRPC in one place, and log one line per call.
#pragma once

#include <string_view>
#include <utility>
#include "absl/strings/string_view.h"

#include <grpcpp/grpcpp.h>

#include "absl/time/clock.h"
#include "services/common/auth.h"
#include "services/common/blocking.h"
#include "services/common/log.h"
#include "services/common/status.h"
#include "services/common/worker_pool.h"

namespace fed {

// What every service implementation holds to serve calls.
struct CallContext {
  const TokenVerifier* verifier;
  WorkerPool* workers;
};

void LogCall(absl::string_view method, const Principal* principal, const absl::Status& status,
             absl::Duration elapsed);

// Where a handler runs: on the worker pool when it may block (database,
// other services), or right on gRPC's callback thread when it only reads
// memory, which saves two thread hand-offs per call. kMemoryFirst is for
// handlers that usually answer from memory but sometimes must fetch: they
// are tried on gRPC's thread, where BlockingAllowed() is false, and a
// handler that would block returns WouldBlockError() and is run again on
// the worker pool (so it must not have done anything it cannot redo).
enum class Blocking { kMayBlock, kMemoryOnly, kMemoryFirst };

namespace internal {
template <typename Handler>
absl::Status RunHandler(absl::string_view method, Handler& handler, const Principal& who) {
  try {
    return handler(who);
  } catch (const std::exception& e) {
    // A handler bug must cost one call, never the process.
    spdlog::error("event=handler_exception method={} error={}", method, LogQuoted(e.what()));
    return absl::InternalError("internal error");
  }
}
}  // namespace internal

// `handler(const Principal&) -> absl::Status` fills the response itself.
template <typename Handler>
grpc::ServerUnaryReactor* ServeUnary(grpc::CallbackServerContext* ctx, const CallContext& call,
                                     absl::string_view method, Handler handler,
                                     Blocking blocking = Blocking::kMayBlock) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  const absl::Time start = absl::Now();
  absl::StatusOr<Principal> principal = Authenticate(*ctx, *call.verifier);
  if (!principal.ok()) {
    LogCall(method, nullptr, principal.status(), absl::Now() - start);
    reactor->Finish(ToGrpcStatus(principal.status()));
    return reactor;
  }
  if (blocking != Blocking::kMayBlock) {
    absl::Status status;
    {
      NonBlockingScope scope;
      status = internal::RunHandler(method, handler, *principal);
    }
    if (blocking == Blocking::kMemoryOnly || !IsWouldBlock(status)) {
      LogCall(method, &*principal, status, absl::Now() - start);
      reactor->Finish(ToGrpcStatus(status));
      return reactor;
    }
  }
  call.workers->Submit([reactor, method, start, who = *std::move(principal),
                        handler = std::move(handler)]() mutable {
    const absl::Status status = internal::RunHandler(method, handler, std::as_const(who));
    LogCall(method, &who, status, absl::Now() - start);
    reactor->Finish(ToGrpcStatus(status));
  });
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
      [=](const Principal& who) {
        response->Clear();  // a kMemoryFirst handler may run twice
        return (impl->*method)(who, *request, response);
      },
      blocking);
}

}  // namespace fed
