// What the ranking service reads from other services, over gRPC only, with
// a service token minted by this process: clusters and names from the
// registry, counted values, timeliness and the change feed from the
// aggregator.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "federation/v1/aggregator.grpc.pb.h"
#include "federation/v1/registry.grpc.pb.h"
#include "services/common/auth.h"
#include "services/common/client.h"
#include "services/common/feed_follower.h"
#include "services/common/period.h"
#include "services/ranking/scoring.h"

namespace ranking {

// The state of one organisation's report for one half-year.
struct Receipt {
  bool received = false;
  bool timely = false;
};

class Sources {
 public:
  Sources(std::shared_ptr<grpc::Channel> registry, std::shared_ptr<grpc::Channel> aggregator);

  absl::StatusOr<std::vector<v1::EmulationCluster>> Clusters(int year);
  // Every provincial union, active or not (clusters are made of them):
  // display name (short name when it has one) and when it existed.
  absl::StatusOr<std::map<std::string, OrgLife>> ProvincialUnions();

  // Counted (accepted) values of `code` for every period from..to (one
  // kind), by catalog index; NaN = absent. `reported` per period.
  struct Counted {
    std::vector<double> values;
    bool reported = false;
  };
  absl::StatusOr<std::map<std::string, Counted>> Series(const std::string& code,
                                                        const fed::Period& from,
                                                        const fed::Period& to, bool roll_up);
  // Counted (accepted) values of many organisations for one period, by
  // code: one call per 5,000 organisations instead of one per organisation.
  absl::StatusOr<std::map<std::string, Counted>> CountedValues(
      const std::vector<std::string>& codes, const fed::Period& period);
  // The organisations merged into `code`, transitively (not `code` itself),
  // each with the day its merger took effect: it reported on its own for
  // the half-years that ended before that day.
  struct Predecessor {
    std::string code;
    absl::CivilDay merged_on;
  };
  absl::StatusOr<std::vector<Predecessor>> Predecessors(const std::string& code);
  // Receipts of every expected provincial union for a half-year.
  absl::StatusOr<std::map<std::string, Receipt>> Receipts(const std::string& period);
  // The receipt of one organisation's report.
  absl::StatusOr<Receipt> ReceiptOf(const std::string& code, const std::string& period);

  absl::StatusOr<v1::ListChangesResponse> Changes(int64_t after, int limit);
  // A follower of the aggregator's change feed from `after` (not started).
  std::unique_ptr<fed::FeedFollower> FollowChanges(int64_t after, fed::FeedFollower::Apply apply,
                                                   fed::FeedFollower::Reset reset);

 private:
  std::shared_ptr<grpc::Channel> aggregator_channel_;
  std::unique_ptr<v1::RegistryService::Stub> registry_;
  std::unique_ptr<v1::AggregatorService::Stub> aggregator_;
  // Every call is a read: a dependency restarting costs a retry, and an
  // outage is UNAVAILABLE naming it, never an empty list.
  fed::ServiceClient registry_calls_;
  fed::ServiceClient aggregator_calls_;
};

}  // namespace ranking
