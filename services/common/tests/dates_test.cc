#include "services/common/dates.h"

#include <gtest/gtest.h>

namespace fed {
namespace {

TEST(ParseDateTest, AcceptsRealDates) {
  auto day = ParseDate("2025-07-01");
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(*day, absl::CivilDay(2025, 7, 1));
  EXPECT_TRUE(ParseDate("2024-02-29").ok());  // leap year
}

TEST(ParseDateTest, RefusesImpossibleAndMisshapenDates) {
  for (const char* text : {"2025-02-29", "2025-13-01", "2025-00-10", "2025-7-1", "01/07/2025", "",
                           "2025-07-01T00:00", "abcd-ef-gh", "1800-01-01"}) {
    EXPECT_FALSE(ParseDate(text).ok()) << text;
  }
}

TEST(FormatDateTest, PadsToIso) {
  EXPECT_EQ(FormatDate(absl::CivilDay(2010, 4, 21)), "2010-04-21");
}

}  // namespace
}  // namespace fed
