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
#include "tools/fedctl/service_client.h"

namespace fedctl {

// The registry's client; its address is the global --target.
class RegistryClient : public ServiceClient<federation::v1::RegistryService> {
 public:
  using ServiceClient::ServiceClient;
  // Connects to --target with ResolveAccessToken's token (may throw UsageError).
  static RegistryClient Connect(const GlobalOptions& global);
};

// ListOrganizations, following next_page_token until the last page; `all`
// receives every organisation and no page token.
absl::Status ListAllOrganizations(const RegistryClient& client,
                                  federation::v1::ListOrganizationsRequest request,
                                  federation::v1::ListOrganizationsResponse* all);

}  // namespace fedctl
