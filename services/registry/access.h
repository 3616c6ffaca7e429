// Who may change what in the registry. Deny by default: national admins may
// change anything; a province reporter only its own organisation and the
// organisations directly under it.
#pragma once

#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/auth.h"
#include "services/common/ended_organizations.h"
#include "services/registry/storage.h"

namespace registry {

namespace v1 = federation::v1;

inline absl::Status RequireAdmin(const fed::Principal& who) {
  return fed::RequireRole(who, {v1::ROLE_NATIONAL_ADMIN});
}

// The records of the unions themselves (the national union, a provincial
// union: status, member counts) are the national office's. A province's
// staff keep the records of the organisations under their union; their own
// union's record is not theirs to change (its counts feed national figures),
// nor is any other province's (even for the national union's own staff).
inline bool IsUnionRecord(v1::OrganizationKind kind) {
  return kind == v1::ORGANIZATION_KIND_NATIONAL_UNION ||
         kind == v1::ORGANIZATION_KIND_PROVINCIAL_UNION;
}

// `code` and `parent_code` describe the organisation being written.
inline absl::Status RequireWriteAccess(const fed::Principal& who, const std::string& code,
                                       const std::string& parent_code) {
  if (who.role == v1::ROLE_NATIONAL_ADMIN) return absl::OkStatus();
  if (who.role == v1::ROLE_PROVINCE_REPORTER &&
      (who.organization_code == code || who.organization_code == parent_code)) {
    return absl::OkStatus();
  }
  if (who.role == v1::ROLE_PROVINCE_REPORTER) {
    return absl::PermissionDeniedError(
        absl::StrCat("organisation ", who.organization_code, " may not change the data of ", code));
  }
  return fed::RequireRole(who, {v1::ROLE_NATIONAL_ADMIN, v1::ROLE_PROVINCE_REPORTER});
}

// A province whose union has ended no longer changes the registry
// (services/common/ended_organizations.h). Checked inside each write's
// transaction.
inline absl::Status RequireCallerStillWriting(pqxx::work& txn, const fed::Principal& who) {
  if (who.role != v1::ROLE_PROVINCE_REPORTER) return absl::OkStatus();
  auto own = storage::LoadOrganization(txn, who.organization_code, /*lock=*/false);
  // An unknown organisation writes nothing anyway (RequireWriteAccess).
  if (!own.ok()) return absl::OkStatus();
  return fed::RequireStillWriting(who, own->organization);
}

// Every authenticated role may read the registry: it is the federation's
// public directory.
inline absl::Status RequireReader(const fed::Principal& who) {
  return who.role == v1::ROLE_UNSPECIFIED ? absl::PermissionDeniedError("no role")
                                          : absl::OkStatus();
}

}  // namespace registry
