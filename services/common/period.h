// Reporting periods: "2025H1" (half-year), "2025" (year), "2025Q3" (quarter).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace fed {

struct Period {
  enum class Kind { kHalf, kYear, kQuarter };
  int year = 0;
  Kind kind = Kind::kYear;
  int index = 0;  // 1-2 for halves, 1-4 for quarters, 0 for a year

  static absl::StatusOr<Period> Parse(absl::string_view text);
  std::string ToString() const;

  absl::CivilDay FirstDay() const;
  absl::CivilDay LastDay() const;
  // Default deadlines: H1 -> 15 July; H2 and the year -> 15 January of the
  // next year; a quarter -> the 15th of the month after it.
  absl::CivilDay DueDate() const;
  // The period of the same kind just before (2025H1 -> 2024H2).
  Period Previous() const;
  // Periods of this kind from `from` to `to` inclusive; empty if kinds differ.
  static std::vector<Period> Range(const Period& from, const Period& to);

  bool operator==(const Period& o) const {
    return year == o.year && kind == o.kind && index == o.index;
  }
  bool operator<(const Period& o) const;
};

}  // namespace fed
