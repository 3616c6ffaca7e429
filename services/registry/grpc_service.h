// gRPC face of the registry: authenticates each call and forwards it to
// Registry on the worker pool (see services/common/unary.h).
#pragma once

#include "federation/v1/registry.grpc.pb.h"
#include "services/common/unary.h"
#include "services/registry/registry.h"

namespace registry {

class RegistryGrpcService final : public v1::RegistryService::CallbackService {
 public:
  RegistryGrpcService(Registry* registry, fed::CallContext call)
      : registry_(registry), call_(call) {}

  grpc::ServerUnaryReactor* CreateOrganization(grpc::CallbackServerContext* ctx,
                                               const v1::CreateOrganizationRequest* request,
                                               v1::Organization* response) override;
  grpc::ServerUnaryReactor* UpdateOrganization(grpc::CallbackServerContext* ctx,
                                               const v1::UpdateOrganizationRequest* request,
                                               v1::Organization* response) override;
  grpc::ServerUnaryReactor* GetOrganization(grpc::CallbackServerContext* ctx,
                                            const v1::GetOrganizationRequest* request,
                                            v1::Organization* response) override;
  grpc::ServerUnaryReactor* ListOrganizations(grpc::CallbackServerContext* ctx,
                                              const v1::ListOrganizationsRequest* request,
                                              v1::ListOrganizationsResponse* response) override;
  grpc::ServerUnaryReactor* RetireOrganization(grpc::CallbackServerContext* ctx,
                                               const v1::RetireOrganizationRequest* request,
                                               v1::Organization* response) override;
  grpc::ServerUnaryReactor* GetOrganizationHistory(grpc::CallbackServerContext* ctx,
                                                   const v1::GetOrganizationHistoryRequest* request,
                                                   v1::OrganizationHistory* response) override;
  grpc::ServerUnaryReactor* RecordMerger(grpc::CallbackServerContext* ctx,
                                         const v1::RecordMergerRequest* request,
                                         v1::Merger* response) override;
  grpc::ServerUnaryReactor* ListMergers(grpc::CallbackServerContext* ctx,
                                        const v1::ListMergersRequest* request,
                                        v1::ListMergersResponse* response) override;
  grpc::ServerUnaryReactor* ResolveSuccessor(grpc::CallbackServerContext* ctx,
                                             const v1::ResolveSuccessorRequest* request,
                                             v1::ResolveSuccessorResponse* response) override;
  grpc::ServerUnaryReactor* ListPredecessors(grpc::CallbackServerContext* ctx,
                                             const v1::ListPredecessorsRequest* request,
                                             v1::ListPredecessorsResponse* response) override;
  grpc::ServerUnaryReactor* CreateCluster(grpc::CallbackServerContext* ctx,
                                          const v1::CreateClusterRequest* request,
                                          v1::EmulationCluster* response) override;
  grpc::ServerUnaryReactor* UpdateCluster(grpc::CallbackServerContext* ctx,
                                          const v1::UpdateClusterRequest* request,
                                          v1::EmulationCluster* response) override;
  grpc::ServerUnaryReactor* GetCluster(grpc::CallbackServerContext* ctx,
                                       const v1::GetClusterRequest* request,
                                       v1::EmulationCluster* response) override;
  grpc::ServerUnaryReactor* ListClusters(grpc::CallbackServerContext* ctx,
                                         const v1::ListClustersRequest* request,
                                         v1::ListClustersResponse* response) override;
  grpc::ServerUnaryReactor* GetClusterOf(grpc::CallbackServerContext* ctx,
                                         const v1::GetClusterOfRequest* request,
                                         v1::ClusterMembership* response) override;
  grpc::ServerUnaryReactor* RecordCongress(grpc::CallbackServerContext* ctx,
                                           const v1::RecordCongressRequest* request,
                                           v1::CongressTerm* response) override;
  grpc::ServerUnaryReactor* UpdateCongressResults(grpc::CallbackServerContext* ctx,
                                                  const v1::UpdateCongressResultsRequest* request,
                                                  v1::CongressTerm* response) override;
  grpc::ServerUnaryReactor* ExtendCongressTerm(grpc::CallbackServerContext* ctx,
                                               const v1::ExtendCongressTermRequest* request,
                                               v1::CongressTerm* response) override;
  grpc::ServerUnaryReactor* SubmitCongress(grpc::CallbackServerContext* ctx,
                                           const v1::SubmitCongressRequest* request,
                                           v1::CongressTerm* response) override;
  grpc::ServerUnaryReactor* RecogniseCongress(grpc::CallbackServerContext* ctx,
                                              const v1::RecogniseCongressRequest* request,
                                              v1::CongressTerm* response) override;
  grpc::ServerUnaryReactor* ReturnCongress(grpc::CallbackServerContext* ctx,
                                           const v1::ReturnCongressRequest* request,
                                           v1::CongressTerm* response) override;
  grpc::ServerUnaryReactor* GetCongressTerm(grpc::CallbackServerContext* ctx,
                                            const v1::GetCongressTermRequest* request,
                                            v1::CongressTerm* response) override;
  grpc::ServerUnaryReactor* ListCongressTerms(grpc::CallbackServerContext* ctx,
                                              const v1::ListCongressTermsRequest* request,
                                              v1::ListCongressTermsResponse* response) override;
  grpc::ServerUnaryReactor* GetProfile(grpc::CallbackServerContext* ctx,
                                       const v1::GetProfileRequest* request,
                                       v1::Profile* response) override;
  grpc::ServerUnaryReactor* ListAuditEvents(grpc::CallbackServerContext* ctx,
                                            const v1::ListAuditEventsRequest* request,
                                            v1::ListAuditEventsResponse* response) override;

 private:
  Registry* registry_;
  fed::CallContext call_;
};

}  // namespace registry
