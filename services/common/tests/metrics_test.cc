// The process's Prometheus metrics: unary calls counted by method and code,
// served as text on /metrics, and an address that cannot be bound refused.
#include "services/common/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tests/support/process.h"

namespace fed::metrics {
namespace {

using ::testing::HasSubstr;

TEST(MetricsTest, UnaryCallsAreCountedByMethodAndCodeAndServedAsText) {
  RecordCall("MetricsTest.Save", absl::StatusCode::kOk, absl::Milliseconds(3));
  RecordCall("MetricsTest.Save", absl::StatusCode::kOk, absl::Milliseconds(40));
  RecordCall("MetricsTest.Save", absl::StatusCode::kInvalidArgument, absl::Milliseconds(1));
  auto exposer = Serve("127.0.0.1:0");
  ASSERT_TRUE(exposer.ok()) << exposer.status();
  const std::vector<int> ports = (*exposer)->GetListeningPorts();
  ASSERT_EQ(ports.size(), 1u);
  const std::string text = fedtest::HttpGet(ports[0], "/metrics");
  ASSERT_THAT(text, HasSubstr("fed_rpc_total"));
  // Labels print in name order; the service label is "unknown" until SetService.
  EXPECT_EQ(fedtest::MetricValue(
                text, "fed_rpc_total{code=\"OK\",method=\"MetricsTest.Save\",service=\"unknown\"}"),
            2);
  EXPECT_EQ(
      fedtest::MetricValue(text,
                           "fed_rpc_total{code=\"INVALID_ARGUMENT\",method=\"MetricsTest.Save\","
                           "service=\"unknown\"}"),
      1);
  // The latency histogram is cumulative: 3 ms and 1 ms are under 5 ms, and
  // all three calls under 50 ms.
  EXPECT_EQ(fedtest::MetricValue(text,
                                 "fed_rpc_duration_seconds_bucket{method=\"MetricsTest.Save\","
                                 "service=\"unknown\",le=\"0.005\"}"),
            2);
  EXPECT_EQ(fedtest::MetricValue(text,
                                 "fed_rpc_duration_seconds_bucket{method=\"MetricsTest.Save\","
                                 "service=\"unknown\",le=\"0.05\"}"),
            3);
}

TEST(MetricsTest, AnAddressThatCannotBeBoundIsRefused) {
  auto first = Serve("127.0.0.1:0");
  ASSERT_TRUE(first.ok()) << first.status();
  const int taken = (*first)->GetListeningPorts().at(0);
  auto second = Serve(absl::StrCat("127.0.0.1:", taken));
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(second.status().message(), HasSubstr("cannot serve metrics"));
}

}  // namespace
}  // namespace fed::metrics
