// Organisations: create, update, read, list, retire, history.
#include "absl/strings/str_cat.h"
#include "services/common/audit.h"
#include "services/common/dates.h"
#include "services/common/status.h"
#include "services/registry/access.h"
#include "services/registry/registry.h"
#include "services/registry/storage.h"
#include "services/registry/validate.h"

namespace registry {
namespace {

constexpr int kDefaultPageSize = 500;
constexpr int kMaxPageSize = 5000;

// Checks that refer to other rows: the parent exists, was active, and the
// kind hierarchy makes sense. Adds to `v` instead of failing fast.
void CheckParent(pqxx::work& txn, fed::Violations& v, const v1::Organization& org,
                 int64_t* parent_id) {
  *parent_id = 0;
  if (org.parent_code().empty()) return;
  auto parent = storage::LoadOrganization(txn, org.parent_code(), false);
  if (!parent.ok()) {
    v.Add("organization.parent_code",
          absl::StrCat("no organisation with code ", org.parent_code()));
    return;
  }
  *parent_id = parent->id;
  const v1::Organization& p = parent->organization;
  if (org.kind() == v1::ORGANIZATION_KIND_PROVINCIAL_UNION &&
      p.kind() != v1::ORGANIZATION_KIND_NATIONAL_UNION) {
    v.Add("organization.parent_code", "a provincial union belongs to the national union");
  }
  if (org.kind() != v1::ORGANIZATION_KIND_PROVINCIAL_UNION &&
      p.kind() != v1::ORGANIZATION_KIND_NATIONAL_UNION &&
      p.kind() != v1::ORGANIZATION_KIND_PROVINCIAL_UNION) {
    v.Add("organization.parent_code", "must be a provincial union or the national union");
  }
  if (!p.active_until().empty()) {
    v.Add("organization.parent_code",
          absl::StrCat(org.parent_code(), " is no longer active (until ", p.active_until(), ")"));
  }
}

}  // namespace

absl::Status Registry::CreateOrganization(const Principal& who,
                                          const v1::CreateOrganizationRequest& req,
                                          v1::Organization* out) {
  RETURN_IF_ERROR(ValidateCreateOrganization(req).ToStatus());
  v1::Organization org = req.organization();
  if (IsUnionRecord(org.kind())) {
    RETURN_IF_ERROR(RequireAdmin(who));
  } else {
    RETURN_IF_ERROR(RequireWriteAccess(who, org.code(), org.parent_code()));
  }
  if (org.status() == v1::ORGANIZATION_STATUS_UNSPECIFIED) {
    org.set_status(v1::ORGANIZATION_STATUS_ACTIVE);
  }
  org.clear_active_until();
  org.clear_successor_code();
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    RETURN_IF_ERROR(RequireCallerStillWriting(txn, who));
    if (storage::LoadOrganization(txn, org.code(), false).ok()) {
      return absl::AlreadyExistsError(absl::StrCat("organisation ", org.code(), " already exists"));
    }
    fed::Violations v;
    int64_t parent_id = 0;
    CheckParent(txn, v, org, &parent_id);
    RETURN_IF_ERROR(v.ToStatus());
    const int64_t id = storage::InsertOrganization(txn, org, parent_id, who.subject);
    storage::AppendRevision(txn, id, "created", "", who.subject);
    fed::AppendAudit(txn, who, "CreateOrganization", org.code(), req);
    ASSIGN_OR_RETURN(auto row, storage::LoadOrganizationById(txn, id));
    *out = row.organization;
    return absl::OkStatus();
  });
}

