// Calendar dates travel as ISO 8601 strings ("2025-07-01") in the protos.
#pragma once

#include <string>
#include <string_view>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace fed {

// Parses exactly "YYYY-MM-DD" with a real calendar day (no 2025-02-30).
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text);
std::string FormatDate(absl::CivilDay day);
// Today in Vietnam (UTC+7), which is the calendar every deadline uses.
absl::CivilDay Today();
// The day `t` falls on in Vietnam (Today() is DayInVietnam(absl::Now())).
absl::CivilDay DayInVietnam(absl::Time t);
// Vietnam's time zone (UTC+7, no daylight saving): the only place it is spelled out.
absl::TimeZone VietnamTimeZone();

}  // namespace fed
