// A fault must never become a refusal. Provinces submit through their
// reporting service while the national side is in trouble (the registry
// killed while the aggregator starts cold; PostgreSQL restarting under
// everyone): every report must end up stored once, and none may be marked
// failed, because none of them is wrong.
#include <signal.h>

#include <thread>

#include <pqxx/pqxx>

#include "grpc/health/v1/health.grpc.pb.h"
#include "services/common/client.h"
#include "services/common/server.h"
#include "tests/integration/reporting_fixture.h"

namespace {

namespace v1 = federation::v1;
using grpc::health::v1::HealthCheckResponse;

const std::vector<std::string> kProvinces = {"01", "14", "20", "38", "42", "44", "45", "79"};

class OutageTest : public fedtest::ReportingSuiteTest {
 protected:
  void SetUp() override {
    ReportingSuiteTest::SetUp();
    if (HasFatalFailure()) return;
    // The aggregator starts later, cold, while something else is broken:
    // meanwhile the reports wait in the province's outbox.
    aggregator_->Kill(SIGKILL);
    StartReporting();
    for (const auto& code : kProvinces) SubmitFromDraft(code, "2025H1", std::stoi(code) % 7 + 1);
  }

  v1::OutboxStatus Outbox() {
    v1::OutboxStatus status;
    grpc::Status rpc = reporting_stub_->GetOutboxStatus(
        As(v1::ROLE_NATIONAL_REVIEWER, "VUSTA").get(), v1::GetOutboxStatusRequest(), &status);
    EXPECT_TRUE(rpc.ok()) << rpc.error_message();
    return status;
  }

  // What the aggregator says of its registry under the health name every
  // service publishes its dependencies under.
  HealthCheckResponse::ServingStatus RegistryHealthSeenByAggregator() {
    auto stub = grpc::health::v1::Health::NewStub(fed::OpenChannel(aggregator_address_));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    grpc::health::v1::HealthCheckRequest req;
    req.set_service(std::string(fed::kDependencyHealthPrefix) + "registry");
    HealthCheckResponse resp;
    if (!stub->Check(&ctx, req, &resp).ok()) return HealthCheckResponse::UNKNOWN;
    return resp.status();
  }

  void ExpectEveryReportStoredOnceAndNoneFailed() {
    ASSERT_TRUE(Eventually(
        [&] {
          v1::OutboxStatus s = Outbox();
          return s.pending() == 0 && s.delivered() == static_cast<int>(kProvinces.size());
        },
        60))
        << "outbox: " << Outbox().ShortDebugString() << "\n"
        << reporting_->LogTail();
    EXPECT_EQ(Outbox().failed(), 0) << "a fault was turned into a refusal";
    for (const auto& code : kProvinces) {
      int revision = 0;
      EXPECT_EQ(AggregatorState(code, "2025H1", &revision), v1::REPORT_STATE_SUBMITTED) << code;
      EXPECT_EQ(revision, 1) << code;
    }
    pqxx::connection conn(db_->url());
    pqxx::work txn(conn);
    EXPECT_EQ(txn.exec1("SELECT count(*) FROM aggregator.report_revisions")[0].as<int>(),
              static_cast<int>(kProvinces.size()));
  }
};

TEST_F(OutageTest, RegistryDownWhileTheAggregatorStartsColdLosesNoReport) {
  registry_->Kill(SIGKILL);
  aggregator_->Start();
  ASSERT_TRUE(aggregator_->WaitHealthy(aggregator_address_, 30)) << aggregator_->LogTail();

  // The aggregator knows none of the provinces and cannot ask: it must say
  // "not now", so the reports stay pending, none failed, none stored.
  ASSERT_TRUE(Eventually([&] {
    return RegistryHealthSeenByAggregator() == HealthCheckResponse::NOT_SERVING;
  })) << "the aggregator must say that it is degraded\n"
      << aggregator_->LogTail();
  std::this_thread::sleep_for(std::chrono::seconds(2));  // several forwarder rounds
  v1::OutboxStatus waiting = Outbox();
  EXPECT_EQ(waiting.failed(), 0) << waiting.ShortDebugString();
  EXPECT_EQ(waiting.pending(), static_cast<int>(kProvinces.size())) << waiting.ShortDebugString();
  EXPECT_THAT(waiting.last_error(), ::testing::HasSubstr("registry unavailable"));

  registry_->Start();
  ASSERT_TRUE(registry_->WaitHealthy(registry_address_, 30)) << registry_->LogTail();
  ExpectEveryReportStoredOnceAndNoneFailed();
  EXPECT_TRUE(
      Eventually([&] { return RegistryHealthSeenByAggregator() == HealthCheckResponse::SERVING; }));
}

TEST_F(OutageTest, DatabaseRestartingUnderEveryServiceLosesNoReport) {
  const char* restart = std::getenv("FED_TEST_PG_RESTART");
  ASSERT_NE(restart, nullptr) << "run with `tools/dev test` (FED_TEST_PG_RESTART)";
  // The aggregator comes up cold while PostgreSQL (the registry's, the
  // aggregator's and the outbox's) restarts, twice.
  std::thread restarts([&] {
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(std::system(restart), 0);
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
  });
  aggregator_->Start();
  restarts.join();
  ASSERT_TRUE(aggregator_->WaitHealthy(aggregator_address_, 60)) << aggregator_->LogTail();
  ExpectEveryReportStoredOnceAndNoneFailed();
  EXPECT_TRUE(registry_->Running()) << "the registry must survive the restarts";
  EXPECT_TRUE(reporting_->Running()) << "the reporting service must survive the restarts";
}

}  // namespace
