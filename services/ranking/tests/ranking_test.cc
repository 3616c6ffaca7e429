// The ranking service against the real registry and aggregator.
#include "services/ranking/tests/ranking_fixture.h"

#include <future>

#include <grpcpp/generic/generic_stub.h>

namespace ranking::testing {
namespace {

using ::testing::ElementsAre;

class ServiceTest : public RankingTest {
 protected:
  void SetUp() override {
    RankingTest::SetUp();
    if (HasFatalFailure()) return;
    CreateNational();
    for (const auto& [code, name] : std::vector<std::pair<std::string, std::string>>{
             {"10", "Lào Cai"}, {"11", "Điện Biên"}, {"12", "Lai Châu"}, {"14", "Sơn La"}}) {
      ASSERT_TRUE(CreateProvince(code, name).ok());
    }
    Cluster(2025, 1, {"10", "11", "12", "14"}, "12");
  }

  // Hà Giang (02) merges into Tuyên Quang (08) on 2025-07-01; the 2026
  // cluster 1 is Tuyên Quang and Lào Cai.
  void MergeHaGiangIntoTuyenQuang() {
    ASSERT_TRUE(CreateProvince("08", "Tuyên Quang").ok());
    ASSERT_TRUE(CreateProvince("02", "Hà Giang").ok());
    v1::RecordMergerRequest merger;
    merger.mutable_merger()->set_successor_code("08");
    merger.mutable_merger()->add_predecessor_codes("02");
    merger.mutable_merger()->add_predecessor_codes("08");
    merger.mutable_merger()->set_effective_on("2025-07-01");
    merger.mutable_merger()->set_decision("Nghị quyết 202/2025/QH15");
    v1::Merger recorded;
    grpc::Status s = stub_->RecordMerger(Admin().get(), merger, &recorded);
    ASSERT_TRUE(s.ok()) << s.error_message();
    Cluster(2026, 1, {"08", "10"});
  }
};

TEST_F(ServiceTest, RanksTheClusterWithBreakdownTiesAndFlagProposal) {
  Accepted("10", "2025H1", 1, {{"workshops", 20}});
  Accepted("11", "2025H1", 1, {{"workshops", 10}});
  Accepted("12", "2025H1", 1, {{"workshops", 10}});
  Accepted("14", "2025H1", 1, {{"workshops", 20}}, /*days_early=*/-3);  // late
  StartRanking();
  v1::DefineSchemeResponse defined;
  ASSERT_TRUE(Define(Scheme(2025), &defined).ok());
  EXPECT_EQ(defined.scheme().version(), 1);

  const v1::ClusterRanking r = RankingOf(2025, 1, "2025H1");
  EXPECT_EQ(r.scheme_version(), 1);
  // 10: 60 + 40; 14: 60 + 0 - 5 (late); 11 and 12: 30 + 40 each.
  EXPECT_THAT(Order(r), ElementsAre("10#1", "11#2", "12#2", "14#4"));
  EXPECT_DOUBLE_EQ(r.entries(0).total(), 100);
  EXPECT_TRUE(r.entries(0).flag_proposal());
  EXPECT_FALSE(r.entries(1).flag_proposal());
  EXPECT_EQ(r.entries(2).cluster_role(), "head");
  const v1::RankedEntry& son_la = r.entries(3);
  EXPECT_DOUBLE_EQ(son_la.total(), 55);
  EXPECT_EQ(son_la.organization_name(), "LHH Sơn La");
  ASSERT_EQ(son_la.breakdown_size(), 2);
  EXPECT_DOUBLE_EQ(son_la.breakdown(0).raw_value(), 20);
  EXPECT_DOUBLE_EQ(son_la.breakdown(0).normalised(), 1);
  EXPECT_DOUBLE_EQ(son_la.breakdown(0).points(), 60);
  EXPECT_DOUBLE_EQ(son_la.breakdown(1).raw_value(), 0);  // nothing on time
  ASSERT_EQ(son_la.adjustments_size(), 1);
  EXPECT_DOUBLE_EQ(son_la.adjustments(0).points(), -5);
}

TEST_F(ServiceTest, AnAcceptedReportMovesTheRankingWithoutAsking) {
  Accepted("10", "2025H1", 1, {{"workshops", 20}});
  Accepted("14", "2025H1", 1, {{"workshops", 10}});
  StartRanking(/*follow=*/true);
  v1::DefineSchemeResponse defined;
  ASSERT_TRUE(Define(Scheme(2025), &defined).ok());
  EXPECT_THAT(Order(RankingOf(2025, 1, "2025H1")), ElementsAre("10#1", "14#2", "11#3", "12#3"));
  v1::CompareProvinceRequest compare;
  compare.set_organization_code("14");
  compare.set_period("2025H1");
  v1::CompareProvinceResponse before;
  ASSERT_TRUE(
      ranking_->CompareProvince(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), compare, &before).ok());
  EXPECT_EQ(before.indicators(0).rank(), 2);

