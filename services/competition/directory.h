// What the competition service needs from the registry (does an organisation
// exist, which province it belongs to, what is above it), fetched over gRPC with the service's
// own token and cached briefly: organisations change a few times a year.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "federation/v1/registry.grpc.pb.h"
#include "services/common/auth.h"
#include "services/common/client.h"
#include "services/competition/scoring.h"

namespace competition {

class Directory {
 public:
  explicit Directory(std::shared_ptr<grpc::Channel> registry,
                     absl::Duration ttl = absl::Seconds(60));

  // NOT_FOUND for an unknown code; UNAVAILABLE when the registry cannot answer
  // and the code was never seen (an expired entry is served meanwhile).
  absl::StatusOr<federation::v1::Organization> Organization(const std::string& code);
  // The provincial union an organisation belongs to (itself for a provincial
  // union, "VUSTA" for the national union and its direct members).
  absl::StatusOr<std::string> ProvinceOf(const std::string& code);
  // The organisation's parent chain below the national union and its
  // provincial union, for the conflict-of-interest rule (scoring.h).
  absl::StatusOr<Lineage> LineageOf(const std::string& code);

 private:
  struct Entry {
    federation::v1::Organization organization;
    absl::Time fetched;
  };
  std::unique_ptr<federation::v1::RegistryService::Stub> stub_;
  fed::ServiceClient registry_;
  absl::Duration ttl_;
  absl::Mutex mu_;
  std::map<std::string, Entry> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace competition
