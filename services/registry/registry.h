// The registry's behaviour, independent of gRPC: each method authorises the
// caller, validates the request, and makes its change in one transaction
// together with its history and audit rows. Tests build it directly.
#pragma once

#include "federation/v1/registry.pb.h"
#include "services/common/auth.h"
#include "services/common/db.h"

namespace registry {

namespace v1 = federation::v1;
using fed::Principal;

class Registry {
 public:
  explicit Registry(fed::DbPool& db) : db_(db) {}

  // Organisations and their history (organizations.cc)
  absl::Status CreateOrganization(const Principal& who, const v1::CreateOrganizationRequest& req,
                                  v1::Organization* out);
  absl::Status UpdateOrganization(const Principal& who, const v1::UpdateOrganizationRequest& req,
                                  v1::Organization* out);
  absl::Status GetOrganization(const Principal& who, const v1::GetOrganizationRequest& req,
                               v1::Organization* out);
  absl::Status ListOrganizations(const Principal& who, const v1::ListOrganizationsRequest& req,
                                 v1::ListOrganizationsResponse* out);
  absl::Status RetireOrganization(const Principal& who, const v1::RetireOrganizationRequest& req,
                                  v1::Organization* out);
  absl::Status GetOrganizationHistory(const Principal& who,
                                      const v1::GetOrganizationHistoryRequest& req,
                                      v1::OrganizationHistory* out);

  // Mergers and the succession timeline (mergers.cc)
  absl::Status RecordMerger(const Principal& who, const v1::RecordMergerRequest& req,
                            v1::Merger* out);
  absl::Status ListMergers(const Principal& who, const v1::ListMergersRequest& req,
                           v1::ListMergersResponse* out);
  absl::Status ResolveSuccessor(const Principal& who, const v1::ResolveSuccessorRequest& req,
                                v1::ResolveSuccessorResponse* out);
  absl::Status ListPredecessors(const Principal& who, const v1::ListPredecessorsRequest& req,
                                v1::ListPredecessorsResponse* out);

  // Emulation clusters per year (clusters.cc)
  absl::Status CreateCluster(const Principal& who, const v1::CreateClusterRequest& req,
                             v1::EmulationCluster* out);
  absl::Status UpdateCluster(const Principal& who, const v1::UpdateClusterRequest& req,
                             v1::EmulationCluster* out);
  absl::Status GetCluster(const Principal& who, const v1::GetClusterRequest& req,
                          v1::EmulationCluster* out);
  absl::Status ListClusters(const Principal& who, const v1::ListClustersRequest& req,
                            v1::ListClustersResponse* out);
  absl::Status GetClusterOf(const Principal& who, const v1::GetClusterOfRequest& req,
                            v1::ClusterMembership* out);

  // Congress terms and their recognition (congress.cc)
  absl::Status RecordCongress(const Principal& who, const v1::RecordCongressRequest& req,
                              v1::CongressTerm* out);
  absl::Status UpdateCongressResults(const Principal& who,
                                     const v1::UpdateCongressResultsRequest& req,
                                     v1::CongressTerm* out);
  absl::Status ExtendCongressTerm(const Principal& who, const v1::ExtendCongressTermRequest& req,
                                  v1::CongressTerm* out);
  absl::Status SubmitCongress(const Principal& who, const v1::SubmitCongressRequest& req,
                              v1::CongressTerm* out);
  absl::Status RecogniseCongress(const Principal& who, const v1::RecogniseCongressRequest& req,
                                 v1::CongressTerm* out);
  absl::Status ReturnCongress(const Principal& who, const v1::ReturnCongressRequest& req,
                              v1::CongressTerm* out);
  absl::Status GetCongressTerm(const Principal& who, const v1::GetCongressTermRequest& req,
                               v1::CongressTerm* out);
  absl::Status ListCongressTerms(const Principal& who, const v1::ListCongressTermsRequest& req,
                                 v1::ListCongressTermsResponse* out);

  // An organisation's profile: term, leadership, cluster (congress.cc)
  absl::Status GetProfile(const Principal& who, const v1::GetProfileRequest& req, v1::Profile* out);
  // The audit log (organizations.cc)
  absl::Status ListAuditEvents(const Principal& who, const v1::ListAuditEventsRequest& req,
                               v1::ListAuditEventsResponse* out);

 private:
  fed::DbPool& db_;
};

}  // namespace registry