  // Sơn La resubmits with more workshops; the national office accepts it.
  Accepted("14", "2025H1", 2, {{"workshops", 40}});
  std::vector<std::string> order;
  for (int i = 0; i < 500; ++i) {  // the follower reads the feed every 20 ms
    order = Order(RankingOf(2025, 1, "2025H1"));
    if (order.front() == "14#1") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_THAT(order, ElementsAre("14#1", "10#2", "11#3", "12#3"));
  // The year, derived from its halves, moves too (it may follow the
  // half-year by a round of the follower when it was computed on demand).
  std::string year_first;
  for (int i = 0; i < 500 && year_first != "14#1"; ++i) {
    year_first = Order(RankingOf(2025, 1, "2025")).front();
    if (year_first != "14#1") std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(year_first, "14#1");
  // So did the comparison with the cluster.
  v1::CompareProvinceResponse after;
  ASSERT_TRUE(
      ranking_->CompareProvince(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), compare, &after).ok());
  EXPECT_DOUBLE_EQ(after.indicators(0).value(), 40);
  EXPECT_EQ(after.indicators(0).rank(), 1);
  EXPECT_DOUBLE_EQ(after.indicators(0).cluster_best(), 40);
  EXPECT_EQ(after.rank(), 1);
}

TEST_F(ServiceTest, TotalsOnlyIsTheSameRankingWithoutTheBreakdown) {
  Accepted("10", "2025H1", 1, {{"workshops", 20}});
  Accepted("14", "2025H1", 1, {{"workshops", 20}}, /*days_early=*/-3);  // late
  StartRanking();
  v1::DefineSchemeResponse defined;
  ASSERT_TRUE(Define(Scheme(2025), &defined).ok());
  const v1::ClusterRanking full = RankingOf(2025, 1, "2025H1");

  v1::GetRankingRequest req;
  req.set_period("2025H1");
  req.set_totals_only(true);
  v1::GetRankingResponse out;
  grpc::Status s = ranking_->GetRanking(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(out.rankings_size(), 1);
  const v1::ClusterRanking& totals = out.rankings(0);
  EXPECT_EQ(Order(totals), Order(full));
  ASSERT_EQ(totals.entries_size(), full.entries_size());
  for (int i = 0; i < totals.entries_size(); ++i) {
    EXPECT_DOUBLE_EQ(totals.entries(i).total(), full.entries(i).total());
    EXPECT_EQ(totals.entries(i).flag_proposal(), full.entries(i).flag_proposal());
    EXPECT_EQ(totals.entries(i).breakdown_size(), 0);
    EXPECT_EQ(totals.entries(i).adjustments_size(), 0);
  }
  EXPECT_GT(full.entries(1).breakdown_size(), 0);
  EXPECT_EQ(full.entries(1).adjustments_size(), 1);  // 14's late report
}

TEST_F(ServiceTest, BytesThatAreNoRankingRequestGetInvalidArgument) {
  StartRanking();
  // GetRanking reads its request itself (it answers with pre-encoded bytes).
  grpc::GenericStub generic(rank_server_->channel());
  grpc::Slice junk("\x0a\xff\xff\xff", 4);  // a length-delimited field longer than the message
  grpc::ByteBuffer request(&junk, 1), response;
  auto ctx = ContextAs(v1::ROLE_VIEWER, "VUSTA");
  std::promise<grpc::Status> done;
  generic.UnaryCall(ctx.get(), "/federation.v1.RankingService/GetRanking", grpc::StubOptions(),
                    &request, &response, [&](grpc::Status s) { done.set_value(s); });
  const grpc::Status s = done.get_future().get();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), ::testing::HasSubstr("GetRankingRequest"));
}

TEST_F(ServiceTest, ARevisionIsANewVersionAndResultsSayWhichVersion) {
  Accepted("10", "2025H1", 1, {{"workshops", 20}});
  Accepted("11", "2025H1", 1, {{"workshops", 10}}, -3);
  StartRanking();
  v1::DefineSchemeResponse first, again, second;
  ASSERT_TRUE(Define(Scheme(2025), &first).ok());
  ASSERT_TRUE(Define(Scheme(2025), &again).ok());  // identical: not a new version
  EXPECT_FALSE(again.created());
  EXPECT_EQ(again.scheme().version(), 1);
  v1::ScoringScheme revised = Scheme(2025);
  revised.mutable_rules(0)->set_points(20);
  ASSERT_TRUE(Define(revised, &second).ok());
  EXPECT_EQ(second.scheme().version(), 2);

  const v1::ClusterRanking latest = RankingOf(2025, 1, "2025H1");
  EXPECT_EQ(latest.scheme_version(), 2);
  const v1::ClusterRanking old = RankingOf(2025, 1, "2025H1", false, 1);
  EXPECT_EQ(old.scheme_version(), 1);
  // 11: 30 points for workshops; 5 off under version 1, 20 off under version 2.
  EXPECT_DOUBLE_EQ(old.entries(1).total(), 25);
  EXPECT_DOUBLE_EQ(latest.entries(1).total(), 10);

  // The versions survive a restart.
  StopRanking();
  StartRanking();
  v1::ListSchemesResponse list;
  v1::ListSchemesRequest req;
  req.set_year(2025);
  ASSERT_TRUE(ranking_->ListSchemes(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &list).ok());
  EXPECT_EQ(list.schemes_size(), 2);
  EXPECT_EQ(RankingOf(2025, 1, "2025H1").scheme_version(), 2);
}

TEST_F(ServiceTest, BadSchemesAreRefusedWithTheFieldAndNothingWritten) {
  StartRanking();
  v1::DefineSchemeResponse out;
  v1::ScoringScheme bad = Scheme(2025);
  bad.set_total_points(90);
  bad.mutable_criteria(0)->set_indicator_code("seminars");
  bad.mutable_criteria(1)->set_lower(2);
  grpc::Status s = Define(bad, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(s), ElementsAre("scheme.criteria[0].indicator_code",
                                       "scheme.criteria[1].upper", "scheme.total_points"));
  s = Define(Scheme(2031), &out);  // no clusters that year
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), ::testing::HasSubstr("scheme.year"));
  s = ranking_->DefineScheme(
      ContextAs(v1::ROLE_NATIONAL_REVIEWER, "VUSTA").get(),
      [] {
        v1::DefineSchemeRequest r;
        *r.mutable_scheme() = Scheme(2025);
        return r;
      }(),
      &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::ListSchemesResponse list;
  ASSERT_TRUE(ranking_->ListSchemes(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), {}, &list).ok());
  EXPECT_EQ(list.schemes_size(), 0);

  v1::GetRankingRequest req;
  req.set_period("2025H1");
  req.set_cluster_number(7);
  v1::GetRankingResponse ranking;
  ASSERT_TRUE(Define(Scheme(2025), &out).ok());
  s = ranking_->GetRanking(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &ranking);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), ::testing::HasSubstr("cluster_number"));
}

