// Fault tests with real processes: 63 provinces push their reports while the
// aggregator is killed with SIGKILL (or PostgreSQL restarts) in the middle.
// Every acknowledged report must be stored exactly once, every report must
// arrive in the end, and the figures must count each once.
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <set>
#include <thread>

#include <pqxx/pqxx>

#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/common/client.h"
#include "tests/integration/suite_fixture.h"

namespace {

namespace v1 = federation::v1;
using fedtest::ProvinceCodes;

// Sixteen half-years from each of 63 provinces: 1008 reports.
const std::vector<std::string> kPeriods = {
    "2017H1", "2017H2", "2018H1", "2018H2", "2019H1", "2019H2", "2020H1", "2020H2",
    "2021H1", "2021H2", "2022H1", "2022H2", "2023H1", "2023H2", "2024H1", "2024H2"};

int Workshops(const std::string& code, const std::string& period) {
  return (std::stoi(code) * 7 + static_cast<int>(period[5]) + period[3]) % 9 + 1;
}

class PushStormTest : public fedtest::SuiteTest {
 protected:
  // One province's pusher, counting what it sent and what came back.
  void PushUntilAcknowledged(const std::string& code, absl::Time deadline) {
    Pushing counted;
    counted.workshops = [&](const std::string& period) { return Workshops(code, period); };
    counted.on_sent = [this] { ++sent_; };
    counted.on_ack = [this, &code](const v1::PushAck& ack) {
      absl::MutexLock lock(&mu_);
      if (fault_at_ != absl::InfinitePast() && first_stored_after_fault_ == absl::InfinitePast() &&
          ack.outcome() == v1::PUSH_OUTCOME_STORED) {
        first_stored_after_fault_ = absl::Now();
      }
      ++acks_;
      outcomes_[ack.outcome()]++;
      if (ack.outcome() == v1::PUSH_OUTCOME_STORED || ack.outcome() == v1::PUSH_OUTCOME_DUPLICATE) {
        acknowledged_.insert({code, ack.period()});
      }
    };
    broken_streams_ += SuiteTest::PushUntilAcknowledged(code, kPeriods, deadline, counted);
  }

  // Runs the 63 pushers; `fault` is called once a third of the reports have
  // been sent, while every stream is still writing (acknowledgements are
  // read only after a stream's last write, too late to time a fault by:
  // a fast aggregator has stored nearly everything by then).
  void Storm(const std::function<void()>& fault) {
    const auto codes = ProvinceCodes();
    const size_t total = codes.size() * kPeriods.size();
    const absl::Time deadline = absl::Now() + absl::Seconds(150);
    std::vector<std::thread> pushers;
    for (const auto& code : codes) {
      pushers.emplace_back([this, code, deadline] { PushUntilAcknowledged(code, deadline); });
    }
    while (absl::Now() < deadline && sent_.load() < static_cast<int>(total / 3)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    {
      absl::MutexLock lock(&mu_);
      fault_at_ = absl::Now();
    }
    fault();
    for (auto& t : pushers) t.join();
    absl::MutexLock lock(&mu_);
    ASSERT_EQ(acknowledged_.size(), total) << "not every report arrived";
  }

  // `figures_from`: the aggregator whose figures are checked (default: the
  // one the suite started).
  void ExpectEveryReportStoredOnceAndCountedOnce(const std::string& figures_from = "") {
    pqxx::connection conn(db_->url());
    pqxx::work txn(conn);
    EXPECT_EQ(txn.exec1("SELECT count(*) FROM aggregator.report_revisions")[0].as<int>(),
              static_cast<int>(ProvinceCodes().size() * kPeriods.size()));
    EXPECT_EQ(
        txn.exec1("SELECT count(*) FROM aggregator.changes WHERE event = 'received'")[0].as<int>(),
        static_cast<int>(ProvinceCodes().size() * kPeriods.size()));
    // The aggregator's running figures match a recount of what was sent.
    auto stub = v1::AggregatorService::NewStub(
        fed::OpenChannel(figures_from.empty() ? aggregator_address_ : figures_from));
    for (const auto& period : kPeriods) {
      int expected = 0;
      for (const auto& code : ProvinceCodes()) expected += Workshops(code, period);
      v1::TotalsRequest req;
      req.set_period(period);
      req.add_indicator_codes("workshops");
      req.set_include_submitted(true);
      v1::TotalsResponse out;
      auto ctx = As(v1::ROLE_VIEWER, "VUSTA");
      ASSERT_TRUE(stub->GetTotals(ctx.get(), req, &out).ok());
      EXPECT_EQ(out.totals(0).value(), expected) << period;
      EXPECT_EQ(out.totals(0).reporting_organizations(), 63) << period;
    }
  }

  std::atomic<int> broken_streams_{0};
  std::atomic<int> sent_{0};
  absl::Mutex mu_;
  std::set<std::pair<std::string, std::string>> acknowledged_ ABSL_GUARDED_BY(mu_);
  std::map<int, int> outcomes_ ABSL_GUARDED_BY(mu_);
  int acks_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time fault_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  // The first report stored after the fault, as its pusher read the
  // acknowledgement (after the stream's last write: an upper bound).
  absl::Time first_stored_after_fault_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

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
  auto standby = Service("aggregator", standby_address,
                         {"--registry_target=" + registry_address_, "--push_batch=50",
                          "--replica_name=standby"});
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
  Storm([&] {
    aggregator_->Kill(SIGKILL);
    killed = absl::Now();
    for (int i = 0; i < 300 && !intake_serving(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    serving = absl::Now();
  });
  ASSERT_TRUE(intake_serving()) << standby->LogTail();
  EXPECT_GT(broken_streams_.load(), 0) << "the kill did not land in the middle of the storm";
  ExpectEveryReportStoredOnceAndCountedOnce(standby_address);
  absl::MutexLock lock(&mu_);
  std::printf("takeover: standby's intake SERVING %.0f ms after the kill; first report stored "
              "after it acknowledged within %.0f ms (upper bound: read after its stream's last "
              "write)\n",
              absl::ToDoubleMilliseconds(serving - killed),
              absl::ToDoubleMilliseconds(first_stored_after_fault_ - killed));
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
