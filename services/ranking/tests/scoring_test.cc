// The arithmetic of scores: ties, each normalisation, bonuses and penalties.
#include <cmath>

#include <gtest/gtest.h>

#include "services/common/catalog.h"
#include "services/ranking/scoring.h"

namespace ranking {
namespace {

int Index(const std::string& code) {
  const auto& c = fed::LatestCatalog();
  for (int i = 0; i < c.indicators_size(); ++i) {
    if (c.indicators(i).code() == code) return i;
  }
  return -1;
}

OrgPeriod With(std::map<std::string, double> values, Timeliness t = {1, 0, 0}) {
  OrgPeriod d;
  d.values.assign(fed::LatestCatalog().indicators_size(), std::nan(""));
  for (const auto& [code, v] : values) d.values[Index(code)] = v;
  d.reported = !values.empty();
  d.timeliness = t;
  return d;
}

v1::ScoringCriterion Workshops(v1::Normalisation n, double max_points = 10) {
  v1::ScoringCriterion c;
  c.set_code("workshops");
  c.set_name("Hội thảo");
  c.set_source(v1::CRITERION_SOURCE_INDICATOR);
  c.set_indicator_code("workshops");
  c.set_max_points(max_points);
  c.set_normalisation(n);
  return c;
}

v1::ClusterRanking Rank(const v1::ScoringScheme& scheme,
                        const std::map<std::string, OrgPeriod>& data) {
  std::vector<Member> members;
  for (const auto& [code, d] : data) members.push_back({code, "", "", &d, nullptr, std::nullopt});
  v1::ClusterRanking out;
  ScoreCluster(scheme, members, &out);
  return out;
}

TEST(CompetitionRanks, EqualTotalsShareARankAndTheNextSkips) {
  EXPECT_EQ(CompetitionRanks({90, 80, 80, 70}), (std::vector<int>{1, 2, 2, 4}));
  EXPECT_EQ(CompetitionRanks({50, 50, 50}), (std::vector<int>{1, 1, 1}));
  EXPECT_EQ(CompetitionRanks({}), std::vector<int>{});
}

TEST(ScoreCluster, TiesShareRanksAndEveryTopOrganisationIsProposedForTheFlag) {
  v1::ScoringScheme scheme;
  *scheme.add_criteria() = Workshops(v1::NORMALISATION_SHARE_OF_BEST, 100);
  const auto ranking = Rank(scheme, {{"10", With({{"workshops", 20}})},
                                     {"11", With({{"workshops", 10}})},
                                     {"12", With({{"workshops", 10}})},
                                     {"14", With({{"workshops", 5}})}});
  ASSERT_EQ(ranking.entries_size(), 4);
  EXPECT_EQ(ranking.entries(0).organization_code(), "10");
  EXPECT_EQ(ranking.entries(0).rank(), 1);
  EXPECT_TRUE(ranking.entries(0).flag_proposal());
  EXPECT_EQ(ranking.entries(1).rank(), 2);
  EXPECT_EQ(ranking.entries(2).rank(), 2);
  EXPECT_EQ(ranking.entries(1).organization_code(), "11");  // ties in code order
  EXPECT_EQ(ranking.entries(3).rank(), 4);
  EXPECT_FALSE(ranking.entries(1).flag_proposal());

  const auto tied_top =
      Rank(scheme, {{"10", With({{"workshops", 7}})}, {"11", With({{"workshops", 7}})}});
  EXPECT_TRUE(tied_top.entries(0).flag_proposal());
  EXPECT_TRUE(tied_top.entries(1).flag_proposal());
}

TEST(ScoreCluster, ShareOfBestGivesTheBestFullPointsAndOthersTheirShare) {
  v1::ScoringScheme scheme;
  *scheme.add_criteria() = Workshops(v1::NORMALISATION_SHARE_OF_BEST, 20);
  const auto r = Rank(
      scheme,
      {{"10", With({{"workshops", 40}})}, {"11", With({{"workshops", 10}})}, {"12", With({})}});
  EXPECT_DOUBLE_EQ(r.entries(0).total(), 20);
  const auto& second = r.entries(1).breakdown(0);
  EXPECT_DOUBLE_EQ(second.raw_value(), 10);
  EXPECT_DOUBLE_EQ(second.normalised(), 0.25);
  EXPECT_DOUBLE_EQ(second.points(), 5);
  EXPECT_FALSE(r.entries(2).breakdown(0).present());  // nothing reported: no points
  EXPECT_DOUBLE_EQ(r.entries(2).total(), 0);
  EXPECT_FALSE(r.entries(2).reported());
}

TEST(Normalise, LinearBetweenThresholds) {
  auto c = Workshops(v1::NORMALISATION_LINEAR);
  c.set_lower(10);
  c.set_upper(30);
  EXPECT_DOUBLE_EQ(Normalise(c, 5, 0), 0);
  EXPECT_DOUBLE_EQ(Normalise(c, 10, 0), 0);
  EXPECT_DOUBLE_EQ(Normalise(c, 20, 0), 0.5);
  EXPECT_DOUBLE_EQ(Normalise(c, 30, 0), 1);
  EXPECT_DOUBLE_EQ(Normalise(c, 99, 0), 1);
}

TEST(Normalise, FixedTableTakesTheHighestStepReached) {
  auto c = Workshops(v1::NORMALISATION_TABLE);
  for (auto [at, share] : {std::pair{1.0, 0.25}, {5.0, 0.5}, {10.0, 1.0}}) {
    auto* step = c.add_table();
    step->set_at_least(at);
    step->set_share(share);
  }
  EXPECT_DOUBLE_EQ(Normalise(c, 0, 0), 0);
  EXPECT_DOUBLE_EQ(Normalise(c, 1, 0), 0.25);
  EXPECT_DOUBLE_EQ(Normalise(c, 9, 0), 0.5);
  EXPECT_DOUBLE_EQ(Normalise(c, 10, 0), 1);
}

TEST(ScoreCluster, WeightMultipliesPointsAndTimelinessCounts) {
  v1::ScoringScheme scheme;
  auto w = Workshops(v1::NORMALISATION_SHARE_OF_BEST, 10);
  w.set_weight(2);
  *scheme.add_criteria() = w;
  auto* t = scheme.add_criteria();
  t->set_code("timeliness");
  t->set_source(v1::CRITERION_SOURCE_TIMELINESS);
  t->set_max_points(10);
  t->set_normalisation(v1::NORMALISATION_LINEAR);
  t->set_lower(0);
  t->set_upper(1);
  // A year: one half on time, one late -> timeliness 0.5.
  const auto r = Rank(scheme, {{"10", With({{"workshops", 8}}, {1, 1, 0})}});
  EXPECT_DOUBLE_EQ(r.entries(0).breakdown(0).points(), 20);
  EXPECT_DOUBLE_EQ(r.entries(0).breakdown(1).raw_value(), 0.5);
  EXPECT_DOUBLE_EQ(r.entries(0).breakdown(1).points(), 5);
  EXPECT_DOUBLE_EQ(r.entries(0).total(), 25);
}

TEST(ScoreCluster, LateAndMissingReportsArePenalisedAndBonusesAdded) {
  v1::ScoringScheme scheme;
  *scheme.add_criteria() = Workshops(v1::NORMALISATION_SHARE_OF_BEST, 10);
  auto* late = scheme.add_rules();
  late->set_code("late");
  late->set_kind(v1::SCORING_RULE_KIND_LATE_REPORT_PENALTY);
  late->set_points(2.5);
  auto* missing = scheme.add_rules();
  missing->set_code("missing");
  missing->set_kind(v1::SCORING_RULE_KIND_MISSING_REPORT_PENALTY);
  missing->set_points(5);
  auto* bonus = scheme.add_rules();
  bonus->set_code("award");
  bonus->set_kind(v1::SCORING_RULE_KIND_INDICATOR_BONUS);
  bonus->set_indicator_code("national_awards");
  bonus->set_threshold(1);
  bonus->set_points(3);
  const auto r = Rank(scheme, {{"10", With({{"workshops", 10}}, {0, 2, 0})},
                               {"11", With({{"workshops", 10}, {"national_awards", 1}}, {2, 0, 0})},
                               {"12", With({{"workshops", 10}}, {1, 0, 1})}});
  EXPECT_EQ(r.entries(0).organization_code(), "11");
  EXPECT_DOUBLE_EQ(r.entries(0).total(), 13);
  EXPECT_EQ(r.entries(0).adjustments(0).rule_code(), "award");
  EXPECT_EQ(r.entries(1).organization_code(), "10");
  EXPECT_DOUBLE_EQ(r.entries(1).total(), 5);  // 10 - 2 x 2.5
  EXPECT_EQ(r.entries(1).adjustments(0).count(), 2);
  EXPECT_DOUBLE_EQ(r.entries(1).adjustments(0).points(), -5);
  EXPECT_EQ(r.entries(2).organization_code(), "12");
  EXPECT_DOUBLE_EQ(r.entries(2).total(), 5);  // 10 - 5 for the missing report
  EXPECT_EQ(r.entries(1).rank(), 2);
  EXPECT_EQ(r.entries(2).rank(), 2);
}

TEST(RawValue, TimelinessOfNothingReceivedIsAbsentNotZero) {
  v1::ScoringCriterion t;
  t.set_source(v1::CRITERION_SOURCE_TIMELINESS);
  EXPECT_EQ(RawValue(t, With({}, {0, 0, 1})), std::nullopt);  // due, nothing came
  EXPECT_EQ(RawValue(t, With({}, {0, 0, 0})), std::nullopt);  // nothing due yet
  EXPECT_EQ(RawValue(t, With({}, {0, 1, 0})), 0.0);           // came, late
  EXPECT_EQ(RawValue(t, With({}, {1, 0, 1})), 0.5);           // a year: one half missing
}

OrgLife MergedInto(const std::string& successor, absl::CivilDay on) {
  OrgLife life;
  life.name = "LHH Hà Giang";
  life.from = absl::CivilDay(2008, 8, 1);
  life.until = on;
  life.successor_code = successor;
  return life;
}

fed::Period P(const std::string& text) { return *fed::Period::Parse(text); }

TEST(ExpectedFor, OnlyWhatExistsOnThePeriodsLastDayIsExpected) {
  const OrgLife merged = MergedInto("08", absl::CivilDay(2025, 7, 1));
  EXPECT_TRUE(ExpectedFor(merged, P("2025H1")));
  EXPECT_FALSE(ExpectedFor(merged, P("2025H2")));
  EXPECT_FALSE(ExpectedFor(merged, P("2025")));
  // Gone on the year's last day itself: the year is not expected either.
  EXPECT_FALSE(ExpectedFor(MergedInto("08", absl::CivilDay(2025, 12, 31)), P("2025")));
  EXPECT_TRUE(ExpectedFor(MergedInto("08", absl::CivilDay(2026, 1, 1)), P("2025")));
  OrgLife formed;
  formed.from = absl::CivilDay(2025, 7, 1);
  EXPECT_FALSE(ExpectedFor(formed, P("2025H1")));
  EXPECT_TRUE(ExpectedFor(formed, P("2025H2")));
  EXPECT_TRUE(ExpectedFor(formed, P("2025")));
  EXPECT_TRUE(ExpectedFor(OrgLife{}, P("2025H2")));  // nothing known: expected
}

TEST(WhyNotExpected, SaysWhatItMergedIntoAndWhen) {
  const OrgLife merged = MergedInto("08", absl::CivilDay(2025, 7, 1));
  EXPECT_EQ(WhyNotExpected(merged, P("2025H1"), "LHH Tuyên Quang"), std::nullopt);
  const auto why = WhyNotExpected(merged, P("2025"), "LHH Tuyên Quang");
  ASSERT_TRUE(why.has_value());
  EXPECT_EQ(why->successor_code(), "08");
  EXPECT_EQ(why->successor_name(), "LHH Tuyên Quang");
  EXPECT_EQ(why->ended_on(), "2025-07-01");
  EXPECT_EQ(why->note(), "merged into 08 LHH Tuyên Quang on 2025-07-01");
  OrgLife retired = merged;
  retired.successor_code.clear();
  EXPECT_EQ(WhyNotExpected(retired, P("2025H2"), "")->note(), "retired on 2025-07-01");
  OrgLife formed;
  formed.from = absl::CivilDay(2025, 7, 1);
  EXPECT_EQ(WhyNotExpected(formed, P("2025H1"), "")->starts_on(), "2025-07-01");
}

TEST(ScoreCluster, AMemberNotExpectedIsListedLastUnscoredAndSetsNoBar) {
  v1::ScoringScheme scheme;
  *scheme.add_criteria() = Workshops(v1::NORMALISATION_SHARE_OF_BEST, 10);
  auto* missing = scheme.add_rules();
  missing->set_code("missing");
  missing->set_kind(v1::SCORING_RULE_KIND_MISSING_REPORT_PENALTY);
  missing->set_points(5);
  const OrgPeriod merged = With({{"workshops", 40}}, {0, 0, 1});
  const OrgPeriod tuyen_quang = With({{"workshops", 10}});
  const OrgPeriod cao_bang = With({{"workshops", 5}});
  std::vector<Member> members{{"02", "", "", &merged, nullptr, std::nullopt},
                              {"04", "", "", &cao_bang, nullptr, std::nullopt},
                              {"08", "", "", &tuyen_quang, nullptr, std::nullopt}};
  members[0].not_expected =
      WhyNotExpected(MergedInto("08", absl::CivilDay(2025, 7, 1)), P("2025H2"), "");
  v1::ClusterRanking r;
  ScoreCluster(scheme, members, &r);
  ASSERT_EQ(r.entries_size(), 3);
  EXPECT_EQ(r.entries(0).organization_code(), "08");
  EXPECT_DOUBLE_EQ(r.entries(0).total(), 10);  // the best of those scored, not 02's 40
  EXPECT_TRUE(r.entries(0).flag_proposal());
  EXPECT_EQ(r.entries(1).organization_code(), "04");
  const v1::RankedEntry& ha_giang = r.entries(2);
  EXPECT_EQ(ha_giang.organization_code(), "02");
  EXPECT_TRUE(ha_giang.has_not_expected());
  EXPECT_FALSE(IsRanked(ha_giang));
  EXPECT_EQ(ha_giang.rank(), 0);
  EXPECT_DOUBLE_EQ(ha_giang.total(), 0);
  EXPECT_EQ(ha_giang.breakdown_size(), 0);
  EXPECT_EQ(ha_giang.adjustments_size(), 0);  // no missing penalty
  EXPECT_FALSE(ha_giang.flag_proposal());
}

TEST(StatsOf, AverageMedianBest) {
  std::vector<std::pair<std::string, double>> v{{"10", 4}, {"11", 10}, {"12", 1}, {"14", 5}};
  const Stats s = StatsOf(v);
  EXPECT_DOUBLE_EQ(s.average, 5);
  EXPECT_DOUBLE_EQ(s.median, 4.5);
  EXPECT_DOUBLE_EQ(s.best, 10);
  EXPECT_EQ(s.best_code, "11");
}

TEST(FiguresOf, StatisticsAndRanksSkipWhatWasNotReported) {
  const double absent = std::nan("");
  std::vector<OrgPeriod> data(5);
  data[0].values = {4, 1};
  data[1].values = {10, absent};
  data[2].values = {absent, absent};
  data[3].values = {10};  // shorter than the catalog: the rest is not reported
  data[4].values = {5, 2};
  std::vector<const OrgPeriod*> pointers;
  for (const auto& d : data) pointers.push_back(&d);
  const ClusterFigures f = FiguresOf({"10", "11", "12", "14", "15"}, pointers, 2);

  const auto& first = f.indicators[0];
  EXPECT_EQ(first.stats.count, 4);
  EXPECT_DOUBLE_EQ(first.stats.average, 7.25);
  EXPECT_DOUBLE_EQ(first.stats.median, 7.5);
  EXPECT_DOUBLE_EQ(first.stats.best, 10);
  EXPECT_EQ(first.stats.best_code, "11");  // a tie for best goes to the lower code
  // Standard competition ranks: 10, 10 share first; 5 is third; 4 fourth.
  EXPECT_EQ(first.RankOf(10), 1);
  EXPECT_EQ(first.RankOf(5), 3);
  EXPECT_EQ(first.RankOf(4), 4);

  EXPECT_EQ(f.indicators[1].stats.count, 2);
  EXPECT_EQ(f.MemberIndex("12"), 2);
  EXPECT_TRUE(std::isnan(f.values[2][0]));
  EXPECT_TRUE(std::isnan(f.values[3][1]));
  EXPECT_EQ(f.MemberIndex("99"), -1);
}

}  // namespace
}  // namespace ranking
