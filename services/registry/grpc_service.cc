#include "services/registry/grpc_service.h"

namespace registry {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;

ServerUnaryReactor* RegistryGrpcService::CreateOrganization(
    CallbackServerContext* ctx, const v1::CreateOrganizationRequest* request,
    v1::Organization* response) {
  return fed::ServeMethod(ctx, call_, "CreateOrganization", registry_,
                          &Registry::CreateOrganization, request, response);
}

ServerUnaryReactor* RegistryGrpcService::UpdateOrganization(
    CallbackServerContext* ctx, const v1::UpdateOrganizationRequest* request,
    v1::Organization* response) {
  return fed::ServeMethod(ctx, call_, "UpdateOrganization", registry_,
                          &Registry::UpdateOrganization, request, response);
}

ServerUnaryReactor* RegistryGrpcService::GetOrganization(CallbackServerContext* ctx,
                                                         const v1::GetOrganizationRequest* request,
                                                         v1::Organization* response) {
  return fed::ServeMethod(ctx, call_, "GetOrganization", registry_, &Registry::GetOrganization,
                          request, response);
}

ServerUnaryReactor* RegistryGrpcService::ListOrganizations(
    CallbackServerContext* ctx, const v1::ListOrganizationsRequest* request,
    v1::ListOrganizationsResponse* response) {
  return fed::ServeMethod(ctx, call_, "ListOrganizations", registry_, &Registry::ListOrganizations,
                          request, response);
}

ServerUnaryReactor* RegistryGrpcService::RetireOrganization(
    CallbackServerContext* ctx, const v1::RetireOrganizationRequest* request,
    v1::Organization* response) {
  return fed::ServeMethod(ctx, call_, "RetireOrganization", registry_,
                          &Registry::RetireOrganization, request, response);
}

ServerUnaryReactor* RegistryGrpcService::GetOrganizationHistory(
    CallbackServerContext* ctx, const v1::GetOrganizationHistoryRequest* request,
    v1::OrganizationHistory* response) {
  return fed::ServeMethod(ctx, call_, "GetOrganizationHistory", registry_,
                          &Registry::GetOrganizationHistory, request, response);
}

ServerUnaryReactor* RegistryGrpcService::RecordMerger(CallbackServerContext* ctx,
                                                      const v1::RecordMergerRequest* request,
                                                      v1::Merger* response) {
  return fed::ServeMethod(ctx, call_, "RecordMerger", registry_, &Registry::RecordMerger, request,
                          response);
}

ServerUnaryReactor* RegistryGrpcService::ListMergers(CallbackServerContext* ctx,
                                                     const v1::ListMergersRequest* request,
                                                     v1::ListMergersResponse* response) {
  return fed::ServeMethod(ctx, call_, "ListMergers", registry_, &Registry::ListMergers, request,
                          response);
}

ServerUnaryReactor* RegistryGrpcService::ResolveSuccessor(
    CallbackServerContext* ctx, const v1::ResolveSuccessorRequest* request,
    v1::ResolveSuccessorResponse* response) {
  return fed::ServeMethod(ctx, call_, "ResolveSuccessor", registry_, &Registry::ResolveSuccessor,
                          request, response);
}

ServerUnaryReactor* RegistryGrpcService::ListPredecessors(
    CallbackServerContext* ctx, const v1::ListPredecessorsRequest* request,
    v1::ListPredecessorsResponse* response) {
  return fed::ServeMethod(ctx, call_, "ListPredecessors", registry_, &Registry::ListPredecessors,
                          request, response);
}

ServerUnaryReactor* RegistryGrpcService::CreateCluster(CallbackServerContext* ctx,
                                                       const v1::CreateClusterRequest* request,
                                                       v1::EmulationCluster* response) {
  return fed::ServeMethod(ctx, call_, "CreateCluster", registry_, &Registry::CreateCluster, request,
                          response);
}

ServerUnaryReactor* RegistryGrpcService::UpdateCluster(CallbackServerContext* ctx,
                                                       const v1::UpdateClusterRequest* request,
                                                       v1::EmulationCluster* response) {
  return fed::ServeMethod(ctx, call_, "UpdateCluster", registry_, &Registry::UpdateCluster, request,
                          response);
}

ServerUnaryReactor* RegistryGrpcService::GetCluster(CallbackServerContext* ctx,
                                                    const v1::GetClusterRequest* request,
                                                    v1::EmulationCluster* response) {
  return fed::ServeMethod(ctx, call_, "GetCluster", registry_, &Registry::GetCluster, request,
                          response);
}

ServerUnaryReactor* RegistryGrpcService::ListClusters(CallbackServerContext* ctx,
                                                      const v1::ListClustersRequest* request,
                                                      v1::ListClustersResponse* response) {
  return fed::ServeMethod(ctx, call_, "ListClusters", registry_, &Registry::ListClusters, request,
                          response);
}

ServerUnaryReactor* RegistryGrpcService::GetClusterOf(CallbackServerContext* ctx,
                                                      const v1::GetClusterOfRequest* request,
                                                      v1::ClusterMembership* response) {
  return fed::ServeMethod(ctx, call_, "GetClusterOf", registry_, &Registry::GetClusterOf, request,
                          response);
}

ServerUnaryReactor* RegistryGrpcService::RecordCongress(CallbackServerContext* ctx,
                                                        const v1::RecordCongressRequest* request,
                                                        v1::CongressTerm* response) {
  return fed::ServeMethod(ctx, call_, "RecordCongress", registry_, &Registry::RecordCongress,
                          request, response);
}

ServerUnaryReactor* RegistryGrpcService::UpdateCongressResults(
    CallbackServerContext* ctx, const v1::UpdateCongressResultsRequest* request,
    v1::CongressTerm* response) {
  return fed::ServeMethod(ctx, call_, "UpdateCongressResults", registry_,
                          &Registry::UpdateCongressResults, request, response);
}

ServerUnaryReactor* RegistryGrpcService::ExtendCongressTerm(
    CallbackServerContext* ctx, const v1::ExtendCongressTermRequest* request,
    v1::CongressTerm* response) {
  return fed::ServeMethod(ctx, call_, "ExtendCongressTerm", registry_,
                          &Registry::ExtendCongressTerm, request, response);
}

ServerUnaryReactor* RegistryGrpcService::SubmitCongress(CallbackServerContext* ctx,
                                                        const v1::SubmitCongressRequest* request,
                                                        v1::CongressTerm* response) {
  return fed::ServeMethod(ctx, call_, "SubmitCongress", registry_, &Registry::SubmitCongress,
                          request, response);
}

ServerUnaryReactor* RegistryGrpcService::RecogniseCongress(
    CallbackServerContext* ctx, const v1::RecogniseCongressRequest* request,
    v1::CongressTerm* response) {
  return fed::ServeMethod(ctx, call_, "RecogniseCongress", registry_, &Registry::RecogniseCongress,
                          request, response);
}

ServerUnaryReactor* RegistryGrpcService::ReturnCongress(CallbackServerContext* ctx,
                                                        const v1::ReturnCongressRequest* request,
                                                        v1::CongressTerm* response) {
  return fed::ServeMethod(ctx, call_, "ReturnCongress", registry_, &Registry::ReturnCongress,
                          request, response);
}

ServerUnaryReactor* RegistryGrpcService::GetCongressTerm(CallbackServerContext* ctx,
                                                         const v1::GetCongressTermRequest* request,
                                                         v1::CongressTerm* response) {
  return fed::ServeMethod(ctx, call_, "GetCongressTerm", registry_, &Registry::GetCongressTerm,
                          request, response);
}

ServerUnaryReactor* RegistryGrpcService::ListCongressTerms(
    CallbackServerContext* ctx, const v1::ListCongressTermsRequest* request,
    v1::ListCongressTermsResponse* response) {
  return fed::ServeMethod(ctx, call_, "ListCongressTerms", registry_, &Registry::ListCongressTerms,
                          request, response);
}

ServerUnaryReactor* RegistryGrpcService::GetProfile(CallbackServerContext* ctx,
                                                    const v1::GetProfileRequest* request,
                                                    v1::Profile* response) {
  return fed::ServeMethod(ctx, call_, "GetProfile", registry_, &Registry::GetProfile, request,
                          response);
}

ServerUnaryReactor* RegistryGrpcService::ListAuditEvents(CallbackServerContext* ctx,
                                                         const v1::ListAuditEventsRequest* request,
                                                         v1::ListAuditEventsResponse* response) {
  return fed::ServeMethod(ctx, call_, "ListAuditEvents", registry_, &Registry::ListAuditEvents,
                          request, response);
}

}  // namespace registry
