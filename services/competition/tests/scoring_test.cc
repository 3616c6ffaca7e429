// The arithmetic of judging, without a database.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/competition/scoring.h"

namespace competition {
namespace {

using ::testing::ElementsAre;

std::pair<int64_t, FinalScore> Scored(int64_t id, std::vector<int64_t> totals) {
  return {id, ComputeFinal(std::move(totals))};
}

TEST(ScoringTest, FinalScoreIsTheMeanDroppingExtremesFromFiveSheets) {
  EXPECT_DOUBLE_EQ(ComputeFinal({8000, 7000, 9000}).value(), 80);
  FinalScore five = ComputeFinal({10000, 8000, 8000, 8000, 1000});
  EXPECT_EQ(five.count, 3);
  EXPECT_EQ(five.sheets, 5);
  EXPECT_DOUBLE_EQ(five.value(), 80);
  EXPECT_FALSE(ComputeFinal({}).scored());
}

TEST(ScoringTest, RanksAreStandardCompetitionRanksWithExplicitTies) {
  // 1/3 and 2/6 are the same score, compared exactly.
  auto ranked = Rank({Scored(1, {100}), Scored(2, {300, 200, 100}), Scored(3, {200}),
                      Scored(4, {200}), Scored(5, {})});
  ASSERT_EQ(ranked.size(), 5u);
  EXPECT_EQ(ranked[0].entry_id, 2);
  EXPECT_EQ(ranked[0].rank, 1);
  EXPECT_EQ(ranked[1].rank, 1);
  EXPECT_EQ(ranked[2].rank, 1);
  EXPECT_THAT(ranked[0].tied_with, ElementsAre(3, 4));
  EXPECT_EQ(ranked[3].entry_id, 1);
  EXPECT_EQ(ranked[3].rank, 4);
  EXPECT_EQ(ranked[4].rank, 0);  // unscored
}

TEST(ScoringTest, PrizesFollowRanksMinimumAndShareTies) {
  auto ranked = Rank({Scored(1, {9000}), Scored(2, {8000}), Scored(3, {8000}), Scored(4, {6000}),
                      Scored(5, {4000})});
  v1::PrizeStructure p;
  p.set_first(1);
  p.set_second(1);
  p.set_third(1);
  p.set_consolation(2);
  p.set_min_score(50);
  AssignPrizes(ranked, p);
  EXPECT_EQ(ranked[0].prize, v1::PRIZE_FIRST);
  EXPECT_EQ(ranked[1].prize, v1::PRIZE_SECOND);
  EXPECT_EQ(ranked[2].prize, v1::PRIZE_SECOND);  // tie across the limit
  EXPECT_EQ(ranked[3].prize, v1::PRIZE_CONSOLATION);
  EXPECT_EQ(ranked[4].prize, v1::PRIZE_NONE);  // below 50
  auto notes = TieNotes(ranked, p, true);
  EXPECT_EQ(notes.size(), 2u);
}

TEST(ScoringTest, AssignmentBalancesAndNeverPicksAConflictedJudge) {
  std::vector<JudgeSlot> judges = {
      {"a", "X", {"f"}, 0}, {"b", "Y", {"f"}, 0}, {"c", "Z", {"f"}, 0}, {"d", "X", {"g"}, 0}};
  std::vector<EntrySlot> entries;
  for (int i = 0; i < 6; ++i) entries.push_back({i + 1, "f", i % 2 ? "X" : "W", {}});
  AssignmentPlan plan = PlanAssignment(entries, judges, 2);
  EXPECT_TRUE(plan.shortfalls.empty());
  EXPECT_EQ(plan.added.size(), 12u);
  for (const auto& [entry, judge] : plan.added) {
    if (entry % 2 == 0) EXPECT_NE(judge, "a") << entry;  // entries 2,4,6 come from X
    EXPECT_NE(judge, "d");                               // not on panel f
  }
  EXPECT_EQ(judges[0].load + judges[1].load + judges[2].load, 12);
  EXPECT_LE(std::max({judges[0].load, judges[1].load, judges[2].load}) -
                std::min({judges[0].load, judges[1].load, judges[2].load}),
            3);
  // Three judges needed for an entry from X: only b and c qualify.
  std::vector<EntrySlot> hard = {{7, "f", "X", {}}};
  EXPECT_EQ(PlanAssignment(hard, judges, 3).shortfalls.size(), 1u);
}

}  // namespace
}  // namespace competition
