// Who may do what in the ranking service.
#pragma once

#include "absl/strings/str_cat.h"
#include "services/common/auth.h"
#include "services/common/status.h"

namespace ranking::access {

namespace v1 = federation::v1;

// Scoring schemes are adopted by the national office.
inline absl::Status DefineScheme(const fed::Principal& who) {
  return fed::RequireRole(who, {v1::ROLE_NATIONAL_ADMIN});
}

// Every role that reads figures (contest judges do not).
inline absl::Status Read(const fed::Principal& who) {
  return fed::RequireRole(
      who, {v1::ROLE_VIEWER, v1::ROLE_NATIONAL_REVIEWER, v1::ROLE_NATIONAL_ADMIN, v1::ROLE_SERVICE,
            v1::ROLE_PROVINCE_REPORTER});
}

// A province reads its own comparisons and its own cluster's ranking.
inline absl::Status ReadOrganization(const fed::Principal& who, const std::string& code) {
  RETURN_IF_ERROR(Read(who));
  if (who.role == v1::ROLE_PROVINCE_REPORTER && who.organization_code != code) {
    return absl::PermissionDeniedError(absl::StrCat("organisation ", who.organization_code,
                                                    " may not read the comparisons of ", code));
  }
  return absl::OkStatus();
}

// A province's staff compare clusters by their numbers, not by naming the
// best province of clusters whose rankings they may not read.
inline bool SeesOnlyAggregates(const fed::Principal& who) {
  return who.role == v1::ROLE_PROVINCE_REPORTER;
}

// A province enters its own self-assessment; the national office may too.
inline absl::Status SelfAssess(const fed::Principal& who, const std::string& code) {
  RETURN_IF_ERROR(fed::RequireRole(who, {v1::ROLE_PROVINCE_REPORTER, v1::ROLE_NATIONAL_ADMIN}));
  if (who.role == v1::ROLE_PROVINCE_REPORTER && who.organization_code != code) {
    return absl::PermissionDeniedError(
        absl::StrCat("organisation ", who.organization_code, " may not assess ", code));
  }
  return absl::OkStatus();
}

}  // namespace ranking::access
