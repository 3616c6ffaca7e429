#include "tools/fedctl/members_file.h"

#include <gtest/gtest.h>

#include "tools/fedctl/cli.h"

namespace fedctl {
namespace {

TEST(MembersFileTest, ParsesLinesAndAbbreviations) {
  auto members = ParseMembersCsv(
      "full_name,committee,position\n"
      "# the chair\n"
      "Nguyễn Văn An,executive,chair\r\n"
      "\n"
      "Trần Thị Hoa, BTV , PCT\n"
      "Lê Văn Nam,inspection,head-of-inspection\n",
      "members.csv");
  ASSERT_EQ(members.size(), 3u);
  EXPECT_EQ(members[0].full_name(), "Nguyễn Văn An");
  EXPECT_EQ(members[0].position(), federation::v1::POSITION_CHAIR);
  EXPECT_EQ(members[1].committee(), federation::v1::COMMITTEE_STANDING);
  EXPECT_EQ(members[1].position(), federation::v1::POSITION_VICE_CHAIR);
  EXPECT_EQ(members[2].position(), federation::v1::POSITION_HEAD_OF_INSPECTION);
}

TEST(MembersFileTest, NamesTheBadLine) {
  try {
    ParseMembersCsv("Nguyễn Văn An,executive,chair\nTrần Thị Hoa,board,member\n", "m.csv");
    FAIL() << "expected a UsageError";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("m.csv:2"), std::string::npos) << error.what();
  }
  EXPECT_THROW(ParseMembersCsv("only,two\n", "m.csv"), UsageError);
}

}  // namespace
}  // namespace fedctl
