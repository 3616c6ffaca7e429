// The registry and the aggregator, each served over loopback gRPC on a fresh
// database; the aggregator reads the registry over gRPC as in production.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "federation/v1/aggregator.grpc.pb.h"
#include "services/aggregator/aggregator.h"
#include "services/aggregator/feed_tail.h"
#include "services/aggregator/grpc_service.h"
#include "services/aggregator/intake.h"
#include "services/aggregator/migrations.h"
#include "services/common/client.h"
#include "services/common/status.h"
#include "services/common/validation.h"
#include "services/registry/tests/registry_fixture.h"

namespace aggregator::testing {

using fedtest::ContextAs;

// A report with the given values: {"members", 12000}, {"has_website", true}...
struct V {
  std::string code;
  double number;
  bool is_flag = false;
  V(std::string c, long long n) : code(std::move(c)), number(static_cast<double>(n)) {}
  V(std::string c, int n) : code(std::move(c)), number(n) {}
  V(std::string c, bool b) : code(std::move(c)), number(b ? 1 : 0), is_flag(true) {}
};

inline v1::Report MakeReport(const std::string& org, const std::string& period, int revision,
                             std::vector<V> values) {
  v1::Report report;
  report.set_organization_code(org);
  report.set_period(period);
  report.set_revision(revision);
  report.set_submitted_by("clerk@" + org);
  for (const auto& value : values) {
    auto* v = report.add_values();
    v->set_code(value.code);
    if (value.is_flag) {
      v->set_flag(value.number != 0);
    } else {
      v->set_count(static_cast<int64_t>(value.number));
    }
  }
  return report;
}

class AggregatorTest : public registry::testing::RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();  // the registry, on its own loopback server
    if (HasFatalFailure()) return;
    ASSERT_TRUE(fed::ApplyMigrations(db_->OwnerUrl("aggregator"), "aggregator", Migrations()).ok());
    agg_pool_ = std::make_unique<fed::DbPool>(db_->RuntimeUrl("aggregator"), "aggregator", 4);
    StartAggregator();
  }

  void TearDown() override {
    StopAggregator();
    agg_pool_.reset();
    RegistryTest::TearDown();
  }

  void StartAggregator() {
    figures_ = std::make_unique<Figures>();
    directory_ = std::make_unique<Directory>(server_->channel());
    aggregator_ = std::make_unique<Aggregator>(*agg_pool_, *figures_, *directory_);
    ASSERT_TRUE(aggregator_->LoadFigures().ok());
    intake_ = std::make_unique<Intake>(*agg_pool_, *figures_, *directory_, 200);
    FeedTail::Options feed;
    feed.heartbeat = absl::Milliseconds(200);
    feed.keep = feed_keep_;
    tail_ = std::make_unique<FeedTail>(*agg_pool_, *figures_, feed);
    ASSERT_TRUE(tail_->Start().ok());
    // Its own workers, as in production where it is its own process: a
    // handler waiting on the registry must not hold the registry's threads.
    agg_workers_ = std::make_unique<fed::WorkerPool>(4);
    agg_service_ = std::make_unique<AggregatorGrpcService>(
        aggregator_.get(), intake_.get(), tail_.get(),
        fed::CallContext{&fedtest::TestVerifier("aggregator"), agg_workers_.get()});
    agg_server_ =
        std::make_unique<fedtest::LoopbackServer>(std::vector<grpc::Service*>{agg_service_.get()});
    // The only aggregator, so the active one: the forwarder pushes only to
    // a replica that says so.
    agg_server_->SetHealth(fed::kAggregatorIntakeHealth, true);
    agg_ = v1::AggregatorService::NewStub(agg_server_->channel());
  }

  void StopAggregator() {
    if (tail_) tail_->Stop();  // streams end, or the server's shutdown waits for them
    agg_server_.reset();
    agg_workers_.reset();
    intake_.reset();
    agg_service_.reset();
    tail_.reset();
    aggregator_.reset();
    directory_.reset();
    figures_.reset();
  }

  // Pushes the reports on one stream as `role` of `org`; returns the acks.
  std::vector<v1::PushAck> Push(const std::vector<v1::Report>& reports,
                                v1::Role role = v1::ROLE_SERVICE, const std::string& org = "VUSTA",
                                grpc::Status* final_status = nullptr) {
    auto ctx = ContextAs(role, org);
    auto stream = agg_->PushReports(ctx.get());
    int n = 0;
    for (const auto& report : reports) {
      v1::PushedReport pushed;
      pushed.set_client_ref("ref-" + std::to_string(n++));
      *pushed.mutable_report() = report;
      if (!stream->Write(pushed)) break;
    }
    stream->WritesDone();
    std::vector<v1::PushAck> acks;
    v1::PushAck ack;
    while (stream->Read(&ack)) acks.push_back(ack);
    grpc::Status status = stream->Finish();
    if (final_status) *final_status = status;
    return acks;
  }

  v1::PushOutcome PushOne(const v1::Report& report) {
    auto acks = Push({report});
    return acks.size() == 1 ? acks[0].outcome() : v1::PUSH_OUTCOME_UNSPECIFIED;
  }

  grpc::Status Review(const std::string& what, const std::string& org, const std::string& period,
                      int revision, const std::string& comment = "",
                      v1::Role role = v1::ROLE_NATIONAL_REVIEWER) {
    v1::ReviewRequest req;
    req.set_organization_code(org);
    req.set_period(period);
    req.set_revision(revision);
    req.set_comment(comment);
    v1::Report out;
    auto ctx = ContextAs(role, "VUSTA");
    if (what == "accept") return agg_->AcceptReport(ctx.get(), req, &out);
    if (what == "return") return agg_->ReturnReport(ctx.get(), req, &out);
    return agg_->ReopenReport(ctx.get(), req, &out);
  }

  double Total(const std::string& period, const std::string& code, bool include_submitted = false) {
    v1::TotalsRequest req;
    req.set_period(period);
    req.add_indicator_codes(code);
    req.set_include_submitted(include_submitted);
    v1::TotalsResponse out;
    grpc::Status status = agg_->GetTotals(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out.totals_size() == 1 ? out.totals(0).value() : -1;
  }

  std::unique_ptr<fed::DbPool> agg_pool_;
  std::unique_ptr<Figures> figures_;
  std::unique_ptr<Directory> directory_;
  std::unique_ptr<Aggregator> aggregator_;
  std::unique_ptr<Intake> intake_;
  std::unique_ptr<FeedTail> tail_;
  size_t feed_keep_ = 20000;  // changes the tail holds in memory
  std::unique_ptr<fed::WorkerPool> agg_workers_;
  std::unique_ptr<AggregatorGrpcService> agg_service_;
  std::unique_ptr<fedtest::LoopbackServer> agg_server_;
  std::unique_ptr<v1::AggregatorService::Stub> agg_;
};

}  // namespace aggregator::testing
