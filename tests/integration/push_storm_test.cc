// Fault tests with real processes: 63 provinces push their reports while the
// aggregator is killed with SIGKILL (or PostgreSQL restarts) in the middle.
// Every acknowledged report must be stored exactly once, every report must
// arrive in the end, and the figures must count each once.
#include <signal.h>

#include <cstdio>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "services/common/client.h"
#include "tests/integration/storm_fixture.h"

namespace {

namespace v1 = federation::v1;

using PushStormTest = fedtest::StormTest;

TEST_F(PushStormTest, AggregatorKilledMidStormLosesAndDuplicatesNothing) {
  Storm([&] {
    aggregator_->Kill(SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    aggregator_->Start();
    ASSERT_TRUE(aggregator_->WaitHealthy(aggregator_address_, 30)) << aggregator_->LogTail();
  });
  EXPECT_GT(broken_streams_.load(), 0) << "the kill did not land in the middle of the storm";
  ExpectEveryReportStoredOnceAndCountedOnce();
}

// Two aggregators, active and standby (services/aggregator/leadership.h); the
// provinces push to both addresses, to whichever serves the intake. The
// active one is killed mid-storm: the standby takes over, nothing acknowledged
// is lost or stored twice, and its figures equal a recount.
TEST_F(PushStormTest, AStandbyAggregatorTakesOverTheIntakeWhenTheActiveIsKilled) {
  const std::string standby_address = absl::StrCat("127.0.0.1:", fedtest::FreePort());
  auto standby = Service(
      "aggregator", standby_address,
      {"--registry_target=" + registry_address_, "--push_batch=50", "--replica_name=standby"});
  standby->Start();
  ASSERT_TRUE(standby->WaitHealthy(standby_address, 30)) << standby->LogTail();
  push_target_ = absl::StrCat(aggregator_address_, ",", standby_address);
  push_health_ = fed::kAggregatorIntakeHealth;

  // Polls the standby's intake health from the kill on.
  auto health = grpc::health::v1::Health::NewStub(fed::OpenChannel(standby_address));
  const auto intake_serving = [&] {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(1));
    grpc::health::v1::HealthCheckRequest req;
    req.set_service(fed::kAggregatorIntakeHealth);
    grpc::health::v1::HealthCheckResponse resp;
    return health->Check(&ctx, req, &resp).ok() &&
           resp.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  };
  ASSERT_FALSE(intake_serving()) << "the second aggregator starts on standby";

  absl::Time killed, serving = absl::InfinitePast();
  absl::Duration first_accepted = absl::InfiniteDuration();
  std::thread probe;
  Storm([&] {
    aggregator_->Kill(SIGKILL);
    killed = absl::Now();
    probe = std::thread([&] { first_accepted = FirstAcceptedPushAfter(killed, "01", "2010H1"); });
    for (int i = 0; i < 300 && !intake_serving(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    serving = absl::Now();
  });
  if (probe.joinable()) probe.join();
  ASSERT_TRUE(intake_serving()) << standby->LogTail();
  EXPECT_GT(broken_streams_.load(), 0) << "the kill did not land in the middle of the storm";
  EXPECT_LT(first_accepted, absl::InfiniteDuration()) << "no push was accepted after the kill";
  ExpectEveryReportStoredOnceAndCountedOnce(standby_address);
  std::printf(
      "takeover: standby's intake SERVING %.0f ms after the kill; first push accepted %.0f ms "
      "after it (a probe pushing every 100 ms)\n",
      absl::ToDoubleMilliseconds(serving - killed), absl::ToDoubleMilliseconds(first_accepted));
}

TEST_F(PushStormTest, ServicesReconnectAfterPostgresRestartsUnderLoad) {
  const char* restart = std::getenv("FED_TEST_PG_RESTART");
  ASSERT_NE(restart, nullptr) << "run with `tools/dev test` (FED_TEST_PG_RESTART)";
  Storm([&] { ASSERT_EQ(std::system(restart), 0); });
  ExpectEveryReportStoredOnceAndCountedOnce();
  EXPECT_TRUE(aggregator_->Running()) << "the aggregator must survive the restart";
  EXPECT_TRUE(registry_->Running()) << "the registry must survive the restart";
}

}  // namespace
