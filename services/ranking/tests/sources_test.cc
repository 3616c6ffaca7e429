// The ranking service's sources while its dependencies are down: every
// answer is UNAVAILABLE naming the service that failed, never an empty list
// (no clusters, no values) nor "no report received".
#include "services/ranking/sources.h"

#include "services/aggregator/tests/aggregator_fixture.h"

namespace ranking {
namespace {

using ::testing::HasSubstr;

class SourcesOutageTest : public aggregator::testing::AggregatorTest {
 protected:
  void SetUp() override {
    AggregatorTest::SetUp();
    if (HasFatalFailure()) return;
    LoadProvincesAndMerger();
    sources_ = std::make_unique<Sources>(server_->channel(), agg_server_->channel());
  }

  std::unique_ptr<Sources> sources_;
};

TEST_F(SourcesOutageTest, RegistryDownIsUnavailableNotNoClusters) {
  server_.reset();
  auto clusters = sources_->Clusters(2025);
  ASSERT_FALSE(clusters.ok());
  EXPECT_EQ(clusters.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(clusters.status().message()), HasSubstr("registry unavailable"));
  EXPECT_EQ(sources_->Predecessors("45").status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(SourcesOutageTest, AggregatorDownIsUnavailableNotNothingReported) {
  auto period = fed::Period::Parse("2025H1");
  ASSERT_TRUE(period.ok());
  StopAggregator();
  auto counted = sources_->CountedValues({"14", "20"}, *period);
  ASSERT_FALSE(counted.ok());
  EXPECT_EQ(counted.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(counted.status().message()), HasSubstr("aggregator unavailable"));
  // Not "no report received" (which would cost the province its timeliness).
  EXPECT_EQ(sources_->ReceiptOf("14", "2025H1").status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(sources_->Receipts("2025H1").status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace ranking
