// An attack on the path from a province's reporting service to the national
// intake: another system of the province gets its own version in first.
#include "tests/security/security_fixture.h"

namespace {

namespace v1 = federation::v1;

using fedtest::SecurityTest;
using ::testing::HasSubstr;

// Attack: a second system of Lạng Sơn (its own province_reporter token,
// straight to the national intake) pushes revision 1 of its 2025H1 report
// before the province's reporting service forwards the revision 1 its staff
// submitted there, with other figures.
//
// The brief asked for the aggregator's STALE_REVISION answer. Through real
// processes it cannot be provoked: revisions are consecutive, so every
// revision up to the latest is stored, and the intake answers a revision it
// holds DUPLICATE or CONFLICT (by content) before it could answer STALE
// (CommitBatch in services/aggregator/intake.cc). Only deleting a row of
// aggregator.report_revisions would reach it; services/reporting/tests/
// forwarder_test.cc covers it against a fake aggregator. This test takes
// the refusal the same attack does produce.
//
// Guards the forwarder's reading of the acknowledgements (PushPendingOnce in
// services/reporting/forwarder.cc): a refusal is a failure the province sees
// in GetOutboxStatus, with the reason; were it taken as delivered, the
// province would believe the national office holds its figures.
TEST_F(SecurityTest, AnotherSystemPushingFirstLeavesTheForwardedReportFailedNotDelivered) {
  StartReporting();
  ASSERT_EQ(PushOwn(MakeReport("20", "2025H1", 1, {{"workshops", 99}})).outcome(),
            v1::PUSH_OUTCOME_STORED);

  SubmitFromDraft("20", "2025H1", 4);
  v1::OutboxStatus status;
  auto outbox = [&] {
    status.Clear();
    return reporting_stub_
        ->GetOutboxStatus(Province("20").get(), v1::GetOutboxStatusRequest(), &status)
        .ok();
  };
  ASSERT_TRUE(Eventually([&] {
    return outbox() && status.pending() == 0 && status.delivered() + status.failed() > 0;
  })) << reporting_->LogTail();
  EXPECT_EQ(status.delivered(), 0);
  EXPECT_EQ(status.failed(), 1);
  EXPECT_THAT(status.last_error(), HasSubstr("20 2025H1 revision 1: CONFLICT"));

  // The national office holds the other system's figures, not these.
  v1::Report held;
  ASSERT_TRUE(GetReport(Reviewer(), "20", "2025H1", &held).ok());
  EXPECT_EQ(held.revision(), 1);
  EXPECT_EQ(CountOf(held, "workshops"), 99);
}

}  // namespace