TEST_F(ServiceTest, AProvinceComparesItselfWithItsClusterAndSeesItsTrend) {
  Accepted("10", "2025H1", 1, {{"workshops", 20}});
  Accepted("11", "2025H1", 1, {{"workshops", 4}});
  Accepted("12", "2025H1", 1, {{"workshops", 10}});
  Accepted("14", "2025H1", 1, {{"workshops", 6}});
  Accepted("14", "2024H2", 1, {{"workshops", 3}});
  StartRanking();
  v1::DefineSchemeResponse defined;
  ASSERT_TRUE(Define(Scheme(2025), &defined).ok());

  v1::CompareProvinceRequest req;
  req.set_organization_code("14");
  req.set_period("2025H1");
  v1::CompareProvinceResponse out;
  ASSERT_TRUE(
      ranking_->CompareProvince(ContextAs(v1::ROLE_PROVINCE_REPORTER, "14").get(), req, &out).ok());
  ASSERT_EQ(out.indicators_size(), 1);
  const auto& w = out.indicators(0);
  EXPECT_EQ(w.indicator_code(), "workshops");
  EXPECT_DOUBLE_EQ(w.value(), 6);
  EXPECT_DOUBLE_EQ(w.cluster_average(), 10);
  EXPECT_DOUBLE_EQ(w.cluster_median(), 8);
  EXPECT_DOUBLE_EQ(w.cluster_best(), 20);
  EXPECT_EQ(w.best_code(), "10");
  EXPECT_EQ(w.rank(), 3);
  EXPECT_EQ(w.of(), 4);
  EXPECT_TRUE(out.scored());
  EXPECT_EQ(out.rank(), 3);

  // Another province's comparison is not Sơn La's to read.
  req.set_organization_code("10");
  EXPECT_EQ(ranking_->CompareProvince(ContextAs(v1::ROLE_PROVINCE_REPORTER, "14").get(), req, &out)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::TrendRequest trend;
  trend.set_organization_code("14");
  trend.set_to_period("2025H1");
  trend.set_periods(2);
  trend.add_indicator_codes("workshops");
  v1::TrendResponse points;
  ASSERT_TRUE(ranking_->Trend(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), trend, &points).ok());
  ASSERT_EQ(points.points_size(), 2);
  EXPECT_EQ(points.points(0).period(), "2024H2");
  EXPECT_EQ(points.points(0).cluster_number(), 0);  // no 2024 clusters in this test
  EXPECT_EQ(points.points(1).rank(), 3);
  EXPECT_DOUBLE_EQ(points.points(1).indicators(0).value(), 6);

  v1::CompareClustersRequest clusters;
  clusters.set_period("2025H1");
  v1::CompareClustersResponse by_cluster;
  ASSERT_TRUE(
      ranking_->CompareClusters(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), clusters, &by_cluster)
          .ok());
  ASSERT_EQ(by_cluster.figures_size(), 1);
  EXPECT_DOUBLE_EQ(by_cluster.figures(0).sum(), 40);
  EXPECT_EQ(by_cluster.figures(0).best_code(), "10");
  ASSERT_EQ(by_cluster.scores_size(), 1);
  EXPECT_EQ(by_cluster.scores(0).flag_proposal_code(), "10");
  // A province compares clusters by their numbers, without being told who
  // is best in clusters whose rankings it may not read.
  ASSERT_TRUE(ranking_
                  ->CompareClusters(ContextAs(v1::ROLE_PROVINCE_REPORTER, "14").get(), clusters,
                                    &by_cluster)
                  .ok());
  ASSERT_EQ(by_cluster.figures_size(), 1);
  EXPECT_DOUBLE_EQ(by_cluster.figures(0).best(), 20);
  EXPECT_EQ(by_cluster.figures(0).best_code(), "");
  // Its own cluster's flag proposal it reads in its ranking anyway; another
  // cluster's is not named to it.
  ASSERT_EQ(by_cluster.scores_size(), 1);
  EXPECT_EQ(by_cluster.scores(0).flag_proposal_code(), "10");
  ASSERT_TRUE(ranking_
                  ->CompareClusters(ContextAs(v1::ROLE_PROVINCE_REPORTER, "01").get(), clusters,
                                    &by_cluster)
                  .ok());
  ASSERT_EQ(by_cluster.scores_size(), 1);
  EXPECT_EQ(by_cluster.scores(0).flag_proposal_code(), "");
}

