// The README's status-code table, one realistic failure per code the
// aggregator's review and queries produce, asserted as a client over gRPC
// sees it. (Pushes answer per report in their acknowledgements; their stream
// status is UNAUTHENTICATED or RESOURCE_EXHAUSTED, in push_test.cc.)
#include "services/aggregator/tests/aggregator_fixture.h"

namespace aggregator::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class StatusCodesTest : public AggregatorTest {
 protected:
  void SetUp() override {
    AggregatorTest::SetUp();
    if (HasFatalFailure()) return;
    CreateNational();
    ASSERT_TRUE(CreateProvince("14", "Sơn La").ok());
    ASSERT_TRUE(CreateProvince("20", "Lạng Sơn").ok());
  }

  grpc::Status Completeness(const std::string& period) {
    v1::CompletenessRequest req;
    req.set_period(period);
    v1::CompletenessResponse out;
    return agg_->GetCompleteness(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &out);
  }
};

TEST_F(StatusCodesTest, InvalidArgumentListsEveryMalformedField) {
  grpc::Status s = Review("return", "14", "2024H7", 0, "");
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(s), ElementsAre("period", "revision", "comment"));
}

TEST_F(StatusCodesTest, UnauthenticatedWithoutAToken) {
  v1::CompletenessRequest req;
  req.set_period("2024H1");
  v1::CompletenessResponse out;
  EXPECT_EQ(agg_->GetCompleteness(fedtest::AnonymousContext().get(), req, &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(StatusCodesTest, PermissionDeniedForAProvinceReviewing) {
  Push({MakeReport("14", "2024H1", 1, {{"workshops", 5}})});
  EXPECT_EQ(Review("accept", "14", "2024H1", 1, "", v1::ROLE_PROVINCE_REPORTER).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(StatusCodesTest, PermissionDeniedComesBeforeWhatIsWrongWithTheRequest) {
  // Province 14 asking for another's report with a malformed period learns
  // only that it is not its to read, and a code that is not one is not
  // repeated back.
  auto as_14 = [] { return ContextAs(v1::ROLE_PROVINCE_REPORTER, "14"); };
  v1::GetReportRequest get;
  get.set_organization_code("20");
  get.set_period("2024H7");
  v1::Report report;
  EXPECT_EQ(agg_->GetReport(as_14().get(), get, &report).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListRevisionsRequest list;
  list.set_organization_code("<script>");
  list.set_period("2024H1");
  v1::ListRevisionsResponse revisions;
  grpc::Status denied = agg_->ListRevisions(as_14().get(), list, &revisions);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(denied.error_message(), ::testing::Not(HasSubstr("<script>")));
  // Its own report with the same mistake is told what is wrong.
  get.set_organization_code("14");
  EXPECT_EQ(agg_->GetReport(as_14().get(), get, &report).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(StatusCodesTest, NotFoundForAReportNobodySent) {
  EXPECT_EQ(Review("accept", "20", "2024H1", 1).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(StatusCodesTest, FailedPreconditionForAcceptingAnAcceptedReport) {
  Push({MakeReport("14", "2024H1", 1, {{"workshops", 5}})});
  ASSERT_TRUE(Review("accept", "14", "2024H1", 1).ok());
  grpc::Status again = Review("accept", "14", "2024H1", 1);
  ASSERT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(again.error_message(), HasSubstr("ACCEPTED"));
}

TEST_F(StatusCodesTest, AbortedForReviewingARevisionThatIsNoLongerTheLatest) {
  Push({MakeReport("14", "2024H1", 1, {{"workshops", 5}})});
  ASSERT_TRUE(Review("return", "14", "2024H1", 1, "Thiếu số liệu").ok());
  Push({MakeReport("14", "2024H1", 2, {{"workshops", 6}})});
  EXPECT_EQ(Review("accept", "14", "2024H1", 1).error_code(), grpc::StatusCode::ABORTED);
}

TEST_F(StatusCodesTest, UnavailableWhenTheRegistryCannotAnswer) {
  server_.reset();  // who is expected to report comes from the registry
  EXPECT_EQ(Completeness("2024H1").error_code(), grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace aggregator::testing
