#include "services/common/validation.h"

#include <gtest/gtest.h>

#include "services/common/status.h"

namespace fed {
namespace {

TEST(ViolationsTest, ReportsEveryProblemWithItsField) {
  Violations v;
  v.Add("organization.name", "is required");
  v.Add("organization.code", "is not a valid code");
  absl::Status status = v.ToStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("organization.name: is required"), absl::string_view::npos);
  EXPECT_NE(status.message().find("organization.code"), absl::string_view::npos);
  auto errors = ViolationsOf(status);
  ASSERT_EQ(errors.violations_size(), 2);
  EXPECT_EQ(errors.violations(1).field(), "organization.code");
}

TEST(ViolationsTest, DetailsSurviveTheTripThroughGrpc) {
  Violations v;
  v.Add("cluster.member_codes[3]", "is already in cluster 2 for 2025");
  grpc::Status wire = ToGrpcStatus(v.ToStatus());
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  auto errors = ViolationsOf(FromGrpcStatus(wire));
  ASSERT_EQ(errors.violations_size(), 1);
  EXPECT_EQ(errors.violations(0).field(), "cluster.member_codes[3]");
}

TEST(ViolationsTest, NoProblemsIsOk) { EXPECT_TRUE(Violations().ToStatus().ok()); }

TEST(CheckTextTest, CountsVietnameseCharactersNotBytes) {
  Violations v;
  // 7 characters, 12 bytes.
  CheckText(v, "name", "Sơn La ", 7, true);
  CheckText(v, "short", "Hoà Bình", 5, true);
  ASSERT_EQ(v.errors().violations_size(), 1);
  EXPECT_EQ(v.errors().violations(0).field(), "short");
}

TEST(CheckTextTest, RefusesBlankInvalidUtf8AndControlCharacters) {
  Violations v;
  CheckText(v, "a", "   ", 10, true);
  CheckText(v, "b", "\xC3\x28", 10, true);
  CheckText(v, "c", "x\x01y", 10, true);
  CheckText(v, "d", "", 10, true);
  CheckText(v, "e", "", 10, false);
  EXPECT_EQ(v.errors().violations_size(), 4);
}

TEST(OrganizationCodeTest, AcceptsProvinceNationalAndAssociationCodes) {
  for (const char* code : {"14", "VUSTA", "14-HKT", "01.KTS_2"}) {
    EXPECT_TRUE(IsValidOrganizationCode(code)) << code;
  }
  for (const char* code :
       {"", "1", "14-", "-14", "hn", "14 HKT", "ĐN", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"}) {
    EXPECT_FALSE(IsValidOrganizationCode(code)) << code;
  }
}

}  // namespace
}  // namespace fed