TEST_F(ServiceTest, SelfAssessmentIsShownBesideTheComputedScore) {
  Accepted("14", "2025H1", 1, {{"workshops", 6}});
  StartRanking();
  v1::DefineSchemeResponse defined;
  ASSERT_TRUE(Define(Scheme(2025), &defined).ok());
  v1::SetSelfAssessmentRequest req;
  req.set_organization_code("14");
  req.set_period("2025H1");
  req.set_total(95);
  auto* score = req.add_scores();
  score->set_criterion_code("workshops");
  score->set_points(55);
  v1::SelfAssessment out;
  ASSERT_TRUE(
      ranking_->SetSelfAssessment(ContextAs(v1::ROLE_PROVINCE_REPORTER, "14").get(), req, &out)
          .ok());
  req.set_organization_code("10");
  EXPECT_EQ(
      ranking_->SetSelfAssessment(ContextAs(v1::ROLE_PROVINCE_REPORTER, "14").get(), req, &out)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  const auto r = RankingOf(2025, 1, "2025H1");
  const auto& son_la = r.entries(0);
  EXPECT_EQ(son_la.organization_code(), "14");
  EXPECT_TRUE(son_la.has_self_assessment());
  EXPECT_DOUBLE_EQ(son_la.self_total(), 95);
  EXPECT_DOUBLE_EQ(son_la.total(), 100);
  EXPECT_TRUE(son_la.breakdown(0).has_self_points());
  EXPECT_DOUBLE_EQ(son_la.breakdown(0).self_points(), 55);
}

TEST_F(ServiceTest, MergerRollUpReadsHistoryAgainstTheSuccessor) {
  MergeHaGiangIntoTuyenQuang();
  if (HasFatalFailure()) return;
  Accepted("02", "2025H1", 1, {{"workshops", 30}});
  Accepted("08", "2025H1", 1, {{"workshops", 10}});
  Accepted("10", "2025H1", 1, {{"workshops", 25}});
  StartRanking();
  v1::DefineSchemeResponse defined;
  ASSERT_TRUE(Define(Scheme(2026), &defined).ok());

  // 2025H1 against the 2026 cluster: Tuyên Quang alone is behind Lào Cai,
  // with Hà Giang rolled in it is ahead.
  EXPECT_THAT(Order(RankingOf(2026, 1, "2025H1")), ElementsAre("10#1", "08#2"));
  const auto rolled = RankingOf(2026, 1, "2025H1", true);
  EXPECT_TRUE(rolled.rolled_up());
  EXPECT_THAT(Order(rolled), ElementsAre("08#1", "10#2"));
  EXPECT_DOUBLE_EQ(rolled.entries(0).breakdown(0).raw_value(), 40);
}

TEST_F(ServiceTest, RolledUpTimelinessCountsPredecessorsOnlyWhileTheyExisted) {
  MergeHaGiangIntoTuyenQuang();
  if (HasFatalFailure()) return;
  Accepted("02", "2025H1", 1, {{"workshops", 30}}, /*days_early=*/-3);  // late
  Accepted("08", "2025H1", 1, {{"workshops", 10}});
  Accepted("10", "2025H1", 1, {{"workshops", 25}});
  Accepted("08", "2026H1", 1, {{"workshops", 10}});
  Accepted("10", "2026H1", 1, {{"workshops", 25}});
  StartRanking();
  v1::DefineSchemeResponse defined;
  ASSERT_TRUE(Define(Scheme(2026), &defined).ok());
  auto tuyen_quang = [](const v1::ClusterRanking& r) {
    for (const auto& e : r.entries()) {
      if (e.organization_code() == "08") return e;
    }
    return v1::RankedEntry();
  };

  // Alone, Tuyên Quang reported on time.
  const v1::RankedEntry alone = tuyen_quang(RankingOf(2026, 1, "2025H1"));
  ASSERT_EQ(alone.breakdown_size(), 2);
  EXPECT_DOUBLE_EQ(alone.breakdown(1).raw_value(), 1);
  EXPECT_EQ(alone.adjustments_size(), 0);
  // Rolled up, Hà Giang's late report counts against the merged province.
  const v1::RankedEntry rolled = tuyen_quang(RankingOf(2026, 1, "2025H1", true));
  ASSERT_EQ(rolled.breakdown_size(), 2);
  EXPECT_DOUBLE_EQ(rolled.breakdown(1).raw_value(), 0.5);
  ASSERT_EQ(rolled.adjustments_size(), 1);
  EXPECT_EQ(rolled.adjustments(0).count(), 1);
  // After the merger Hà Giang reports no more: nothing is missing for it.
  const v1::RankedEntry after = tuyen_quang(RankingOf(2026, 1, "2026H1", true));
  ASSERT_EQ(after.breakdown_size(), 2);
  EXPECT_DOUBLE_EQ(after.breakdown(1).raw_value(), 1);
  EXPECT_EQ(after.adjustments_size(), 0);
}

TEST_F(ServiceTest, AMergerRecordedWhileRunningTakesTheMergedProvinceOutOfLaterPeriods) {
  for (const std::string code : {"10", "11", "12", "14"})
    Accepted(code, "2025H1", 1, {{"workshops", 10}});
  for (const std::string code : {"10", "11", "12"})
    Accepted(code, "2025H2", 1, {{"workshops", 10}});
  StartRanking();
  engine_->Start(/*cluster_refresh=*/absl::Milliseconds(20));
  v1::ScoringScheme scheme = Scheme(2025);
  auto* missing = scheme.add_rules();
  missing->set_code("missing");
  missing->set_name("Không báo cáo");
  missing->set_kind(v1::SCORING_RULE_KIND_MISSING_REPORT_PENALTY);
  missing->set_points(10);
  v1::DefineSchemeResponse defined;
  ASSERT_TRUE(Define(scheme, &defined).ok());
  auto son_la = [&](const std::string& period) {
    const v1::ClusterRanking ranking = RankingOf(2025, 1, period);
    for (const auto& e : ranking.entries()) {
      if (e.organization_code() == "14") return e;
    }
    return v1::RankedEntry();
  };
  ASSERT_EQ(son_la("2025H2").adjustments_size(), 1);  // missing, while Sơn La exists

  // Sơn La merges into Lào Cai on 1 July 2025 (a made-up merger).
  v1::RecordMergerRequest merger;
  merger.mutable_merger()->set_successor_code("10");
  merger.mutable_merger()->add_predecessor_codes("14");
  merger.mutable_merger()->add_predecessor_codes("10");
  merger.mutable_merger()->set_effective_on("2025-07-01");
  v1::Merger recorded;
  grpc::Status s = stub_->RecordMerger(Admin().get(), merger, &recorded);
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::RankedEntry after;
  for (int i = 0; i < 500; ++i) {  // the follower rereads the registry every 20 ms
    after = son_la("2025H2");
    if (after.has_not_expected()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(after.not_expected().note(), "merged into 10 LHH Lào Cai on 2025-07-01");
  EXPECT_EQ(after.adjustments_size(), 0);
  EXPECT_EQ(son_la("2025").adjustments_size(), 0);
  EXPECT_FALSE(son_la("2025H1").has_not_expected());  // it still owed the first half
}

// The 2025 demo's shape: the 63 provinces of deploy/demo/provinces.csv in
// the demo's nine 2025 clusters, constituted before the merger of 1 July
// 2025 that leaves 34 units.
class Merger2025Test : public RankingTest {
 protected:
  void SetUp() override {
    RankingTest::SetUp();
    if (HasFatalFailure()) return;
    LoadProvincesAndMerger();
    if (HasFatalFailure()) return;
    std::map<int, std::vector<std::string>> clusters;
    for (const auto& p : registry::testing::ReadProvinces()) {
      clusters[std::stoi(p.cluster)].push_back(p.code);
      successor_[p.code] = p.successor;
    }
    ASSERT_EQ(successor_.size(), 63u);
    for (const auto& [number, members] : clusters) Cluster(2025, number, members);
  }

  bool MergedAway(const std::string& code) const { return successor_.at(code) != code; }

  // 2025H1 from every province but Lai Châu (12) and Trà Vinh (84), as in
  // the demo; Hà Giang (02) held by far the most workshops.
  void ReportTheFirstHalf() {
    for (const auto& [code, successor] : successor_) {
      if (code == "12" || code == "84") continue;
      Accepted(code, "2025H1", 1, {{"workshops", code == "02" ? 100 : 10}});
    }
  }

  // 2025H2 from every unit that still exists but Sơn La (14).
  void ReportTheSecondHalf() {
    for (const auto& [code, successor] : successor_) {
      if (MergedAway(code) || code == "14") continue;
      Accepted(code, "2025H2", 1, {{"workshops", 10}});
    }
  }

  // The fixture's scheme with a missing-report penalty too.
  static v1::ScoringScheme SchemeWithMissingPenalty() {
    v1::ScoringScheme s = Scheme(2025);
    auto* missing = s.add_rules();
    missing->set_code("missing");
    missing->set_name("Không báo cáo");
    missing->set_kind(v1::SCORING_RULE_KIND_MISSING_REPORT_PENALTY);
    missing->set_points(10);
    return s;
  }

  // Every entry of every 2025 cluster for the period, by code.
  std::map<std::string, v1::RankedEntry> Entries(const std::string& period, bool roll_up) {
    v1::GetRankingRequest req;
    req.set_year(2025);
    req.set_period(period);
    req.set_roll_up(roll_up);
    v1::GetRankingResponse out;
    grpc::Status s = ranking_->GetRanking(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(out.rankings_size(), 9);
    std::map<std::string, v1::RankedEntry> entries;
    for (const auto& r : out.rankings()) {
      for (const auto& e : r.entries()) entries[e.organization_code()] = e;
    }
    return entries;
  }

  static int Applied(const v1::RankedEntry& e, const std::string& rule) {
    for (const auto& a : e.adjustments()) {
      if (a.rule_code() == rule) return a.count();
    }
    return 0;
  }

  std::map<std::string, std::string>
      successor_;  // code -> successor from 2025-07-01 (itself if none)
};

TEST_F(Merger2025Test, NoMergedProvinceIsPenalisedForTheSecondHalfOrTheYear) {
  ReportTheFirstHalf();
  ReportTheSecondHalf();
  StartRanking();
  v1::DefineSchemeResponse defined;
  ASSERT_TRUE(Define(SchemeWithMissingPenalty(), &defined).ok());

  for (const std::string period : {"2025H2", "2025"}) {
    for (const bool roll_up : {false, true}) {
      SCOPED_TRACE(period + (roll_up ? " rolled up" : ""));
      const auto entries = Entries(period, roll_up);
      ASSERT_EQ(entries.size(), 63u);
      int merged = 0;
      for (const auto& [code, e] : entries) {
        if (!MergedAway(code)) {
          EXPECT_FALSE(e.has_not_expected()) << code;
          EXPECT_GT(e.rank(), 0) << code;
          continue;
        }
        ++merged;
        EXPECT_EQ(e.adjustments_size(), 0) << code;  // neither missing nor late
        EXPECT_EQ(e.breakdown_size(), 0) << code;    // no timeliness of 0 either
        EXPECT_FALSE(e.flag_proposal()) << code;
        EXPECT_EQ(e.rank(), 0) << code;
        EXPECT_DOUBLE_EQ(e.total(), 0) << code;
        EXPECT_EQ(e.not_expected().successor_code(), successor_[code]) << code;
        EXPECT_EQ(e.not_expected().ended_on(), "2025-07-01") << code;
      }
      EXPECT_EQ(merged, 63 - 34);
      // Hà Giang's 100 workshops in 2025H1 neither win it the year's flag
      // nor set the bar for the rest of cluster 2: its units tie at the top.
      EXPECT_TRUE(entries.at("08").flag_proposal());
      EXPECT_DOUBLE_EQ(entries.at("08").total(), 100);
      // A successor is not penalised for its predecessors' reports either.
      EXPECT_EQ(Applied(entries.at("08"), "missing"), 0);
      EXPECT_EQ(Applied(entries.at("86"), "missing"),
                roll_up && period == "2025" ? 1 : 0);  // 84's 2025H1
      // Sơn La still exists and sent nothing for 2025H2: penalised.
      EXPECT_EQ(Applied(entries.at("14"), "missing"), 1);
      EXPECT_FALSE(entries.at("14").flag_proposal());
    }
  }
  const auto ha_giang = Entries("2025", false).at("02").not_expected();
  EXPECT_EQ(ha_giang.note(), "merged into 08 LHH Tuyên Quang on 2025-07-01");
}

TEST_F(Merger2025Test, TheFirstHalfScoresEveryProvinceAndNothingSentIsNotPresent) {
  ReportTheFirstHalf();
  StartRanking();
  v1::DefineSchemeResponse defined;
  ASSERT_TRUE(Define(SchemeWithMissingPenalty(), &defined).ok());
  const auto entries = Entries("2025H1", false);
  ASSERT_EQ(entries.size(), 63u);
  for (const auto& [code, e] : entries) {
    EXPECT_FALSE(e.has_not_expected()) << code;  // every province existed on 30 June
    EXPECT_GT(e.rank(), 0) << code;
  }
  EXPECT_TRUE(entries.at("02").flag_proposal());
  // Lai Châu and Trà Vinh sent nothing: no timeliness to show, the missing penalty instead.
  for (const std::string code : {"12", "84"}) {
    const v1::RankedEntry& e = entries.at(code);
    ASSERT_EQ(e.breakdown_size(), 2) << code;
    EXPECT_EQ(e.breakdown(1).criterion_code(), "timeliness");
    EXPECT_FALSE(e.breakdown(1).present()) << code;
    EXPECT_DOUBLE_EQ(e.breakdown(1).points(), 0) << code;
    EXPECT_EQ(Applied(e, "missing"), 1) << code;
    EXPECT_DOUBLE_EQ(e.total(), -10) << code;
  }
  const v1::RankedEntry& son_la = entries.at("14");
  EXPECT_TRUE(son_la.breakdown(1).present());
  EXPECT_DOUBLE_EQ(son_la.breakdown(1).raw_value(), 1);
}

}  // namespace
}  // namespace ranking::testing
