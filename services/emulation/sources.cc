#include "services/emulation/sources.h"

#include "absl/strings/str_cat.h"

namespace emulation {

GrpcSources::GrpcSources(std::shared_ptr<grpc::Channel> registry,
                         std::shared_ptr<grpc::Channel> ranking)
    : registry_stub_(v1::RegistryService::NewStub(registry)),
      ranking_stub_(v1::RankingService::NewStub(ranking)),
      registry_("registry", "emulation"),
      ranking_("ranking", "emulation") {}

absl::StatusOr<v1::EmulationCluster> GrpcSources::Cluster(int year, int number) {
  v1::GetClusterRequest req;
  req.set_year(year);
  req.set_number(number);
  v1::EmulationCluster out;
  absl::Status status = registry_.Read("GetCluster", [&](grpc::ClientContext& ctx) {
    return registry_stub_->GetCluster(&ctx, req, &out);
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Organization> GrpcSources::Organization(const std::string& code) {
  v1::GetOrganizationRequest req;
  req.set_code(code);
  v1::Organization out;
  absl::Status status = registry_.Read("GetOrganization", [&](grpc::ClientContext& ctx) {
    return registry_stub_->GetOrganization(&ctx, req, &out);
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ScoringScheme> GrpcSources::Scheme(int year, int version) {
  v1::GetSchemeRequest req;
  req.set_year(year);
  req.set_version(version);
  v1::ScoringScheme out;
  absl::Status status = ranking_.Read("GetScheme", [&](grpc::ClientContext& ctx) {
    return ranking_stub_->GetScheme(&ctx, req, &out);
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ClusterRanking> GrpcSources::Ranking(int year, int cluster,
                                                        const std::string& period,
                                                        int scheme_version) {
  v1::GetRankingRequest req;
  req.set_year(year);
  req.set_cluster_number(cluster);
  req.set_period(period);
  req.set_scheme_version(scheme_version);
  v1::GetRankingResponse out;
  absl::Status status = ranking_.Read("GetRanking", [&](grpc::ClientContext& ctx) {
    return ranking_stub_->GetRanking(&ctx, req, &out);
  });
  if (!status.ok()) return status;
  if (out.rankings_size() != 1) {
    return absl::NotFoundError(
        absl::StrCat("ranking: no ranking of cluster ", cluster, " for ", period));
  }
  return out.rankings(0);
}

}  // namespace emulation
