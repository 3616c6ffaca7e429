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
#include <optional>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

#include "federation/v1/registry.grpc.pb.h"
#include "services/common/auth.h"
#include "services/common/client.h"

namespace aggregator {

namespace v1 = federation::v1;

class Directory {
 public:
  // Calls the registry as the aggregator (its certificate).
  explicit Directory(std::shared_ptr<grpc::Channel> registry,
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
  // One kind of registry answer by key: fresh for `ttl`, and the last good
  // answer kept for when the registry cannot be asked. At most `max_entries`
  // are kept, the least recently fetched going first: keys come from callers
  // (any well-formed code, any day), and memory must not be theirs to fill.
  template <typename T>
  class Cache {
   public:
    // Room for 10^5 reporting organisations and their history (about 300
    // bytes each): with fewer entries than organisations, a deadline-day
    // storm asks the registry for nearly every report (deploy/CAPACITY.md:
    // `aggregator_bench --orgs=100000` ingested 163 reports/s with 20,000
    // entries, 1,798/s with this).
    explicit Cache(absl::Duration ttl, size_t max_entries = 250000)
        : ttl_(ttl), max_entries_(max_entries) {}

    // The fresh value of `key`, or `fetch()`'s answer, remembered on
    // success; an expired value when the fetch fails for a reason other
    // than NOT_FOUND.
    template <typename Fetch>
    absl::StatusOr<T> Get(const std::string& key, Fetch fetch) ABSL_LOCKS_EXCLUDED(mu_) {
      if (std::optional<T> fresh = Fresh(key)) return *std::move(fresh);
      // One fetch at a time: when a cached list expires under load, the
      // first caller fetches it and the others wait for its answer instead
      // of sending the registry the same request dozens of times.
      absl::MutexLock fetching(&fetch_mu_);
      if (std::optional<T> fresh = Fresh(key)) return *std::move(fresh);
      absl::StatusOr<T> fetched = fetch();
      absl::MutexLock lock(&mu_);
      if (fetched.ok()) {
        if (entries_.size() >= max_entries_ && entries_.count(key) == 0) EvictOldest();
        entries_[key] = Entry{*fetched, absl::Now()};
      } else if (fetched.status().code() == absl::StatusCode::kNotFound) {
        entries_.erase(key);  // gone from the registry: gone from here too
      } else if (auto it = entries_.find(key); it != entries_.end()) {
        return it->second.value;
      }
      return fetched;
    }

   private:
    struct Entry {
      T value;
      absl::Time fetched;
    };
    // A scan, but only when full and fetching anyway: a registry call costs
    // far more than walking the entries.
    void EvictOldest() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      auto oldest = entries_.begin();
      for (auto it = entries_.begin(); it != entries_.end(); ++it) {
        if (it->second.fetched < oldest->second.fetched) oldest = it;
      }
      if (oldest != entries_.end()) entries_.erase(oldest);
    }
    std::optional<T> Fresh(const std::string& key) ABSL_LOCKS_EXCLUDED(mu_) {
      absl::MutexLock lock(&mu_);
      auto it = entries_.find(key);
      if (it != entries_.end() && absl::Now() - it->second.fetched < ttl_) return it->second.value;
      return std::nullopt;
    }

    const absl::Duration ttl_;
    const size_t max_entries_;
    absl::Mutex fetch_mu_ ABSL_ACQUIRED_BEFORE(mu_);
    absl::Mutex mu_;
    std::map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  };

  std::unique_ptr<v1::RegistryService::Stub> stub_;
  fed::ServiceClient registry_;
  Cache<v1::Organization> organizations_;
  Cache<OrganizationList> provinces_;
  Cache<std::vector<std::string>> predecessors_;
  Cache<std::string> successors_;
};

}  // namespace aggregator
