// The registry, the aggregator and the ranking service, each served over
// loopback gRPC with its own worker pool, on one fresh database; the ranking
// service reads the other two over gRPC as in production.
#pragma once

#include "federation/v1/ranking.grpc.pb.h"
#include "services/aggregator/tests/aggregator_fixture.h"
#include "services/common/dates.h"
#include "services/ranking/engine.h"
#include "services/ranking/grpc_service.h"
#include "services/ranking/migrations.h"
#include "services/ranking/ranking.h"
#include "services/ranking/sources.h"

namespace ranking::testing {

using aggregator::testing::MakeReport;
using aggregator::testing::V;
using fedtest::ContextAs;

class RankingTest : public aggregator::testing::AggregatorTest {
 protected:
  void SetUp() override {
    AggregatorTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(
        fed::ApplyMigrations(db_->OwnerUrl("ranking"), "ranking", ranking::Migrations()).ok());
    rank_pool_ = std::make_unique<fed::DbPool>(db_->RuntimeUrl("ranking"), "ranking", 4);
  }

  void TearDown() override {
    StopRanking();
    rank_pool_.reset();
    AggregatorTest::TearDown();
  }

  // Starts (or restarts) the ranking service; follow = run the feed follower.
  void StartRanking(bool follow = false) {
    sources_ = std::make_unique<Sources>(server_->channel(), agg_server_->channel());
    engine_ = std::make_unique<Engine>(*sources_, *rank_pool_);
    absl::Status loaded = engine_->Load();
    ASSERT_TRUE(loaded.ok()) << loaded;
    if (follow) engine_->Start();
    logic_ = std::make_unique<Ranking>(*rank_pool_, *engine_);
    rank_workers_ = std::make_unique<fed::WorkerPool>(4);
    rank_service_ = std::make_unique<RankingGrpcService>(
        logic_.get(), fed::CallContext{&fedtest::TestVerifier("ranking"), rank_workers_.get()});
    rank_server_ =
        std::make_unique<fedtest::LoopbackServer>(std::vector<grpc::Service*>{rank_service_.get()});
    ranking_ = v1::RankingService::NewStub(rank_server_->channel());
  }

  void StopRanking() {
    if (engine_) engine_->Stop();
    rank_server_.reset();
    rank_workers_.reset();
    rank_service_.reset();
    logic_.reset();
    engine_.reset();
    sources_.reset();
  }

  void Cluster(int year, int number, std::vector<std::string> members,
               const std::string& head = "") {
    v1::CreateClusterRequest req;
    auto* c = req.mutable_cluster();
    c->set_year(year);
    c->set_number(number);
    c->set_name("Cụm " + std::to_string(number));
    for (const auto& m : members) c->add_member_codes(m);
    c->set_head_code(head);
    v1::EmulationCluster out;
    grpc::Status s = stub_->CreateCluster(Admin().get(), req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // Pushes and accepts one report, sent `days_early` days before the due
  // date (negative: late).
  void Accepted(const std::string& org, const std::string& period, int revision,
                std::vector<V> values, int days_early = 5) {
    v1::Report report = MakeReport(org, period, revision, std::move(values));
    const absl::CivilDay day = fed::Period::Parse(period)->DueDate() - days_early;
    report.mutable_submitted_at()->set_seconds(
        absl::ToUnixSeconds(absl::FromCivil(day, absl::FixedTimeZone(7 * 3600))));
    // As the national office importing earlier records: only its stated
    // submission times count at any distance from now.
    auto acks = Push({report}, v1::ROLE_NATIONAL_ADMIN);
    ASSERT_EQ(acks.size(), 1u);
    ASSERT_EQ(acks[0].outcome(), v1::PUSH_OUTCOME_STORED) << org << " " << period;
    grpc::Status s = Review("accept", org, period, revision);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // 100 points: workshops (share of best) 60, timeliness 40; late -5.
  static v1::ScoringScheme Scheme(int year) {
    v1::ScoringScheme s;
    s.set_year(year);
    s.set_name("Bảng điểm " + std::to_string(year));
    s.set_total_points(100);
    auto* a = s.add_criteria();
    a->set_code("workshops");
    a->set_name("Hội thảo");
    a->set_source(v1::CRITERION_SOURCE_INDICATOR);
    a->set_indicator_code("workshops");
    a->set_max_points(60);
    a->set_normalisation(v1::NORMALISATION_SHARE_OF_BEST);
    auto* t = s.add_criteria();
    t->set_code("timeliness");
    t->set_name("Báo cáo đúng hạn");
    t->set_source(v1::CRITERION_SOURCE_TIMELINESS);
    t->set_max_points(40);
    t->set_normalisation(v1::NORMALISATION_LINEAR);
    t->set_lower(0);
    t->set_upper(1);
    auto* late = s.add_rules();
    late->set_code("late");
    late->set_name("Báo cáo muộn");
    late->set_kind(v1::SCORING_RULE_KIND_LATE_REPORT_PENALTY);
    late->set_points(5);
    return s;
  }

  grpc::Status Define(const v1::ScoringScheme& scheme, v1::DefineSchemeResponse* out) {
    v1::DefineSchemeRequest req;
    *req.mutable_scheme() = scheme;
    return ranking_->DefineScheme(ContextAs(v1::ROLE_NATIONAL_ADMIN, "VUSTA").get(), req, out);
  }

  v1::ClusterRanking RankingOf(int year, int number, const std::string& period,
                               bool roll_up = false, int version = 0) {
    v1::GetRankingRequest req;
    req.set_year(year);
    req.set_cluster_number(number);
    req.set_period(period);
    req.set_roll_up(roll_up);
    req.set_scheme_version(version);
    v1::GetRankingResponse out;
    grpc::Status s = ranking_->GetRanking(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out.rankings_size() == 1 ? out.rankings(0) : v1::ClusterRanking();
  }

  static std::vector<std::string> Order(const v1::ClusterRanking& r) {
    std::vector<std::string> codes;
    for (const auto& e : r.entries())
      codes.push_back(e.organization_code() + "#" + std::to_string(e.rank()));
    return codes;
  }

  std::unique_ptr<fed::DbPool> rank_pool_;
  std::unique_ptr<Sources> sources_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Ranking> logic_;
  std::unique_ptr<fed::WorkerPool> rank_workers_;
  std::unique_ptr<RankingGrpcService> rank_service_;
  std::unique_ptr<fedtest::LoopbackServer> rank_server_;
  std::unique_ptr<v1::RankingService::Stub> ranking_;
};

}  // namespace ranking::testing
