#include "services/common/dates.h"

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace fed {

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text) {
  int year = 0, month = 0, day = 0;
  bool shape_ok = text.size() == 10 && text[4] == '-' && text[7] == '-';
  for (size_t i = 0; shape_ok && i < text.size(); ++i) {
    if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9')) shape_ok = false;
  }
  if (!shape_ok) {
    return absl::InvalidArgumentError("must be a date written YYYY-MM-DD");
  }
  year = std::stoi(std::string(text.substr(0, 4)));
  month = std::stoi(std::string(text.substr(5, 2)));
  day = std::stoi(std::string(text.substr(8, 2)));
  absl::CivilDay parsed(year, month, day);
  // CivilDay normalises out-of-range fields (Feb 30 -> Mar 2); a real date survives unchanged.
  if (parsed.year() != year || parsed.month() != month || parsed.day() != day || year < 1900) {
    return absl::InvalidArgumentError("is not a real calendar date");
  }
  return parsed;
}

std::string FormatDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::CivilDay Today() { return DayInVietnam(absl::Now()); }

absl::CivilDay DayInVietnam(absl::Time t) { return absl::ToCivilDay(t, VietnamTimeZone()); }

absl::TimeZone VietnamTimeZone() { return absl::FixedTimeZone(7 * 3600); }

}  // namespace fed
