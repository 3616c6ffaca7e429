// The process's Prometheus metrics: unary calls counted by method and code,
// served as text on /metrics, and an address that cannot be bound refused.
#include "services/common/metrics.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace fed::metrics {
namespace {

using ::testing::HasSubstr;

// GET http://127.0.0.1:<port>/metrics, the whole answer ("" when refused).
std::string Scrape(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string request = "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
      char buffer[4096];
      for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) answer.append(buffer, n);
    }
  }
  close(fd);
  return answer;
}

// The value on the line of `series` (name and labels as printed), or -1.
double ValueOf(const std::string& text, const std::string& series) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(line, series + " "))
      return std::stod(std::string(line.substr(series.size() + 1)));
  }
  return -1;
}

TEST(MetricsTest, UnaryCallsAreCountedByMethodAndCodeAndServedAsText) {
  RecordCall("MetricsTest.Save", absl::StatusCode::kOk, absl::Milliseconds(3));
  RecordCall("MetricsTest.Save", absl::StatusCode::kOk, absl::Milliseconds(40));
  RecordCall("MetricsTest.Save", absl::StatusCode::kInvalidArgument, absl::Milliseconds(1));
  auto exposer = Serve("127.0.0.1:0");
  ASSERT_TRUE(exposer.ok()) << exposer.status();
  const std::vector<int> ports = (*exposer)->GetListeningPorts();
  ASSERT_EQ(ports.size(), 1u);
  const std::string text = Scrape(ports[0]);
  ASSERT_THAT(text, HasSubstr("200 OK"));
  // Labels print in name order; the service label is "unknown" until SetService.
  EXPECT_EQ(
      ValueOf(text, "fed_rpc_total{code=\"OK\",method=\"MetricsTest.Save\",service=\"unknown\"}"),
      2);
  EXPECT_EQ(ValueOf(text,
                    "fed_rpc_total{code=\"INVALID_ARGUMENT\",method=\"MetricsTest.Save\","
                    "service=\"unknown\"}"),
            1);
  // The latency histogram is cumulative: 3 ms and 1 ms are under 5 ms, and
  // all three calls under 50 ms.
  EXPECT_EQ(ValueOf(text,
                    "fed_rpc_duration_seconds_bucket{method=\"MetricsTest.Save\","
                    "service=\"unknown\",le=\"0.005\"}"),
            2);
  EXPECT_EQ(ValueOf(text,
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
