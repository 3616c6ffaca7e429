// What the reporting service asks the registry: does an organisation exist
// and when was it active, and what does the registry know of its size
// (members, intellectuals, member associations) for pre-filling a draft.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "federation/v1/registry.grpc.pb.h"
#include "services/common/auth.h"
#include "services/common/client.h"

namespace reporting {

namespace v1 = federation::v1;

class RegistryClient {
 public:
  // Calls `target` as the reporting service.
  explicit RegistryClient(const std::string& target, absl::Duration deadline = absl::Seconds(5));

  // NOT_FOUND for an unknown code; UNAVAILABLE when the registry cannot be
  // asked (down, timing out); INTERNAL when it refuses this service's token.
  absl::StatusOr<v1::Organization> GetOrganization(const std::string& code) const;
  // Direct children of `parent_code` of `kind` that existed on `as_of`.
  absl::StatusOr<int64_t> CountChildren(const std::string& parent_code, v1::OrganizationKind kind,
                                        const std::string& as_of) const;

 private:
  std::unique_ptr<v1::RegistryService::Stub> stub_;
  mutable fed::ServiceClient registry_;
};

}  // namespace reporting
