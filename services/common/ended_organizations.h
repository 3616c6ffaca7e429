// An organisation that has ended (retired, or merged into a successor) no
// longer writes for itself: from the day it ends, its province_reporter
// accounts (tokens and provincial certificates alike) are refused by every
// service that writes for them (the aggregator's intake, the registry, the
// reporting service, competition entries). What is left of its history
// comes through the national office. Reading stays as it was.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "federation/v1/registry.pb.h"
#include "services/common/auth.h"
#include "services/common/dates.h"

namespace fed {

// Whether `org` has ended on or before `today` (YYYY-MM-DD).
inline bool HasEnded(const federation::v1::Organization& org, const std::string& today) {
  return org.status() == federation::v1::ORGANIZATION_STATUS_RETIRED &&
         (org.active_until().empty() || org.active_until() <= today);
}

// PERMISSION_DENIED, saying when and into what, when `who` is a
// province_reporter and `own` (the record of who's organisation) has ended.
inline absl::Status RequireStillWriting(const Principal& who,
                                        const federation::v1::Organization& own,
                                        const std::string& today = FormatDate(Today())) {
  if (who.role != federation::v1::ROLE_PROVINCE_REPORTER || !HasEnded(own, today)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      "organisation ", own.code(), " ended on ", own.active_until(),
      own.successor_code().empty() ? std::string()
                                   : absl::StrCat(" (merged into ", own.successor_code(), ")"),
      ": its accounts no longer write; the national office records what is left"));
}

}  // namespace fed
