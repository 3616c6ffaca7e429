// The one way fedctl talks to a service: the suite's channel and call set-up
// (fed::OpenChannel, fed::PrepareCall) with the caller's own token and a
// deadline on every call, errors as absl::Status with their field violations
// kept. Each service's client (registry_client.h, aggregator_client.h, ...)
// is this template plus how to find that service's address.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/common/client.h"
#include "services/common/status.h"
#include "tools/fedctl/cli.h"

namespace fedctl {

// No single call should take longer; a hung server must not hang a script
// that calls fedctl.
inline constexpr absl::Duration kCallDeadline = absl::Seconds(10);

// A service's address: --<option>, else the environment variable `env`,
// else `fallback`.
std::string ServiceTarget(const Invocation& invocation, const char* option, const char* env,
                          const std::string& fallback);

// Adds a hint to UNAUTHENTICATED when fedctl sent no token at all.
absl::Status ExplainMissingToken(absl::Status status, const std::string& token);

template <typename Service>
class ServiceClient {
 public:
  using Stub = typename Service::Stub;

  ServiceClient(std::shared_ptr<grpc::Channel> channel, std::string token)
      : stub_(Service::NewStub(channel)), token_(std::move(token)) {}

  // One unary call: client.Call(&Stub::GetOrganization, request, &organization).
  template <typename Request, typename Response>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) const {
    grpc::ClientContext context;
    fed::PrepareCall(context, token_, kCallDeadline);
    grpc::Status status = (stub_.get()->*method)(&context, request, response);
    return ExplainMissingToken(fed::FromGrpcStatus(status), token_);
  }

 protected:
  std::unique_ptr<Stub> stub_;
  std::string token_;
};

}  // namespace fedctl
