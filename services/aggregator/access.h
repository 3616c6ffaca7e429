// Who may do what at the national aggregator. Deny by default: a province
// reporter pushes, reads and follows only its own organisation's reports;
// the national office, viewers and services read everything; reviewers and
// admins decide on reports, and only an admin reopens an accepted one.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/repeated_field.h"
#include "services/common/auth.h"
#include "services/common/status.h"
#include "services/common/validation.h"

namespace aggregator {

namespace v1 = federation::v1;

// Roles that may push some report: checked when a push stream opens, so that
// any other role's stream ends with PERMISSION_DENIED before it is read.
inline absl::Status RequireSomePusher(const fed::Principal& who) {
  return fed::RequireRole(who,
                          {v1::ROLE_SERVICE, v1::ROLE_NATIONAL_ADMIN, v1::ROLE_PROVINCE_REPORTER});
}

// The reporting forwarder (a service) and national admins push any
// organisation's reports; a province only its own. A refusal becomes a DENIED
// acknowledgement, not a failed stream.
inline absl::Status RequirePusher(const fed::Principal& who, const std::string& org) {
  if (who.role == v1::ROLE_SERVICE || who.role == v1::ROLE_NATIONAL_ADMIN ||
      (who.role == v1::ROLE_PROVINCE_REPORTER && who.organization_code == org)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      fed::RoleName(who.role), " of ", who.organization_code, " may not push reports of ", org));
}

// A province sees its own reports; the national office and services see all.
inline absl::Status RequireReportReader(const fed::Principal& who, const std::string& org) {
  if (who.role == v1::ROLE_PROVINCE_REPORTER) {
    if (who.organization_code == org) return absl::OkStatus();
    // Checked before the request is validated: a code that is not one is
    // not repeated back.
    return absl::PermissionDeniedError(absl::StrCat(
        "organisation ", who.organization_code, " may not read reports of ",
        fed::IsValidOrganizationCode(org) ? org : std::string("another organisation")));
  }
  return fed::RequireRole(who, {v1::ROLE_NATIONAL_REVIEWER, v1::ROLE_NATIONAL_ADMIN,
                                v1::ROLE_VIEWER, v1::ROLE_SERVICE});
}

// Accepting and returning are the national office's review.
inline absl::Status RequireReviewer(const fed::Principal& who) {
  return fed::RequireRole(who, {v1::ROLE_NATIONAL_REVIEWER, v1::ROLE_NATIONAL_ADMIN});
}

// Reopening takes back an acceptance that already counts in the national
// figures: an admin's call, not a reviewer's.
inline absl::Status RequireReopener(const fed::Principal& who) {
  return fed::RequireRole(who, {v1::ROLE_NATIONAL_ADMIN});
}

// The organisations whose changes `who` may follow, given those asked for
// (empty = all): a province_reporter only its own (PERMISSION_DENIED if it
// names another).
inline absl::StatusOr<std::vector<std::string>> FeedScope(
    const fed::Principal& who, const google::protobuf::RepeatedPtrField<std::string>& asked) {
  std::vector<std::string> orgs(asked.begin(), asked.end());
  if (who.role == v1::ROLE_PROVINCE_REPORTER) {
    for (const auto& org : orgs) RETURN_IF_ERROR(RequireReportReader(who, org));
    return std::vector<std::string>{who.organization_code};
  }
  RETURN_IF_ERROR(fed::RequireRole(who, {v1::ROLE_NATIONAL_REVIEWER, v1::ROLE_NATIONAL_ADMIN,
                                         v1::ROLE_VIEWER, v1::ROLE_SERVICE}));
  return orgs;
}

// National figures are for every role that reads (not contest judges).
inline absl::Status RequireFiguresReader(const fed::Principal& who) {
  return fed::RequireRole(
      who, {v1::ROLE_VIEWER, v1::ROLE_NATIONAL_REVIEWER, v1::ROLE_NATIONAL_ADMIN, v1::ROLE_SERVICE,
            v1::ROLE_PROVINCE_REPORTER});
}

// What a province's staff may see of the national figures: numbers over
// accepted reports only, never another organisation's codes or standing
// (which province reported what, late or missing). Reports still under
// review are the national office's to read; a list of codes matching a
// condition would, query by query, give away every province's values.
inline bool SeesOnlyAggregates(const fed::Principal& who) {
  return who.role == v1::ROLE_PROVINCE_REPORTER;
}

// Asking for what SeesOnlyAggregates withholds is refused, not answered with
// other figures than asked for.
inline absl::Status RequireNationalDetail(const fed::Principal& who, bool asked,
                                          absl::string_view what) {
  if (!asked || !SeesOnlyAggregates(who)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      what, " is for the national office; a province reads figures of accepted reports only"));
}

// One organisation's series: a province reads only its own.
inline absl::Status RequireSeriesReader(const fed::Principal& who, const std::string& org) {
  if (who.role == v1::ROLE_PROVINCE_REPORTER && who.organization_code != org) {
    return absl::PermissionDeniedError(
        absl::StrCat("organisation ", who.organization_code, " may not read the series of ", org));
  }
  return RequireFiguresReader(who);
}

// Counted values of several organisations: a province reads only its own.
inline absl::Status RequireValuesReader(
    const fed::Principal& who, const google::protobuf::RepeatedPtrField<std::string>& orgs) {
  RETURN_IF_ERROR(RequireFiguresReader(who));
  if (who.role == v1::ROLE_PROVINCE_REPORTER) {
    for (const auto& code : orgs) {
      if (code != who.organization_code) {
        // Cut: the code is not validated yet and ends up in the message.
        return absl::PermissionDeniedError(absl::StrCat("organisation ", who.organization_code,
                                                        " may not read the values of ",
                                                        code.substr(0, 20)));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace aggregator
