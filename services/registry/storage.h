// SQL of the registry: every statement it runs, each in a function that takes
// the caller's transaction. Parameterised queries only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "absl/status/statusor.h"
#include "federation/v1/registry.pb.h"
#include "services/common/auth.h"

namespace registry::storage {

namespace v1 = federation::v1;

struct OrganizationRow {
  int64_t id = 0;
  int64_t parent_id = 0;  // 0 = none
  v1::Organization organization;
};

// NOT_FOUND when no organisation has that code. `lock` takes a row lock so
// concurrent changes to the same organisation serialise.
absl::StatusOr<OrganizationRow> LoadOrganization(pqxx::work& txn, const std::string& code,
                                                 bool lock);
absl::StatusOr<OrganizationRow> LoadOrganizationById(pqxx::work& txn, int64_t id);

struct OrganizationFilter {
  v1::OrganizationKind kind = v1::ORGANIZATION_KIND_UNSPECIFIED;
  int64_t parent_id = 0;
  std::string as_of;  // empty = ignore dates
  int32_t cluster_year = 0;
  int32_t cluster_number = 0;
  std::string after_code;  // paging
  int limit = 500;
};
std::vector<v1::Organization> ListOrganizations(pqxx::work& txn, const OrganizationFilter& f);

int64_t InsertOrganization(pqxx::work& txn, const v1::Organization& org, int64_t parent_id,
                           const std::string& actor);
// Writes the mutable descriptive fields and bumps the revision.
void UpdateOrganizationFields(pqxx::work& txn, int64_t id, const v1::Organization& org,
                              int64_t parent_id, const std::string& actor);
// Ends an organisation's life on `until` (exclusive), optionally into a successor.
void EndOrganization(pqxx::work& txn, int64_t id, const std::string& until, int64_t successor_id,
                     const std::string& actor);
// Bumps the revision of an organisation whose relations changed (a merger into it).
void TouchOrganization(pqxx::work& txn, int64_t id, const std::string& actor);
// Appends the organisation's current state to its history.
void AppendRevision(pqxx::work& txn, int64_t id, const std::string& change, const std::string& note,
                    const std::string& actor);
std::vector<v1::OrganizationRevision> LoadHistory(pqxx::work& txn, int64_t id);

int64_t InsertMerger(pqxx::work& txn, int64_t successor_id, const std::string& effective_on,
                     const std::string& decision, const std::string& actor,
                     const std::vector<int64_t>& predecessor_ids);
// Mergers involving the organisation (0 = all), oldest first.
std::vector<v1::Merger> ListMergers(pqxx::work& txn, int64_t organization_id);
// Mergers whose successor is the organisation.
std::vector<v1::Merger> ListMergersInto(pqxx::work& txn, int64_t successor_id);

struct ClusterRow {
  int64_t id = 0;
  int64_t revision = 0;
  v1::EmulationCluster cluster;
};
std::optional<ClusterRow> LoadCluster(pqxx::work& txn, int32_t year, int32_t number, bool lock);
std::vector<v1::EmulationCluster> ListClusters(pqxx::work& txn, int32_t year);
// Cluster number a province is in for a year, other than `except_cluster_id`.
std::optional<int32_t> ClusterNumberOf(pqxx::work& txn, int64_t organization_id, int32_t year,
                                       int64_t except_cluster_id);
int64_t InsertCluster(pqxx::work& txn, const v1::EmulationCluster& cluster, int64_t head_id,
                      int64_t deputy_id, const std::string& actor);
void UpdateClusterRow(pqxx::work& txn, int64_t id, const v1::EmulationCluster& cluster,
                      int64_t head_id, int64_t deputy_id, const std::string& actor);
void ReplaceClusterMembers(pqxx::work& txn, int64_t cluster_id, int32_t year,
                           const std::vector<int64_t>& member_ids);
void AppendClusterRevision(pqxx::work& txn, int64_t cluster_id, const std::string& actor);

struct TermRow {
  int64_t organization_id = 0;
  v1::CongressTerm term;
};
absl::StatusOr<TermRow> LoadTerm(pqxx::work& txn, int64_t term_id, bool lock);
std::vector<v1::CongressTerm> ListTerms(pqxx::work& txn, int64_t organization_id);
int64_t InsertTerm(pqxx::work& txn, int64_t organization_id, const v1::CongressTerm& term);
void InsertTermMembers(pqxx::work& txn, int64_t term_id, int revision,
                       const google::protobuf::RepeatedPtrField<v1::CommitteeMember>& members);
void SetTermMembersRevision(pqxx::work& txn, int64_t term_id, int revision,
                            const std::string& held_on);
void SetTermState(pqxx::work& txn, int64_t term_id, v1::RecognitionState state,
                  const std::string& decision_number, const std::string& decision_date,
                  const std::string& return_reason);
void SetTermExtension(pqxx::work& txn, int64_t term_id, int32_t extended_to_year);
void AppendTermEvent(pqxx::work& txn, int64_t term_id, const std::string& event,
                     const std::string& detail, const std::string& actor);

}  // namespace registry::storage
