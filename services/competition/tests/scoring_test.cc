// The arithmetic of judging, without a database.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/competition/scoring.h"

namespace competition {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

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
  std::vector<JudgeSlot> judges = {{"a", "X", {"f"}, 0, LineageOfCode("X")},
                                   {"b", "Y", {"f"}, 0, LineageOfCode("Y")},
                                   {"c", "Z", {"f"}, 0, LineageOfCode("Z")},
                                   {"d", "X", {"g"}, 0, LineageOfCode("X")}};
  std::vector<EntrySlot> entries;
  for (int i = 0; i < 6; ++i) {
    const std::string source = i % 2 ? "X" : "W";
    entries.push_back({i + 1, "f", source, {}, LineageOfCode(source)});
  }
  AssignmentPlan plan = PlanAssignment(entries, judges, 2);
  EXPECT_TRUE(plan.shortfalls.empty());
  EXPECT_EQ(plan.added.size(), 12u);
  for (const auto& [entry, judge] : plan.added) {
    if (entry % 2 == 0) {
      EXPECT_NE(judge, "a") << entry;  // entries 2,4,6 come from X
    }
    EXPECT_NE(judge, "d");  // not on panel f
  }
  EXPECT_EQ(judges[0].load + judges[1].load + judges[2].load, 12);
  EXPECT_LE(std::max({judges[0].load, judges[1].load, judges[2].load}) -
                std::min({judges[0].load, judges[1].load, judges[2].load}),
            3);
  // Three judges needed for an entry from X: only b and c qualify.
  std::vector<EntrySlot> hard = {{7, "f", "X", {}, LineageOfCode("X")}};
  EXPECT_EQ(PlanAssignment(hard, judges, 3).shortfalls.size(), 1u);
}

// The registry's tree as the directory reads it: Sơn La's union (14) with
// two member associations, Lạng Sơn's union (20), and a national member
// association (HKT) directly under the national union with a unit of its own.
const Lineage kSonLa = {{"14"}, "14"};
const Lineage kSonLaLS = {{"14-LS", "14"}, "14"};
const Lineage kSonLaDD = {{"14-DD", "14"}, "14"};
const Lineage kLangSon = {{"20"}, "20"};
const Lineage kLangSonDD = {{"20-DD", "20"}, "20"};
const Lineage kNational = {{"VUSTA"}, ""};
const Lineage kHKT = {{"HKT"}, ""};
const Lineage kHKTUnit = {{"HKT-1", "HKT"}, ""};
const Lineage kOtherNationalAssociation = {{"HDUOC"}, ""};

TEST(ConflictTest, SameOrganisationAncestorsAndOneProvinceConflict) {
  EXPECT_THAT(ConflictOfInterest(kSonLaLS, kSonLaLS), HasSubstr("is where the entry comes from"));
  EXPECT_THAT(ConflictOfInterest(kSonLa, kSonLaLS), HasSubstr("14 is above 14-LS"));
  EXPECT_THAT(ConflictOfInterest(kSonLaLS, kSonLa), HasSubstr("14-LS is under 14"));
  EXPECT_THAT(ConflictOfInterest(kSonLaDD, kSonLaLS), HasSubstr("both in province 14"));
  EXPECT_THAT(ConflictOfInterest(kHKT, kHKTUnit), HasSubstr("HKT is above HKT-1"));
  EXPECT_THAT(ConflictOfInterest(kHKTUnit, kHKT), HasSubstr("HKT-1 is under HKT"));
  EXPECT_TRUE(Conflicted(kNational, kNational));
}

TEST(ConflictTest, OtherProvincesAndTheNationalUnionDoNot) {
  EXPECT_FALSE(Conflicted(kLangSonDD, kSonLaLS));
  EXPECT_FALSE(Conflicted(kLangSon, kSonLa));
  // The national union is above everyone; counting it would leave national
  // contests without judges.
  EXPECT_FALSE(Conflicted(kNational, kSonLaLS));
  EXPECT_FALSE(Conflicted(kSonLa, kNational));
  // National member associations are not one province.
  EXPECT_FALSE(Conflicted(kHKT, kOtherNationalAssociation));
  EXPECT_FALSE(Conflicted(kHKTUnit, kOtherNationalAssociation));
  // A lineage of a bare code keeps the exact rule.
  EXPECT_TRUE(Conflicted(LineageOfCode("X"), LineageOfCode("X")));
  EXPECT_FALSE(Conflicted(LineageOfCode("X"), LineageOfCode("Y")));
}

TEST(ScoringTest, AssignmentUsesLineagesNotJustCodes) {
  std::vector<JudgeSlot> judges = {{"union", "14", {"f"}, 0, kSonLa},
                                   {"sibling", "14-DD", {"f"}, 0, kSonLaDD},
                                   {"langson", "20-DD", {"f"}, 0, kLangSonDD},
                                   {"national", "VUSTA", {"f"}, 0, kNational}};
  std::vector<EntrySlot> entries = {{1, "f", "14-LS", {}, kSonLaLS}};
  AssignmentPlan plan = PlanAssignment(entries, judges, 2);
  EXPECT_TRUE(plan.shortfalls.empty());
  std::vector<std::string> chosen;
  for (const auto& [entry, judge] : plan.added) chosen.push_back(judge);
  EXPECT_THAT(chosen, ::testing::UnorderedElementsAre("langson", "national"));
  EXPECT_EQ(PlanAssignment(entries, judges, 3).shortfalls.size(), 1u);
}

}  // namespace
}  // namespace competition
