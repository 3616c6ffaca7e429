// The aggregator's edge rules without a server: who may do what, and every
// problem of a request with its field.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/aggregator/access.h"
#include "services/aggregator/validate.h"

namespace aggregator {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

fed::Principal As(v1::Role role, const std::string& org) {
  fed::Principal who;
  who.subject = "test";
  who.organization_code = org;
  who.role = role;
  return who;
}

std::vector<std::string> Fields(const fed::Violations& v) {
  std::vector<std::string> fields;
  for (const auto& violation : v.errors().violations()) fields.push_back(violation.field());
  return fields;
}

TEST(AccessTest, AProvincePushesAndReadsOnlyItsOwnReports) {
  const auto province = As(v1::ROLE_PROVINCE_REPORTER, "14");
  EXPECT_TRUE(RequirePusher(province, "14").ok());
  EXPECT_EQ(RequirePusher(province, "15").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(RequirePusher(As(v1::ROLE_SERVICE, ""), "15").ok());
  EXPECT_EQ(RequirePusher(As(v1::ROLE_VIEWER, ""), "15").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(RequireReportReader(province, "14").ok());
  EXPECT_EQ(RequireReportReader(province, "15").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(RequireReportReader(As(v1::ROLE_VIEWER, ""), "15").ok());
  EXPECT_EQ(RequireReportReader(As(v1::ROLE_JUDGE, ""), "15").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AccessTest, OnlyAnAdminReopens) {
  EXPECT_TRUE(RequireReviewer(As(v1::ROLE_NATIONAL_REVIEWER, "VUSTA")).ok());
  EXPECT_FALSE(RequireReopener(As(v1::ROLE_NATIONAL_REVIEWER, "VUSTA")).ok());
  EXPECT_TRUE(RequireReopener(As(v1::ROLE_NATIONAL_ADMIN, "VUSTA")).ok());
}

TEST(AccessTest, AProvinceFollowsOnlyItsOwnChanges) {
  google::protobuf::RepeatedPtrField<std::string> none, other;
  *other.Add() = "15";
  auto own = FeedScope(As(v1::ROLE_PROVINCE_REPORTER, "14"), none);
  ASSERT_TRUE(own.ok());
  EXPECT_THAT(*own, ElementsAre("14")) << "asking for nothing is not asking for everything";
  EXPECT_EQ(FeedScope(As(v1::ROLE_PROVINCE_REPORTER, "14"), other).status().code(),
            absl::StatusCode::kPermissionDenied);
  auto all = FeedScope(As(v1::ROLE_SERVICE, ""), none);
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
}

TEST(ValidateTest, AReviewHearsEveryProblemAtOnce) {
  v1::ReviewRequest req;
  req.set_organization_code("?");
  req.set_period("2025H3");
  EXPECT_THAT(Fields(ValidateReview(req, /*comment_required=*/true)),
              ElementsAre("organization_code", "period", "revision", "comment"));
  req.set_organization_code("14");
  req.set_period("2025H1");
  req.set_revision(1);
  EXPECT_TRUE(ValidateReview(req, /*comment_required=*/false).empty());
}

TEST(ValidateTest, ASeriesIsOneKindOfPeriodInOrder) {
  v1::SeriesRequest req;
  req.set_organization_code("14");
  req.set_from_period("2025H1");
  req.set_to_period("2024H1");
  *req.add_indicator_codes() = "members";
  std::vector<fed::Period> periods;
  std::vector<int> indexes;
  fed::Violations v = ValidateSeries(req, &periods, &indexes);
  ASSERT_THAT(Fields(v), ElementsAre("to_period"));
  EXPECT_THAT(v.errors().violations(0).description(), HasSubstr("not be before"));

  req.set_to_period("2025");
  EXPECT_THAT(ValidateSeries(req, &periods, &indexes).errors().violations(0).description(),
              HasSubstr("same kind"));

  req.set_to_period("2025H2");
  ASSERT_TRUE(ValidateSeries(req, &periods, &indexes).empty());
  EXPECT_EQ(periods.size(), 2u);
  ASSERT_EQ(indexes.size(), 1u);
  EXPECT_GE(indexes[0], 0);
}

TEST(ValidateTest, AFeedPageIsBounded) {
  v1::ListChangesRequest req;
  req.set_limit(kMaxChangesPerPage + 1);
  req.set_after_sequence(-1);
  EXPECT_THAT(Fields(ValidateListChanges(req)), ElementsAre("limit", "after_sequence"));
}

}  // namespace
}  // namespace aggregator
