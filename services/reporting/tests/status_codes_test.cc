// The README's status-code table, one realistic failure per code the
// reporting service produces, asserted as a client over gRPC sees it.
// (ABORTED, a draft changed while it was being submitted, needs a race; the
// other services' tests show it for a stale revision.)
#include "services/reporting/tests/reporting_fixture.h"

namespace reporting::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST_F(ReportingTest, StatusCodeInvalidArgumentForAPeriodThatIsNotOne) {
  grpc::Status s = Submit(Reporter("14").get(), "14", "2025X9");
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(s), ElementsAre("period"));
}

TEST_F(ReportingTest, StatusCodeUnauthenticatedWithoutAToken) {
  v1::Report out;
  EXPECT_EQ(
      CreateDraft(fedtest::AnonymousContext().get(), "14", "2025H1", false, &out).error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(ReportingTest, StatusCodePermissionDeniedForAnotherProvincesReport) {
  v1::Report out;
  EXPECT_EQ(CreateDraft(Reporter("20").get(), "14", "2025H1", false, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ReportingTest, StatusCodeNotFoundForSubmittingWithoutADraft) {
  EXPECT_EQ(Submit(Reporter("14").get(), "14", "2025H1").error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ReportingTest, StatusCodeFailedPreconditionForAReportAwaitingReview) {
  DraftAndSubmit(FullReport("14", "2025H1"));
  grpc::Status s = SaveDraft(Reporter("14").get(), FullReport("14", "2025H1", {{"staff", 9}}));
  ASSERT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("awaiting review"));
}

TEST_F(ReportingTest, StatusCodeUnavailableWhenTheRegistryCannotAnswer) {
  registry_server_.reset();  // a new draft needs the registry's organisation
  v1::Report out;
  EXPECT_EQ(CreateDraft(Reporter("14").get(), "14", "2025H1", true, &out).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace reporting::testing
