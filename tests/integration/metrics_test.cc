// Every service's Prometheus metrics, scraped from real processes after real
// work: the aggregator counts the report it stored, the batch it stored it
// in and a refused call by its code; the registry counts the lookups the
// aggregator made of it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/integration/suite_fixture.h"

namespace fedtest {
namespace {

using ::testing::HasSubstr;

TEST_F(SuiteTest, MetricsCountWhatTheServicesDid) {
  const std::string before = MetricsOf("aggregator");
  ASSERT_THAT(before, HasSubstr("fed_intake_queue_depth"));
  EXPECT_EQ(
      MetricValue(before, "fed_intake_reports_total{outcome=\"stored\",service=\"aggregator\"}"),
      0);  // counted from the start, nothing stored yet

  EXPECT_EQ(PushUntilAcknowledged("14", {"2025H1"}, absl::Now() + absl::Seconds(30), Pushing()), 0);
  // A refusal, by its code: a period that is no period.
  auto stub = v1::AggregatorService::NewStub(fed::OpenChannel(aggregator_address_));
  v1::TotalsRequest totals;
  totals.set_period("2025H9");
  v1::TotalsResponse out;
  EXPECT_EQ(stub->GetTotals(As(v1::ROLE_VIEWER, "VUSTA").get(), totals, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  const std::string after = MetricsOf("aggregator");
  EXPECT_EQ(
      MetricValue(after, "fed_intake_reports_total{outcome=\"stored\",service=\"aggregator\"}"), 1);
  EXPECT_GE(MetricValue(after, "fed_intake_batch_size_count{service=\"aggregator\"}"), 1);
  EXPECT_EQ(MetricValue(after,
                        "fed_rpc_total{code=\"INVALID_ARGUMENT\",method=\"GetTotals\","
                        "service=\"aggregator\"}"),
            1);
  EXPECT_GE(MetricValue(after, "fed_db_pool_wait_seconds_count{service=\"aggregator\"}"), 1);
  EXPECT_THAT(after, HasSubstr("fed_db_connections_in_use{service=\"aggregator\"}"));
  // The aggregator asked the registry who "14" is.
  EXPECT_THAT(MetricsOf("registry"),
              HasSubstr("fed_rpc_total{code=\"OK\",method=\"GetOrganization\""));
}

}  // namespace
}  // namespace fedtest
