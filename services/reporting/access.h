// Who may do what with reports. Deny by default: a province reporter works
// on its own organisation's reports only; a national admin may write any;
// national reviewers and services read everything. The check comes before
// any validation, so another province learns nothing about a report.
#pragma once

#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/auth.h"

namespace reporting {

namespace v1 = federation::v1;

// Drafting, saving, dry-running and submitting `organization_code`'s report.
inline absl::Status RequireWriteAccess(const fed::Principal& who,
                                       const std::string& organization_code) {
  if (who.role == v1::ROLE_NATIONAL_ADMIN) return absl::OkStatus();
  if (who.role == v1::ROLE_PROVINCE_REPORTER) {
    if (who.organization_code == organization_code) return absl::OkStatus();
    return absl::PermissionDeniedError(absl::StrCat("organisation ", who.organization_code,
                                                    " may not write the reports of ",
                                                    organization_code));
  }
  return absl::PermissionDeniedError(
      absl::StrCat("role ", fed::RoleName(who.role),
                   " may not write reports (province_reporter for its own "
                   "organisation, or national_admin)"));
}

// Reading `organization_code`'s reports ("" = every organisation's).
inline absl::Status RequireReadAccess(const fed::Principal& who,
                                      const std::string& organization_code) {
  if (who.IsNational()) return absl::OkStatus();
  if (who.role == v1::ROLE_PROVINCE_REPORTER) {
    if (!organization_code.empty() && who.organization_code == organization_code) {
      return absl::OkStatus();
    }
    return absl::PermissionDeniedError(
        absl::StrCat("organisation ", who.organization_code, " may only read its own reports"));
  }
  return absl::PermissionDeniedError(
      absl::StrCat("role ", fed::RoleName(who.role), " may not read reports"));
}

// Any authenticated role may read the catalog: it is public reference data.
inline absl::Status RequireAnyRole(const fed::Principal& who) {
  return who.role == v1::ROLE_UNSPECIFIED ? absl::PermissionDeniedError("no role")
                                          : absl::OkStatus();
}

}  // namespace reporting
