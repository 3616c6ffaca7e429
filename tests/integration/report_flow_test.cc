// A province's report from draft to acceptance across real processes:
// reporting service -> outbox -> forwarder -> aggregator -> review ->
// decision back to the province -> new revision -> accepted -> national total.
#include <thread>

#include "tests/integration/reporting_fixture.h"

namespace {

namespace v1 = federation::v1;

using ReportFlowTest = fedtest::ReportingSuiteTest;

TEST_F(ReportFlowTest, ReturnedReportIsFixedResubmittedAndAccepted) {
  StartReporting();
  SubmitFromDraft("14", "2025H1", 4);
  ASSERT_TRUE(Eventually([&] {
    return AggregatorState("14", "2025H1", nullptr) == v1::REPORT_STATE_SUBMITTED;
  })) << reporting_->LogTail();

  ASSERT_TRUE(Review(false, "14", "2025H1", 1, "Đề nghị bổ sung số hội thảo").ok());
  ASSERT_TRUE(Eventually([&] {
    return ProvinceState("14", "2025H1", 1) == v1::REPORT_STATE_RETURNED;
  })) << "the decision did not reach the province";

  SubmitFromDraft("14", "2025H1", 6);  // the fixed draft becomes revision 2
  int revision = 0;
  ASSERT_TRUE(Eventually([&] {
    return AggregatorState("14", "2025H1", &revision) == v1::REPORT_STATE_SUBMITTED &&
           revision == 2;
  }));
  ASSERT_TRUE(Review(true, "14", "2025H1", 2, "").ok());
  ASSERT_TRUE(
      Eventually([&] { return ProvinceState("14", "2025H1", 2) == v1::REPORT_STATE_ACCEPTED; }));

  v1::TotalsRequest totals;
  totals.set_period("2025H1");
  totals.add_indicator_codes("workshops");
  v1::TotalsResponse out;
  ASSERT_TRUE(aggregator_stub_->GetTotals(As(v1::ROLE_VIEWER, "VUSTA").get(), totals, &out).ok());
  EXPECT_EQ(out.totals(0).value(), 6);
}

TEST_F(ReportFlowTest, ReportWaitsInTheOutboxWhileTheNationalSideIsDown) {
  aggregator_->Kill(SIGKILL);
  StartReporting();
  SubmitFromDraft("20", "2025H1", 3);
  v1::OutboxStatus status;
  ASSERT_TRUE(reporting_stub_
                  ->GetOutboxStatus(As(v1::ROLE_PROVINCE_REPORTER, "20").get(),
                                    v1::GetOutboxStatusRequest(), &status)
                  .ok());
  EXPECT_EQ(status.pending(), 1);

  aggregator_->Start();
  ASSERT_TRUE(aggregator_->WaitHealthy(aggregator_address_, 30));
  ASSERT_TRUE(Eventually([&] {
    return AggregatorState("20", "2025H1", nullptr) == v1::REPORT_STATE_SUBMITTED;
  })) << reporting_->LogTail();
  ASSERT_TRUE(Eventually([&] {
    v1::OutboxStatus s;
    return reporting_stub_
               ->GetOutboxStatus(As(v1::ROLE_PROVINCE_REPORTER, "20").get(),
                                 v1::GetOutboxStatusRequest(), &s)
               .ok() &&
           s.pending() == 0 && s.delivered() == 1;
  }));
}

}  // namespace
