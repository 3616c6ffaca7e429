// Who may do what with contests. Deny by default:
// - organisers manage their contests: national admins any contest, a
//   province reporter the contests its own organisation organises;
// - national reviewers and services read everything;
// - judges see and score only the entries assigned to them;
// - province reporters see the entries that come from their province;
// - viewers (and everyone else) see results only once a contest is awarded.
#pragma once

#include "absl/strings/str_cat.h"
#include "federation/v1/competition.pb.h"
#include "services/common/auth.h"

namespace competition {

namespace v1 = federation::v1;

inline bool IsOrganiser(const fed::Principal& who, const v1::Contest& contest) {
  if (who.role == v1::ROLE_NATIONAL_ADMIN) return true;
  return who.role == v1::ROLE_PROVINCE_REPORTER &&
         who.organization_code == contest.organizer_code();
}

inline absl::Status RequireOrganiser(const fed::Principal& who, const v1::Contest& contest) {
  if (IsOrganiser(who, contest)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("only the organiser (", contest.organizer_code(),
                                                  ") or the national office may manage contest ",
                                                  contest.id()));
}

// Organisers, national reviewers and services: every entry, every sheet.
inline bool ReadsEverything(const fed::Principal& who, const v1::Contest& contest) {
  return IsOrganiser(who, contest) || who.role == v1::ROLE_NATIONAL_REVIEWER ||
         who.role == v1::ROLE_SERVICE;
}

// Whether `who` may see `entry` of `contest` (judges: pass whether assigned).
inline bool MaySeeEntry(const fed::Principal& who, const v1::Contest& contest,
                        const v1::Entry& entry, bool assigned_to_caller) {
  if (ReadsEverything(who, contest)) return true;
  if (who.role == v1::ROLE_JUDGE) return assigned_to_caller;
  if (who.role == v1::ROLE_PROVINCE_REPORTER &&
      (entry.source_province_code() == who.organization_code ||
       entry.source_organization_code() == who.organization_code)) {
    return true;
  }
  return contest.state() == v1::CONTEST_STATE_AWARDED && who.role != v1::ROLE_UNSPECIFIED;
}

// Results (scores, ranks, prizes): organisers and the national office once
// judging has closed; everyone with a role once the contest is awarded.
inline absl::Status RequireResultsVisible(const fed::Principal& who, const v1::Contest& contest) {
  if (contest.state() == v1::CONTEST_STATE_AWARDED && who.role != v1::ROLE_UNSPECIFIED) {
    return absl::OkStatus();
  }
  if (ReadsEverything(who, contest)) {
    if (contest.state() >= v1::CONTEST_STATE_CLOSED) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat("contest ", contest.id(), " is ",
                                                      v1::ContestState_Name(contest.state()),
                                                      "; results exist once judging is closed"));
  }
  return absl::PermissionDeniedError(
      absl::StrCat("results of contest ", contest.id(), " are published once it is awarded"));
}

}  // namespace competition
