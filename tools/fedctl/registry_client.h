// A connection to the registry that every command shares: one channel, the
// caller's token on every call, a deadline on every call, and errors as
// absl::Status with their field violations kept.
#pragma once

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "federation/v1/registry.grpc.pb.h"
#include "services/common/status.h"
#include "tools/fedctl/cli.h"

namespace fedctl {

// No single registry call should take longer; a hung server must not hang
// a script that calls fedctl.
inline constexpr absl::Duration kCallDeadline = absl::Seconds(10);

// Gives a call its deadline and, when `token` is set, the
// "authorization: Bearer <token>" metadata.
void PrepareContext(grpc::ClientContext& context, const std::string& token);

std::shared_ptr<grpc::Channel> OpenChannel(const std::string& target);

class RegistryClient {
 public:
  using Stub = federation::v1::RegistryService::Stub;

  // Connects to --target with ResolveAccessToken's token (may throw UsageError).
  static RegistryClient Connect(const GlobalOptions& global);
  RegistryClient(std::shared_ptr<grpc::Channel> channel, std::string token);

  // One unary call: client.Call(&Stub::GetOrganization, request, &organization).
  template <typename Request, typename Response>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) const {
    grpc::ClientContext context;
    PrepareContext(context, token_);
    grpc::Status status = (stub_.get()->*method)(&context, request, response);
    return Explain(fed::FromGrpcStatus(status));
  }

 private:
  // Adds a hint to errors whose cause is on this side (no token at all).
  absl::Status Explain(absl::Status status) const;

  std::unique_ptr<Stub> stub_;
  std::string token_;
};

// ListOrganizations, following next_page_token until the last page; `all`
// receives every organisation and no page token.
absl::Status ListAllOrganizations(const RegistryClient& client,
                                  federation::v1::ListOrganizationsRequest request,
                                  federation::v1::ListOrganizationsResponse* all);

}  // namespace fedctl
