// Who may do what with contests. Deny by default:
// - organisers manage their contests: national admins any contest, a
//   province reporter the contests its own organisation organises;
// - national reviewers and services read everything but authors' personal data;
// - judges see and score only the entries assigned to them;
// - province reporters see the entries that come from their province;
// - viewers (and everyone else) see results only once a contest is awarded;
// - authors' ages and schools (youth contests: personal data of minors) go
//   only to the contest's organisers and the entry's own province.
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

// Organisers, national reviewers and services: every entry, every sheet
// (authors' personal data aside: SeesPersonalData).
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

// Whether `who` sees the personal data of `entry`'s authors (Author.age and
// Author.school). Youth contests collect them from children to check
// eligibility; the organisers, who check it, and the province the entry comes
// from, which registered it, have a use for them. Nobody else does, so
// nobody else gets them, whatever else they may read:
// - judges score the work, and an age or a school would tell them whose
//   child it is;
// - national reviewers read every entry to oversee contests, and services
//   read figures (reporting takes GetReportingFigures, the dashboard
//   GetStatistics: counts, never authors);
// - viewers and other provinces see an awarded contest's entries as public
//   results, which name authors but not children's ages and schools.
inline bool SeesPersonalData(const fed::Principal& who, const v1::Contest& contest,
                             const v1::Entry& entry) {
  if (IsOrganiser(who, contest)) return true;
  return who.role == v1::ROLE_PROVINCE_REPORTER && !who.organization_code.empty() &&
         (entry.source_province_code() == who.organization_code ||
          entry.source_organization_code() == who.organization_code);
}

// An entry of `contest` as `who` may see it, once MaySeeEntry allowed it:
// the judges assigned only for those who read everything, the authors'
// personal data only for SeesPersonalData. Every route that returns an
// entry passes it through here.
inline void RedactEntry(const fed::Principal& who, const v1::Contest& contest, v1::Entry* entry) {
  if (!ReadsEverything(who, contest)) entry->clear_judge_subjects();
  if (SeesPersonalData(who, contest, *entry)) return;
  for (v1::Author& author : *entry->mutable_authors()) {
    author.clear_age();
    author.clear_school();
  }
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
