// Emulation clusters per year: membership, head and deputy.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/audit.h"
#include "services/common/dates.h"
#include "services/common/status.h"
#include "services/registry/access.h"
#include "services/registry/registry.h"
#include "services/registry/storage.h"
#include "services/registry/validate.h"

namespace registry {
namespace {

struct ResolvedCluster {
  std::vector<int64_t> member_ids;
  int64_t head_id = 0;
  int64_t deputy_id = 0;
};

// Every member must be a provincial union active during the year
// (INVALID_ARGUMENT, per member) and in no other cluster that year
// (FAILED_PRECONDITION: the other cluster must change first). `cluster_id` is
// the cluster being rewritten (0 new).
absl::StatusOr<ResolvedCluster> ResolveMembers(pqxx::work& txn, const v1::EmulationCluster& c,
                                               int64_t cluster_id) {
  fed::Violations v;
  std::vector<std::string> taken;
  ResolvedCluster resolved;
  const std::string first_day = absl::StrCat(c.year(), "-01-01");
  const std::string last_day = absl::StrCat(c.year(), "-12-31");
  for (int i = 0; i < c.member_codes_size(); ++i) {
    const std::string& code = c.member_codes(i);
    const std::string field = absl::StrCat("cluster.member_codes[", i, "]");
    auto row = storage::LoadOrganization(txn, code, false);
    if (!row.ok()) {
      v.Add(field, absl::StrCat("no organisation with code ", code));
      continue;
    }
    const v1::Organization& org = row->organization;
    if (org.kind() != v1::ORGANIZATION_KIND_PROVINCIAL_UNION) {
      v.Add(field, absl::StrCat(code, " is not a provincial union"));
    }
    const bool active_in_year = org.active_from() <= last_day &&
                                (org.active_until().empty() || org.active_until() > first_day);
    if (!active_in_year) {
      v.Add(field, absl::StrCat(code, " is not active in ", c.year()));
    }
    if (auto other = storage::ClusterNumberOf(txn, row->id, c.year(), cluster_id)) {
      taken.push_back(absl::StrCat(code, " is already in cluster ", *other, " for ", c.year()));
    }
    resolved.member_ids.push_back(row->id);
    if (code == c.head_code()) resolved.head_id = row->id;
    if (code == c.deputy_code()) resolved.deputy_id = row->id;
  }
  RETURN_IF_ERROR(v.ToStatus());
  if (!taken.empty()) return absl::FailedPreconditionError(absl::StrJoin(taken, "; "));
  return resolved;
}

}  // namespace

absl::Status Registry::CreateCluster(const Principal& who, const v1::CreateClusterRequest& req,
                                     v1::EmulationCluster* out) {
  RETURN_IF_ERROR(RequireAdmin(who));
  const v1::EmulationCluster& cluster = req.cluster();
  RETURN_IF_ERROR(ValidateCluster(cluster).ToStatus());
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    if (storage::LoadCluster(txn, cluster.year(), cluster.number(), false)) {
      return absl::AlreadyExistsError(
          absl::StrCat("cluster ", cluster.number(), " of ", cluster.year(), " already exists"));
    }
    ASSIGN_OR_RETURN(auto resolved, ResolveMembers(txn, cluster, 0));
    const int64_t id =
        storage::InsertCluster(txn, cluster, resolved.head_id, resolved.deputy_id, who.subject);
    storage::ReplaceClusterMembers(txn, id, cluster.year(), resolved.member_ids);
    storage::AppendClusterRevision(txn, id, who.subject);
    fed::AppendAudit(txn, who, "CreateCluster",
                     absl::StrCat("cluster:", cluster.year(), "/", cluster.number()), req);
    *out = storage::LoadCluster(txn, cluster.year(), cluster.number(), false)->cluster;
    return absl::OkStatus();
  });
}

absl::Status Registry::UpdateCluster(const Principal& who, const v1::UpdateClusterRequest& req,
                                     v1::EmulationCluster* out) {
  RETURN_IF_ERROR(RequireAdmin(who));
  const v1::EmulationCluster& cluster = req.cluster();
  RETURN_IF_ERROR(ValidateCluster(cluster).ToStatus());
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    auto current = storage::LoadCluster(txn, cluster.year(), cluster.number(), /*lock=*/true);
    if (!current) {
      return absl::NotFoundError(
          absl::StrCat("no cluster ", cluster.number(), " in ", cluster.year()));
    }
    ASSIGN_OR_RETURN(auto resolved, ResolveMembers(txn, cluster, current->id));
    storage::UpdateClusterRow(txn, current->id, cluster, resolved.head_id, resolved.deputy_id,
                              who.subject);
    storage::ReplaceClusterMembers(txn, current->id, cluster.year(), resolved.member_ids);
    storage::AppendClusterRevision(txn, current->id, who.subject);
    fed::AppendAudit(txn, who, "UpdateCluster",
                     absl::StrCat("cluster:", cluster.year(), "/", cluster.number()), req);
    *out = storage::LoadCluster(txn, cluster.year(), cluster.number(), false)->cluster;
    return absl::OkStatus();
  });
}

absl::Status Registry::GetCluster(const Principal& who, const v1::GetClusterRequest& req,
                                  v1::EmulationCluster* out) {
  RETURN_IF_ERROR(RequireReader(who));
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    auto row = storage::LoadCluster(txn, req.year(), req.number(), false);
    if (!row) {
      return absl::NotFoundError(absl::StrCat("no cluster ", req.number(), " in ", req.year()));
    }
    *out = row->cluster;
    return absl::OkStatus();
  });
}

absl::Status Registry::ListClusters(const Principal& who, const v1::ListClustersRequest& req,
                                    v1::ListClustersResponse* out) {
  RETURN_IF_ERROR(RequireReader(who));
  fed::Violations v;
  if (req.year() < 1950 || req.year() > 2100) v.Add("year", "must be a year between 1950 and 2100");
  RETURN_IF_ERROR(v.ToStatus());
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    for (auto& c : storage::ListClusters(txn, req.year())) *out->add_clusters() = std::move(c);
    return absl::OkStatus();
  });
}

absl::Status Registry::GetClusterOf(const Principal& who, const v1::GetClusterOfRequest& req,
                                    v1::ClusterMembership* out) {
  RETURN_IF_ERROR(RequireReader(who));
  const int32_t year = req.year() == 0 ? fed::Today().year() : req.year();
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto org, storage::LoadOrganization(txn, req.code(), false));
    auto number = storage::ClusterNumberOf(txn, org.id, year, 0);
    if (!number) {
      return absl::NotFoundError(absl::StrCat(req.code(), " is in no cluster in ", year));
    }
    auto cluster = storage::LoadCluster(txn, year, *number, false);
    *out->mutable_cluster() = cluster->cluster;
    out->set_role(cluster->cluster.head_code() == req.code()     ? v1::CLUSTER_ROLE_HEAD
                  : cluster->cluster.deputy_code() == req.code() ? v1::CLUSTER_ROLE_DEPUTY
                                                                 : v1::CLUSTER_ROLE_MEMBER);
    return absl::OkStatus();
  });
}

}  // namespace registry
