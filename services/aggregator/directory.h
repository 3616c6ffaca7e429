// What the aggregator needs from the registry, fetched over gRPC and cached
// briefly: the registry changes a few times a year, reports arrive by the
// thousand on deadline day.
//
// While the registry cannot be reached, an expired entry is served as it was
// (the registry changes a few times a year; a report must not wait for it):
// intake goes on for organisations already known, and only a lookup of one
// never seen fails, with UNAVAILABLE.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include <grpcpp/grpcpp.h>

#include "federation/v1/registry.grpc.pb.h"
#include "services/common/auth.h"
#include "services/common/client.h"

namespace aggregator {

namespace v1 = federation::v1;

class Directory {
 public:
  // `signer` mints the aggregator's own service token for its calls.
  Directory(std::shared_ptr<grpc::Channel> registry, const fed::TokenSigner* signer,
            absl::Duration ttl = absl::Seconds(30));

  // NOT_FOUND for a code the registry does not know; UNAVAILABLE when the
  // registry cannot be asked and the code was never seen.
  absl::StatusOr<v1::Organization> Organization(const std::string& code);
  // Organisations of `kind` active on `day` ("YYYY-MM-DD"), sorted by code.
  // Shared, not copied: at 10^4 organisations a copy per query would cost
  // more than the query. The same pointer comes back until the entry expires.
  using OrganizationList = std::shared_ptr<const std::vector<v1::Organization>>;
  absl::StatusOr<OrganizationList> OrganizationsOn(v1::OrganizationKind kind,
                                                   const std::string& day);
  // Codes merged into `code`, transitively.
  absl::StatusOr<std::vector<std::string>> Predecessors(const std::string& code);
  // The organisation carrying `code` on `day`.
  absl::StatusOr<std::string> SuccessorOn(const std::string& code, const std::string& day);

 private:
  template <typename T>
  struct Entry {
    T value;
    absl::Time fetched;
  };
  // The cached value of `key`, or `fetch()`'s answer, remembered on success;
  // an expired value when the fetch fails for a reason other than NOT_FOUND.
  template <typename T, typename Fetch>
  absl::StatusOr<T> Cached(std::map<std::string, Entry<T>>& cache, const std::string& key,
                           Fetch fetch) {
    {
      absl::MutexLock lock(&mu_);
      auto it = cache.find(key);
      if (it != cache.end() && absl::Now() - it->second.fetched < ttl_) return it->second.value;
    }
    // One fetch at a time: when a cached list expires under load, the first
    // caller fetches it and the others wait for its answer instead of
    // sending the registry the same request dozens of times.
    absl::MutexLock fetching(&fetch_mu_);
    {
      absl::MutexLock lock(&mu_);
      auto it = cache.find(key);
      if (it != cache.end() && absl::Now() - it->second.fetched < ttl_) return it->second.value;
    }
    absl::StatusOr<T> fetched = fetch();
    absl::MutexLock lock(&mu_);
    if (fetched.ok()) {
      cache[key] = Entry<T>{*fetched, absl::Now()};
    } else if (fetched.status().code() == absl::StatusCode::kNotFound) {
      cache.erase(key);  // gone from the registry: gone from here too
    } else if (auto it = cache.find(key); it != cache.end()) {
      return it->second.value;
    }
    return fetched;
  }

  std::unique_ptr<v1::RegistryService::Stub> stub_;
  fed::ServiceClient registry_;
  absl::Duration ttl_;
  absl::Mutex fetch_mu_;
  absl::Mutex mu_;
  std::map<std::string, Entry<v1::Organization>> organizations_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Entry<OrganizationList>> provinces_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Entry<std::vector<std::string>>> predecessors_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Entry<std::string>> successors_ ABSL_GUARDED_BY(mu_);
};

}  // namespace aggregator