absl::Status Registry::UpdateOrganization(const Principal& who,
                                          const v1::UpdateOrganizationRequest& req,
                                          v1::Organization* out) {
  RETURN_IF_ERROR(fed::RequireRole(who, {v1::ROLE_NATIONAL_ADMIN, v1::ROLE_PROVINCE_REPORTER}));
  const v1::Organization& change = req.organization();
  fed::Violations code_check;
  fed::CheckOrganizationCode(code_check, "organization.code", change.code(), true);
  RETURN_IF_ERROR(code_check.ToStatus());
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto current, storage::LoadOrganization(txn, change.code(), /*lock=*/true));
    const v1::Organization& now = current.organization;
    // Whose data it is comes before what is wrong with it: another
    // province's clerk learns nothing about the record.
    if (IsUnionRecord(now.kind())) {
      RETURN_IF_ERROR(RequireAdmin(who));
    } else {
      RETURN_IF_ERROR(RequireWriteAccess(who, now.code(), now.parent_code()));
      RETURN_IF_ERROR(RequireCallerStillWriting(txn, who));
    }
    RETURN_IF_ERROR(ValidateUpdateOrganization(req).ToStatus());
    // A reporter may not move an organisation out from under its province.
    if (who.role != v1::ROLE_NATIONAL_ADMIN && change.parent_code() != now.parent_code()) {
      return absl::PermissionDeniedError("only the national office may change the parent");
    }
    if (req.expected_revision() != 0 && req.expected_revision() != now.revision()) {
      return absl::AbortedError(absl::StrCat("organisation ", now.code(),
                                             " changed since revision ", req.expected_revision(),
                                             " (now ", now.revision(), "); read it again"));
    }
    if (!now.active_until().empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          now.code(), " is retired since ", now.active_until(), "; its record is history"));
    }
    v1::Organization merged = change;
    merged.set_kind(now.kind());
    if (merged.status() == v1::ORGANIZATION_STATUS_UNSPECIFIED) merged.set_status(now.status());
    fed::Violations v;
    int64_t parent_id = 0;
    CheckParent(txn, v, merged, &parent_id);
    if (now.kind() != v1::ORGANIZATION_KIND_NATIONAL_UNION && merged.parent_code().empty()) {
      v.Add("organization.parent_code", "is required (the union it belongs to)");
    }
    RETURN_IF_ERROR(v.ToStatus());
    storage::UpdateOrganizationFields(txn, current.id, merged, parent_id, who.subject);
    storage::AppendRevision(txn, current.id, "updated", "", who.subject);
    fed::AppendAudit(txn, who, "UpdateOrganization", now.code(), req);
    ASSIGN_OR_RETURN(auto row, storage::LoadOrganizationById(txn, current.id));
    *out = row.organization;
    return absl::OkStatus();
  });
}

absl::Status Registry::GetOrganization(const Principal& who, const v1::GetOrganizationRequest& req,
                                       v1::Organization* out) {
  RETURN_IF_ERROR(RequireReader(who));
  fed::Violations v;
  fed::CheckOrganizationCode(v, "code", req.code(), true);
  RETURN_IF_ERROR(v.ToStatus());
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto row, storage::LoadOrganization(txn, req.code(), false));
    *out = row.organization;
    return absl::OkStatus();
  });
}

