// The suite as separate processes on loopback ports, over one fresh
// database: the shape of a real deployment, for end-to-end and fault tests.
#pragma once

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "federation/v1/aggregator.grpc.pb.h"
#include "federation/v1/registry.grpc.pb.h"
#include "federation/v1/reporting.grpc.pb.h"
#include "services/common/auth.h"
#include "services/common/client.h"
#include "tests/support/process.h"
#include "tests/support/test_env.h"
#include "tests/support/test_tls.h"

namespace fedtest {

namespace v1 = federation::v1;

inline std::vector<std::string> ProvinceCodes() {
  std::ifstream in(SourcePath("deploy/demo/provinces.csv"));
  std::string line;
  std::getline(in, line);
  std::vector<std::string> codes;
  while (std::getline(in, line)) {
    std::vector<std::string> f = absl::StrSplit(line, ',');
    if (f.size() == 6) codes.push_back(f[0]);
  }
  return codes;
}

class SuiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>("suite");
    DatabaseCreated();
    dir_ = absl::StrCat("/tmp/fed-suite-", getpid());
    std::system(absl::StrCat("mkdir -p ", dir_).c_str());
    WriteTestKeys(dir_ + "/token-keys");
    registry_address_ = absl::StrCat("127.0.0.1:", FreePort());
    aggregator_address_ = absl::StrCat("127.0.0.1:", FreePort());
    reporting_address_ = absl::StrCat("127.0.0.1:", FreePort());
    ranking_address_ = absl::StrCat("127.0.0.1:", FreePort());
    competition_address_ = absl::StrCat("127.0.0.1:", FreePort());
    registry_ = Service("registry", registry_address_, {});
    registry_->Start();
    ASSERT_TRUE(registry_->WaitHealthy(registry_address_, 30)) << registry_->LogTail();
    SeedProvinces();
    aggregator_ = Service("aggregator", aggregator_address_,
                          {"--registry_target=" + registry_address_, "--push_batch=50"});
    aggregator_->Start();
    ASSERT_TRUE(aggregator_->WaitHealthy(aggregator_address_, 30)) << aggregator_->LogTail();
  }

  void TearDown() override {
    competition_.reset();
    ranking_.reset();
    reporting_.reset();
    aggregator_.reset();
    registry_.reset();
    db_.reset();
    std::system(absl::StrCat("rm -rf ", dir_).c_str());
  }

  // Called once the test's database exists, before any service starts.
  virtual void DatabaseCreated() {}

  // The ranking service (following the aggregator's feed) and the
  // competition service, for the tests that need all five processes.
  void StartRanking() {
    ranking_ = Service(
        "ranking", ranking_address_,
        {"--registry_target=" + registry_address_, "--aggregator_target=" + aggregator_address_});
    ranking_->Start();
    ASSERT_TRUE(ranking_->WaitHealthy(ranking_address_, 30)) << ranking_->LogTail();
  }
  void StartCompetition() {
    competition_ =
        Service("competition", competition_address_, {"--registry_target=" + registry_address_});
    competition_->Start();
    ASSERT_TRUE(competition_->WaitHealthy(competition_address_, 30)) << competition_->LogTail();
  }

  std::unique_ptr<ServiceProcess> Service(const std::string& name, const std::string& address,
                                          std::vector<std::string> extra) {
    // Its runtime role serves; its owner role only applies the migrations.
    std::vector<std::string> args = {"--listen=" + address, "--db=" + db_->RuntimeUrl(name),
                                     "--db_owner=" + db_->OwnerUrl(name),
                                     "--token_keys_dir=" + dir_ + "/token-keys"};
    // Over TLS with its own certificate (<name>.crt of the test run), as deployed.
    for (std::string& tls : TlsArgs()) args.push_back(std::move(tls));
    // Its metrics on a port of its own (MetricsOf).
    metrics_ports_[name] = FreePort();
    args.push_back(absl::StrCat("--metrics_listen=127.0.0.1:", metrics_ports_[name]));
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<ServiceProcess>(absl::StrCat("services/", name, "/", name, "_server"),
                                            args, absl::StrCat(dir_, "/", name, ".log"));
  }

  // What service `name`'s /metrics says now (Prometheus text).
  std::string MetricsOf(const std::string& name) {
    return HttpGet(metrics_ports_[name], "/metrics");
  }

  std::unique_ptr<grpc::ClientContext> As(v1::Role role, const std::string& org) const {
    return fed::OutgoingContext(TestToken(role, org, absl::StrCat("suite-", org)),
                                absl::Seconds(20));
  }

  // How one province's pusher behaves (PushUntilAcknowledged).
  struct Pushing {
    // The "workshops" count reported for a period.
    std::function<int64_t(const std::string& period)> workshops = [](const std::string&) {
      return 7;
    };
    // Between writes: spreads a province's reports over a fault.
    absl::Duration pause = absl::Milliseconds(10);
    // Of each stream: one that hangs is given up and opened again.
    absl::Duration stream_deadline = absl::Seconds(10);
    // Called after each write and for each acknowledgement, to count them.
    std::function<void()> on_sent = [] {};
    std::function<void(const v1::PushAck&)> on_ack = [](const v1::PushAck&) {};
  };
  // Pushes revision 1 of `code`'s report for each of `periods` until each
  // is stored (or a duplicate), as a province's system would: whenever a
  // stream breaks, a new one 200 ms later with what is still unacknowledged.
  // Returns how many streams broke.
  int PushUntilAcknowledged(const std::string& code, const std::vector<std::string>& periods,
                            absl::Time deadline, const Pushing& how) {
    auto stub = v1::AggregatorService::NewStub(fed::OpenChannel(
        push_target_.empty() ? aggregator_address_ : push_target_, {}, push_health_));
    std::set<std::string> pending(periods.begin(), periods.end());
    int broken = 0;
    while (!pending.empty() && absl::Now() < deadline) {
      auto ctx = As(v1::ROLE_PROVINCE_REPORTER, code);
      ctx->set_deadline(absl::ToChronoTime(absl::Now() + how.stream_deadline));
      auto stream = stub->PushReports(ctx.get());
      for (const auto& period : pending) {
        v1::PushedReport pushed;
        pushed.set_client_ref(period);
        v1::Report* report = pushed.mutable_report();
        report->set_organization_code(code);
        report->set_period(period);
        report->set_revision(1);
        auto* value = report->add_values();
        value->set_code("workshops");
        value->set_count(how.workshops(period));
        if (!stream->Write(pushed)) break;  // the stream ended; Finish says why
        how.on_sent();
        std::this_thread::sleep_for(absl::ToChronoMilliseconds(how.pause));
      }
      stream->WritesDone();
      v1::PushAck ack;
      while (stream->Read(&ack)) {
        how.on_ack(ack);
        if (ack.outcome() == v1::PUSH_OUTCOME_STORED ||
            ack.outcome() == v1::PUSH_OUTCOME_DUPLICATE) {
          pending.erase(ack.period());
        }
      }
      if (!stream->Finish().ok()) {
        ++broken;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    }
    return broken;
  }

  void SeedProvinces() {
    auto stub = v1::RegistryService::NewStub(fed::OpenChannel(registry_address_));
    v1::CreateOrganizationRequest req;
    auto* org = req.mutable_organization();
    org->set_code("VUSTA");
    org->set_kind(v1::ORGANIZATION_KIND_NATIONAL_UNION);
    org->set_name("Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam");
    org->set_active_from("1983-03-26");
    v1::Organization out;
    ASSERT_TRUE(
        stub->CreateOrganization(As(v1::ROLE_NATIONAL_ADMIN, "VUSTA").get(), req, &out).ok());
    for (const auto& code : ProvinceCodes()) {
      org->set_code(code);
      org->set_kind(v1::ORGANIZATION_KIND_PROVINCIAL_UNION);
      org->set_name("LHH " + code);
      org->set_parent_code("VUSTA");
      org->set_active_from("2008-08-01");
      org->set_member_count(20000);
      org->set_intellectual_count(2000);
      ASSERT_TRUE(
          stub->CreateOrganization(As(v1::ROLE_NATIONAL_ADMIN, "VUSTA").get(), req, &out).ok());
    }
  }

  std::unique_ptr<TestDatabase> db_;
  std::string dir_;
  std::string registry_address_, aggregator_address_, reporting_address_, ranking_address_,
      competition_address_;
  std::unique_ptr<ServiceProcess> registry_, aggregator_, reporting_, ranking_, competition_;
  std::map<std::string, int> metrics_ports_;  // service -> its --metrics_listen port
  // Where PushUntilAcknowledged pushes (default: the aggregator), and the
  // health name a replica must serve to be pushed to (fed::OpenChannel).
  std::string push_target_;
  std::string push_health_;
};

}  // namespace fedtest
