// The national office's review and the change feed that carries decisions
// back to provinces.
#include "services/aggregator/tests/aggregator_fixture.h"

namespace aggregator::testing {
namespace {

using ::testing::ElementsAre;

class ReviewTest : public AggregatorTest {
 protected:
  void SetUp() override {
    AggregatorTest::SetUp();
    CreateNational();
    ASSERT_TRUE(CreateProvince("14", "Sơn La").ok());
    ASSERT_TRUE(CreateProvince("20", "Lạng Sơn").ok());
  }

  v1::Report Get(const std::string& org, const std::string& period, int revision = 0) {
    v1::GetReportRequest req;
    req.set_organization_code(org);
    req.set_period(period);
    req.set_revision(revision);
    v1::Report out;
    EXPECT_TRUE(
        agg_->GetReport(ContextAs(v1::ROLE_NATIONAL_REVIEWER, "VUSTA").get(), req, &out).ok());
    return out;
  }
};

TEST_F(ReviewTest, AcceptedReportCountsInNationalFigures) {
  Push({MakeReport("14", "2024H1", 1, {{"workshops", 5}})});
  EXPECT_EQ(Total("2024H1", "workshops"), 0);
  ASSERT_TRUE(Review("accept", "14", "2024H1", 1).ok());
  EXPECT_EQ(Total("2024H1", "workshops"), 5);
  EXPECT_EQ(Get("14", "2024H1").state(), v1::REPORT_STATE_ACCEPTED);
}

TEST_F(ReviewTest, ReturnNeedsACommentAndTheProvinceResubmits) {
  Push({MakeReport("14", "2024H1", 1, {{"workshops", 5}})});
  EXPECT_EQ(Review("return", "14", "2024H1", 1, "").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(Review("return", "14", "2024H1", 1, "Thiếu số liệu hội thảo quý II").ok());
  v1::Report returned = Get("14", "2024H1");
  EXPECT_EQ(returned.state(), v1::REPORT_STATE_RETURNED);
  EXPECT_EQ(returned.review_comment(), "Thiếu số liệu hội thảo quý II");

  Push({MakeReport("14", "2024H1", 2, {{"workshops", 6}})});
  ASSERT_TRUE(Review("accept", "14", "2024H1", 2).ok());
  EXPECT_EQ(Total("2024H1", "workshops"), 6);

  // Both revisions stay, each with its own decision.
  v1::ListRevisionsRequest req;
  req.set_organization_code("14");
  req.set_period("2024H1");
  v1::ListRevisionsResponse out;
  ASSERT_TRUE(
      agg_->ListRevisions(ContextAs(v1::ROLE_PROVINCE_REPORTER, "14").get(), req, &out).ok());
  ASSERT_EQ(out.revisions_size(), 2);
  EXPECT_EQ(out.revisions(0).state(), v1::REPORT_STATE_RETURNED);
  EXPECT_EQ(out.revisions(1).state(), v1::REPORT_STATE_ACCEPTED);
}

TEST_F(ReviewTest, ReviewingAnOutdatedRevisionIsRefused) {
  Push({MakeReport("14", "2024H1", 1, {{"workshops", 5}})});
  ASSERT_TRUE(Review("return", "14", "2024H1", 1, "Sửa lại").ok());
  Push({MakeReport("14", "2024H1", 2, {{"workshops", 6}})});
  EXPECT_EQ(Review("accept", "14", "2024H1", 1).error_code(), grpc::StatusCode::ABORTED);
}

TEST_F(ReviewTest, OnlyReviewersReviewAndOnlyAdminsReopen) {
  Push({MakeReport("14", "2024H1", 1, {{"workshops", 5}})});
  EXPECT_EQ(Review("accept", "14", "2024H1", 1, "", v1::ROLE_PROVINCE_REPORTER).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Review("accept", "14", "2024H1", 1, "", v1::ROLE_VIEWER).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Review("accept", "14", "2024H1", 1).ok());
  EXPECT_EQ(Review("reopen", "14", "2024H1", 1, "Số liệu hội viên sai").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(
      Review("reopen", "14", "2024H1", 1, "Số liệu hội viên sai", v1::ROLE_NATIONAL_ADMIN).ok());
  EXPECT_EQ(Get("14", "2024H1").state(), v1::REPORT_STATE_RETURNED);
  // What was accepted keeps counting until its successor is accepted.
  EXPECT_EQ(Total("2024H1", "workshops"), 5);
  Push({MakeReport("14", "2024H1", 2, {{"workshops", 9}})});
  ASSERT_TRUE(Review("accept", "14", "2024H1", 2).ok());
  EXPECT_EQ(Total("2024H1", "workshops"), 9);
}

TEST_F(ReviewTest, ChangeFeedCarriesDecisionsInOrderAndOnlyToTheirProvince) {
  Push({MakeReport("14", "2024H1", 1, {}), MakeReport("20", "2024H1", 1, {})});
  ASSERT_TRUE(Review("return", "14", "2024H1", 1, "Bổ sung kiến nghị").ok());
  ASSERT_TRUE(Review("accept", "20", "2024H1", 1).ok());

  v1::ListChangesRequest req;
  v1::ListChangesResponse son_la;
  ASSERT_TRUE(
      agg_->ListChanges(ContextAs(v1::ROLE_PROVINCE_REPORTER, "14").get(), req, &son_la).ok());
  std::vector<std::string> events;
  for (const auto& c : son_la.changes()) events.push_back(c.organization_code() + ":" + c.event());
  EXPECT_THAT(events, ElementsAre("14:received", "14:returned"));
  EXPECT_EQ(son_la.changes(1).comment(), "Bổ sung kiến nghị");

  v1::ListChangesResponse all;
  ASSERT_TRUE(agg_->ListChanges(ContextAs(v1::ROLE_SERVICE, "VUSTA").get(), req, &all).ok());
  ASSERT_EQ(all.changes_size(), 4);
  for (int i = 1; i < all.changes_size(); ++i) {
    EXPECT_LT(all.changes(i - 1).sequence(), all.changes(i).sequence());
  }
  req.set_after_sequence(all.last_sequence());
  v1::ListChangesResponse none;
  ASSERT_TRUE(agg_->ListChanges(ContextAs(v1::ROLE_SERVICE, "VUSTA").get(), req, &none).ok());
  EXPECT_EQ(none.changes_size(), 0);
  EXPECT_EQ(none.last_sequence(), all.last_sequence());
}

TEST_F(ReviewTest, ProvinceCannotReadAnothersReport) {
  Push({MakeReport("20", "2024H1", 1, {})});
  v1::GetReportRequest req;
  req.set_organization_code("20");
  req.set_period("2024H1");
  v1::Report out;
  EXPECT_EQ(
      agg_->GetReport(ContextAs(v1::ROLE_PROVINCE_REPORTER, "14").get(), req, &out).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace aggregator::testing
