#include "services/common/enum_names.h"

#include <gtest/gtest.h>

#include "federation/v1/competition.pb.h"
#include "federation/v1/report.pb.h"

namespace {

namespace v1 = federation::v1;

TEST(EnumNamesTest, ValuesAreNamedWithoutTheirEnumsPrefix) {
  EXPECT_EQ(fed::EnumWord(v1::REPORT_STATE_SUBMITTED), "SUBMITTED");
  EXPECT_EQ(fed::EnumWordLower(v1::REPORT_STATE_DRAFT), "draft");
  EXPECT_EQ(fed::EnumWordLower(v1::CONTEST_KIND_PROVINCIAL_TECH), "provincial_tech");
}

TEST(EnumNamesTest, UnspecifiedAndUnknownValuesHaveNoWord) {
  // Callers choose what a board or a table shows instead ("missing", "-").
  EXPECT_EQ(fed::EnumWord(v1::REPORT_STATE_UNSPECIFIED), "");
  EXPECT_EQ(fed::EnumWord(static_cast<v1::ReportState>(99)), "");
}

}  // namespace
