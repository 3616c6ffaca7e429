// Who may do what with an emulation year. Deny by default:
// - the national office (national_admin) does every step;
// - national reviewers record the council's review and read every year;
// - viewers and services read every year;
// - a province's staff read the years of clusters their organisation is a
//   member of, and register, self-assess and answer for it;
// - the cluster head's staff run the cluster's steps (covenant, closing
//   self-assessment and cross-check, ballots, voting, dossier); the head's
//   and the deputy's staff cross-check members other than their own.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "federation/v1/emulation.pb.h"
#include "services/common/auth.h"

namespace emulation::access {

namespace v1 = federation::v1;

inline bool IsMember(const v1::EmulationYear& year, const std::string& code) {
  for (const auto& m : year.members()) {
    if (m.organization_code() == code) return true;
  }
  return false;
}

// The head for the year: the covenant's (pre-filled from the registry's
// cluster until it is signed).
inline const std::string& HeadOf(const v1::EmulationYear& year) {
  return year.covenant().head_code();
}
inline const std::string& DeputyOf(const v1::EmulationYear& year) {
  return year.covenant().deputy_code();
}

inline absl::Status Read(const fed::Principal& who, const v1::EmulationYear& year) {
  switch (who.role) {
    case v1::ROLE_NATIONAL_ADMIN:
    case v1::ROLE_NATIONAL_REVIEWER:
    case v1::ROLE_VIEWER:
    case v1::ROLE_SERVICE:
      return absl::OkStatus();
    case v1::ROLE_PROVINCE_REPORTER:
      if (IsMember(year, who.organization_code)) return absl::OkStatus();
      return absl::PermissionDeniedError(
          absl::StrCat("organisation ", who.organization_code, " is not a member of cluster ",
                       year.key().cluster_number(), " in ", year.key().year()));
    default:
      return absl::PermissionDeniedError("this role does not read emulation years");
  }
}

// Register, self-assess, answer: the member itself or the national office.
// A member that has ended (merged or retired) no longer writes for itself
// from the day it ended, as everywhere in the suite
// (services/common/ended_organizations.h): the national office records
// what is left. `today` is "YYYY-MM-DD".
inline absl::Status ActForMember(const fed::Principal& who, const v1::EmulationYear& year,
                                 const std::string& code, const std::string& today) {
  if (who.role == v1::ROLE_NATIONAL_ADMIN) return absl::OkStatus();
  if (who.role != v1::ROLE_PROVINCE_REPORTER || who.organization_code != code ||
      !IsMember(year, code)) {
    return absl::PermissionDeniedError(
        absl::StrCat("only ", code, "'s own staff or the national office may act for ", code));
  }
  for (const auto& m : year.members()) {
    if (m.organization_code() == code && !m.ended_on().empty() && m.ended_on() <= today) {
      return absl::PermissionDeniedError(
          absl::StrCat(code, " ended on ", m.ended_on(),
                       ": its accounts no longer write; the national office "
                       "records what is left"));
    }
  }
  return absl::OkStatus();
}

// The cluster's own steps: its head or the national office.
inline absl::Status ActForCluster(const fed::Principal& who, const v1::EmulationYear& year) {
  if (who.role == v1::ROLE_NATIONAL_ADMIN) return absl::OkStatus();
  if (who.role == v1::ROLE_PROVINCE_REPORTER && !HeadOf(year).empty() &&
      who.organization_code == HeadOf(year)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("only the cluster head (", HeadOf(year).empty() ? "none named" : HeadOf(year),
                   ") or the national office may do this"));
}

// A cross-check of `code`: the head or deputy, never of its own organisation.
inline absl::Status CrossCheck(const fed::Principal& who, const v1::EmulationYear& year,
                               const std::string& code) {
  if (who.role == v1::ROLE_NATIONAL_ADMIN) return absl::OkStatus();
  const bool officer =
      who.role == v1::ROLE_PROVINCE_REPORTER &&
      (who.organization_code == HeadOf(year) || who.organization_code == DeputyOf(year));
  if (!officer) {
    return absl::PermissionDeniedError(
        "only the cluster head, the deputy or the national office cross-check");
  }
  if (who.organization_code == code) {
    return absl::PermissionDeniedError(absl::StrCat(
        code, " may not cross-check its own self-assessment: the ",
        code == HeadOf(year) ? "deputy" : "head", " or the national office checks it"));
  }
  return absl::OkStatus();
}

// The council's review: the national office's reviewers or admins.
inline absl::Status Council(const fed::Principal& who) {
  return fed::RequireRole(who, {v1::ROLE_NATIONAL_REVIEWER, v1::ROLE_NATIONAL_ADMIN});
}

// Opening a year, the President's decision, the Prime Minister's outcome,
// presenting and revoking: the national office.
inline absl::Status NationalOffice(const fed::Principal& who) {
  return fed::RequireRole(who, {v1::ROLE_NATIONAL_ADMIN});
}

}  // namespace emulation::access
