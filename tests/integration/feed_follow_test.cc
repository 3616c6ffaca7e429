// The change feed followed across a crash: a FeedFollower (the one the
// reporting, ranking and dashboard services use) reads the aggregator's
// WatchChanges stream while provinces push, the aggregator process is killed
// mid-stream and started again, and the follower must end up with exactly
// the feed: every change once, in order.
#include <set>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "services/common/client.h"
#include "services/common/feed_follower.h"
#include "tests/integration/suite_fixture.h"

namespace {

namespace v1 = federation::v1;

const std::vector<std::string> kProvinces = {"01", "14", "20", "38", "42", "44", "45", "79"};
const std::vector<std::string> kPeriods = {"2023H1", "2023H2", "2024H1", "2024H2", "2025H1"};

class FeedFollowTest : public fedtest::SuiteTest {
 protected:
  void RestartAggregatorWithFastHeartbeat() {
    aggregator_ = Service("aggregator", aggregator_address_,
                          {"--registry_target=" + registry_address_, "--feed_heartbeat=200ms"});
    aggregator_->Start();
    ASSERT_TRUE(aggregator_->WaitHealthy(aggregator_address_, 30)) << aggregator_->LogTail();
  }

  // The whole feed as the aggregator keeps it.
  std::vector<int64_t> FeedSequences() {
    auto stub = v1::AggregatorService::NewStub(fed::OpenChannel(aggregator_address_));
    std::vector<int64_t> out;
    v1::ListChangesRequest req;
    req.set_limit(5000);
    v1::ListChangesResponse page;
    grpc::Status status = stub->ListChanges(As(v1::ROLE_SERVICE, "VUSTA").get(), req, &page);
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const auto& c : page.changes()) out.push_back(c.sequence());
    return out;
  }

  absl::Mutex mu_;
  std::vector<int64_t> applied_ ABSL_GUARDED_BY(mu_);
};

TEST_F(FeedFollowTest, TheFollowerResumesAfterTheAggregatorIsKilledMidStream) {
  aggregator_->Kill(SIGTERM);
  RestartAggregatorWithFastHeartbeat();
  if (HasFatalFailure()) return;

  fed::ServiceClient calls("aggregator", "feed-follow-test");
  fed::FeedFollower::Options options;
  options.max_backoff = absl::Milliseconds(500);
  fed::FeedFollower follower(
      fed::OpenChannel(aggregator_address_), &calls,
      /*after=*/0,
      [&](const fed::FeedFollower::Batch& batch) {
        absl::MutexLock lock(&mu_);
        for (const auto& c : batch.changes) applied_.push_back(c.change().sequence());
        return absl::OkStatus();
      },
      [] { return absl::InternalError("the feed must not be reset in this test"); }, options);
  follower.Start();

  const absl::Time deadline = absl::Now() + absl::Seconds(90);
  std::vector<std::thread> pushers;
  for (const auto& code : kProvinces)
    pushers.emplace_back([&, code] {
      Pushing spread;
      spread.pause = absl::Milliseconds(40);  // spread over the crash
      PushUntilAcknowledged(code, kPeriods, deadline, spread);
    });
  // Mid-stream: some changes followed, more on their way.
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (applied_.size() >= 8) break;
    }
    ASSERT_LT(absl::Now(), deadline) << "nothing followed";
    absl::SleepFor(absl::Milliseconds(20));
  }
  aggregator_->Kill(SIGKILL);
  absl::SleepFor(absl::Milliseconds(300));
  RestartAggregatorWithFastHeartbeat();
  for (auto& p : pushers) p.join();
  if (HasFatalFailure()) return;

  const std::vector<int64_t> feed = FeedSequences();
  ASSERT_EQ(feed.size(), kProvinces.size() * kPeriods.size());
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (applied_.size() >= feed.size()) break;
    }
    ASSERT_LT(absl::Now(), deadline + absl::Seconds(30)) << "the follower did not catch up";
    absl::SleepFor(absl::Milliseconds(20));
  }
  absl::SleepFor(absl::Milliseconds(500));  // anything repeated would arrive meanwhile
  follower.Stop();
  absl::MutexLock lock(&mu_);
  EXPECT_EQ(applied_, feed) << "every change once, in order";
  EXPECT_GE(follower.sessions(), 2) << "the stream was opened again after the crash";
  EXPECT_EQ(follower.cursor(), feed.back());
}

}  // namespace
