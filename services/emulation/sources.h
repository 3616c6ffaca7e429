// What the emulation service reads from the rest of the suite: the cluster
// and its members' lives from the registry, the scheme and the computed
// ranking from the ranking service. Each call goes out with the service's
// own identity; a dependency that cannot answer makes the caller's answer
// UNAVAILABLE, never a refusal (services/common/client.h).
#pragma once

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "federation/v1/ranking.grpc.pb.h"
#include "federation/v1/registry.grpc.pb.h"
#include "services/common/client.h"

namespace emulation {

namespace v1 = federation::v1;

// The seams the logic calls; tests may give their own.
class Sources {
 public:
  virtual ~Sources() = default;
  // NOT_FOUND when the registry has no such cluster.
  virtual absl::StatusOr<v1::EmulationCluster> Cluster(int year, int number) = 0;
  virtual absl::StatusOr<v1::Organization> Organization(const std::string& code) = 0;
  // version 0: the latest. NOT_FOUND when the ranking service has none.
  virtual absl::StatusOr<v1::ScoringScheme> Scheme(int year, int version) = 0;
  // The cluster's computed ranking for the period under the scheme version.
  virtual absl::StatusOr<v1::ClusterRanking> Ranking(int year, int cluster,
                                                     const std::string& period,
                                                     int scheme_version) = 0;
};

// Sources over gRPC.
class GrpcSources : public Sources {
 public:
  GrpcSources(std::shared_ptr<grpc::Channel> registry, std::shared_ptr<grpc::Channel> ranking);

  absl::StatusOr<v1::EmulationCluster> Cluster(int year, int number) override;
  absl::StatusOr<v1::Organization> Organization(const std::string& code) override;
  absl::StatusOr<v1::ScoringScheme> Scheme(int year, int version) override;
  absl::StatusOr<v1::ClusterRanking> Ranking(int year, int cluster, const std::string& period,
                                             int scheme_version) override;

 private:
  std::unique_ptr<v1::RegistryService::Stub> registry_stub_;
  std::unique_ptr<v1::RankingService::Stub> ranking_stub_;
  fed::ServiceClient registry_;
  fed::ServiceClient ranking_;
};

}  // namespace emulation