absl::Status Registry::ListOrganizations(const Principal& who,
                                         const v1::ListOrganizationsRequest& req,
                                         v1::ListOrganizationsResponse* out) {
  RETURN_IF_ERROR(RequireReader(who));
  fed::Violations v;
  if (!req.as_of().empty()) {
    if (auto day = fed::ParseDate(req.as_of()); !day.ok()) v.Add("as_of", day.status().message());
  }
  fed::CheckOrganizationCode(v, "parent_code", req.parent_code(), false);
  if (!v1::OrganizationKind_IsValid(req.kind())) v.Add("kind", "is not a known kind");
  if (req.page_size() < 0 || req.page_size() > kMaxPageSize) {
    v.Add("page_size", absl::StrCat("must be 0 to ", kMaxPageSize));
  }
  if ((req.cluster_number() != 0) != (req.cluster_year() != 0)) {
    v.Add("cluster_year", "cluster_number and cluster_year go together");
  }
  RETURN_IF_ERROR(v.ToStatus());
  storage::OrganizationFilter filter;
  filter.kind = req.kind();
  filter.as_of = req.include_inactive() ? ""
                 : req.as_of().empty()  ? fed::FormatDate(fed::Today())
                                        : req.as_of();
  filter.cluster_year = req.cluster_year();
  filter.cluster_number = req.cluster_number();
  filter.after_code = req.page_token();
  filter.limit = req.page_size() == 0 ? kDefaultPageSize : req.page_size();
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    if (!req.parent_code().empty()) {
      ASSIGN_OR_RETURN(auto parent, storage::LoadOrganization(txn, req.parent_code(), false));
      filter.parent_id = parent.id;
    }
    // One extra row tells whether another page follows.
    ++filter.limit;
    std::vector<v1::Organization> rows = storage::ListOrganizations(txn, filter);
    const bool more = static_cast<int>(rows.size()) == filter.limit;
    if (more) rows.pop_back();
    for (auto& org : rows) *out->add_organizations() = std::move(org);
    if (more) out->set_next_page_token(out->organizations().rbegin()->code());
    return absl::OkStatus();
  });
}

absl::Status Registry::RetireOrganization(const Principal& who,
                                          const v1::RetireOrganizationRequest& req,
                                          v1::Organization* out) {
  RETURN_IF_ERROR(ValidateRetire(req).ToStatus());
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto current, storage::LoadOrganization(txn, req.code(), /*lock=*/true));
    const v1::Organization& now = current.organization;
    if (IsUnionRecord(now.kind())) {
      RETURN_IF_ERROR(RequireAdmin(who));
    } else {
      RETURN_IF_ERROR(RequireWriteAccess(who, now.code(), now.parent_code()));
      RETURN_IF_ERROR(RequireCallerStillWriting(txn, who));
    }
    if (!now.active_until().empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat(now.code(), " is already retired since ", now.active_until()));
    }
    fed::Violations v;
    if (req.effective_on() <= now.active_from()) {
      v.Add("effective_on", absl::StrCat("must be after active_from (", now.active_from(), ")"));
    }
    RETURN_IF_ERROR(v.ToStatus());
    storage::EndOrganization(txn, current.id, req.effective_on(), 0, who.subject);
    storage::AppendRevision(txn, current.id, "retired", req.reason(), who.subject);
    fed::AppendAudit(txn, who, "RetireOrganization", now.code(), req);
    ASSIGN_OR_RETURN(auto row, storage::LoadOrganizationById(txn, current.id));
    *out = row.organization;
    return absl::OkStatus();
  });
}

absl::Status Registry::GetOrganizationHistory(const Principal& who,
                                              const v1::GetOrganizationHistoryRequest& req,
                                              v1::OrganizationHistory* out) {
  RETURN_IF_ERROR(RequireReader(who));
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto row, storage::LoadOrganization(txn, req.code(), false));
    for (auto& revision : storage::LoadHistory(txn, row.id)) {
      *out->add_revisions() = std::move(revision);
    }
    return absl::OkStatus();
  });
}

absl::Status Registry::ListAuditEvents(const Principal& who, const v1::ListAuditEventsRequest& req,
                                       v1::ListAuditEventsResponse* out) {
  RETURN_IF_ERROR(fed::RequireRole(who, {v1::ROLE_NATIONAL_ADMIN, v1::ROLE_NATIONAL_REVIEWER}));
  fed::Violations v;
  if (req.limit() < 0 || req.limit() > 1000) v.Add("limit", "must be 0 to 1000");
  RETURN_IF_ERROR(v.ToStatus());
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    for (auto& event : fed::ListAudit(txn, req.target(), req.limit() == 0 ? 100 : req.limit())) {
      *out->add_events() = std::move(event);
    }
    return absl::OkStatus();
  });
}

}  // namespace registry
