#include "services/common/period.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace fed {

absl::StatusOr<Period> Period::Parse(absl::string_view text) {
  const auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", text.substr(0, 20), "\" is not a period (2025H1, 2025H2, 2025, 2025Q3)"));
  };
  if (text.size() < 4) return bad();
  Period p;
  if (!absl::SimpleAtoi(text.substr(0, 4), &p.year) || text[0] == '+' || text[0] == '-')
    return bad();
  if (p.year < 1990 || p.year > 2100) return bad();
  absl::string_view rest = text.substr(4);
  if (rest.empty()) {
    p.kind = Kind::kYear;
  } else if (rest == "H1" || rest == "H2") {
    p.kind = Kind::kHalf;
    p.index = rest[1] - '0';
  } else if (rest.size() == 2 && rest[0] == 'Q' && rest[1] >= '1' && rest[1] <= '4') {
    p.kind = Kind::kQuarter;
    p.index = rest[1] - '0';
  } else {
    return bad();
  }
  return p;
}

std::string Period::ToString() const {
  switch (kind) {
    case Kind::kHalf:
      return absl::StrCat(year, "H", index);
    case Kind::kQuarter:
      return absl::StrCat(year, "Q", index);
    case Kind::kYear:
      break;
  }
  return absl::StrCat(year);
}

absl::CivilDay Period::FirstDay() const {
  switch (kind) {
    case Kind::kHalf:
      return absl::CivilDay(year, index == 1 ? 1 : 7, 1);
    case Kind::kQuarter:
      return absl::CivilDay(year, 3 * (index - 1) + 1, 1);
    case Kind::kYear:
      break;
  }
  return absl::CivilDay(year, 1, 1);
}

absl::CivilDay Period::LastDay() const {
  switch (kind) {
    case Kind::kHalf:
      return index == 1 ? absl::CivilDay(year, 6, 30) : absl::CivilDay(year, 12, 31);
    case Kind::kQuarter:
      return absl::CivilDay(absl::CivilMonth(year, 3 * index + 1)) - 1;
    case Kind::kYear:
      break;
  }
  return absl::CivilDay(year, 12, 31);
}

absl::CivilDay Period::DueDate() const {
  const absl::CivilMonth next_month = absl::CivilMonth(LastDay()) + 1;
  return absl::CivilDay(next_month.year(), next_month.month(), 15);
}

Period Period::Previous() const {
  Period p = *this;
  switch (kind) {
    case Kind::kYear:
      --p.year;
      break;
    case Kind::kHalf:
      if (--p.index == 0) {
        p.index = 2;
        --p.year;
      }
      break;
    case Kind::kQuarter:
      if (--p.index == 0) {
        p.index = 4;
        --p.year;
      }
      break;
  }
  return p;
}

bool Period::operator<(const Period& o) const {
  if (FirstDay() != o.FirstDay()) return FirstDay() < o.FirstDay();
  return LastDay() < o.LastDay();
}

std::vector<Period> Period::Range(const Period& from, const Period& to) {
  std::vector<Period> periods;
  if (from.kind != to.kind || to < from) return periods;
  std::vector<Period> backwards;
  for (Period p = to; !(p < from) && backwards.size() < 400; p = p.Previous()) {
    backwards.push_back(p);
  }
  periods.assign(backwards.rbegin(), backwards.rend());
  return periods;
}

}  // namespace fed
