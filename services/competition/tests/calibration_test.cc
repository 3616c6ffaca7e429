// The jury's statistics against answers known in advance: planted judge
// offsets recovered, agreement figures computed by hand, a judge graph in
// two pieces refused.
#include "services/competition/calibration.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "services/competition/tests/simulated_contest.h"

namespace competition {
namespace {

using ::testing::HasSubstr;

TEST(CalibrationTest, PlantedJudgeOffsetsAreRecoveredAndRankEntriesCloserToTheTruth) {
  SimulationPlan plan;
  plan.entries = 150;
  plan.offsets = {2.0, -1.5, 0.0, 1.0, -1.0, -0.5};  // mean 0: the model's reference
  // Entries close together, as at the top of a contest, where a judge's
  // habit decides more places than the noise does.
  plan.quality_low = 72;
  plan.quality_high = 78;
  plan.noise_sd = 1.0;
  const SimulatedContest contest = Simulate(plan);
  const Calibration fit = Calibrate(contest.sheets);
  ASSERT_TRUE(fit.comparable) << fit.why_not;
  ASSERT_EQ(fit.judges.size(), plan.offsets.size());
  for (size_t j = 0; j < plan.offsets.size(); ++j) {
    EXPECT_EQ(fit.judges[j].judge, SimulatedJudge(j));
    EXPECT_NEAR(fit.judges[j].offset, plan.offsets[j], 0.4) << fit.judges[j].judge;
    // The interval holds the planted value (a 3-sigma band: the test must not flake).
    EXPECT_LT(std::abs(fit.judges[j].offset - plan.offsets[j]), 3 * fit.judges[j].se + 0.1);
  }
  EXPECT_NEAR(fit.residual_sd, plan.noise_sd, 0.2);
  // The lenient judge (+2) scored above the consensus far more often than the tough one.
  EXPECT_LT(fit.judges[0].toughness_share, 0.3);
  EXPECT_GT(fit.judges[1].toughness_share, 0.7);

  std::vector<double> raw, calibrated;
  for (const EntryCalibration& entry : fit.entries) {
    raw.push_back(entry.raw_mean);
    calibrated.push_back(entry.calibrated);
  }
  const double raw_rho = SpearmanCorrelation(raw, contest.quality);
  const double calibrated_rho = SpearmanCorrelation(calibrated, contest.quality);
  std::printf("rank correlation with the planted quality: raw mean %.4f, calibrated %.4f\n",
              raw_rho, calibrated_rho);
  EXPECT_GT(calibrated_rho, raw_rho);
}

TEST(CalibrationTest, AJudgeWithOneSheetIsShrunkTowardNoOffset) {
  // Three judges score every entry; a fourth scores one entry 4 points high.
  SimulationPlan plan;
  plan.entries = 40;
  plan.offsets = {0, 0, 0};
  plan.min_sheets = plan.max_sheets = 3;
  plan.noise_sd = 0.5;
  SimulatedContest contest = Simulate(plan);
  contest.sheets.push_back({"judge-once", 1, contest.quality[0] + 4});
  const Calibration fit = Calibrate(contest.sheets);
  ASSERT_TRUE(fit.comparable) << fit.why_not;
  const JudgeCalibration& once = fit.judges.back();
  ASSERT_EQ(once.judge, "judge-once");
  EXPECT_EQ(once.sheets, 1);
  // Unshrunk, one sheet 4 points high would be an offset near 4.
  EXPECT_GT(once.offset, 0.3);
  EXPECT_LT(once.offset, 1.5);
  EXPECT_GT(once.se, fit.judges[0].se) << "one sheet is weaker evidence than forty";
}

TEST(CalibrationTest, JudgesWhoShareNoEntryAreNotComparable) {
  const std::vector<SheetTotal> sheets = {
      {"an", 1, 70},  {"binh", 1, 72}, {"an", 2, 80},  {"binh", 2, 79},
      {"chi", 3, 60}, {"dung", 3, 65}, {"chi", 4, 90}, {"dung", 4, 88},
  };
  const Calibration fit = Calibrate(sheets);
  EXPECT_FALSE(fit.comparable);
  EXPECT_EQ(fit.components, 2);
  EXPECT_THAT(fit.why_not, HasSubstr("2 groups"));
  EXPECT_TRUE(fit.entries.empty()) << "no numbers without a common scale";
  EXPECT_TRUE(fit.judges.empty());

  EXPECT_FALSE(Calibrate({{"an", 1, 70}, {"an", 2, 80}}).comparable);
  EXPECT_FALSE(Calibrate({}).comparable);
}

TEST(AgreementTest, KrippendorffsAlphaAndIccMatchHandComputedValues) {
  // Three entries, two sheets each: {1, 2}, {3, 3}, {5, 4}.
  // Alpha: D_o = (2 + 0 + 2) / 6, D_e = 2 (6 * 64 - 18^2) / (6 * 5) = 4 -> 1 - (2/3) / 4 = 5/6.
  // ICC(1): MSB = 9 / 2, MSW = 1 / 3, n0 = 2 -> (4.5 - 1/3) / (4.5 + 1/3) = 25/29.
  // A fourth entry with one sheet counts in neither.
  const std::vector<SheetTotal> sheets = {{"a", 1, 1}, {"b", 1, 2}, {"a", 2, 3}, {"c", 2, 3},
                                          {"b", 3, 5}, {"c", 3, 4}, {"a", 4, 9}};
  const Agreement agreement = AgreementOf(sheets);
  EXPECT_EQ(agreement.units, 3);
  EXPECT_NEAR(agreement.krippendorff_alpha, 5.0 / 6.0, 1e-12);
  EXPECT_NEAR(agreement.icc1, 25.0 / 29.0, 1e-12);

  const Agreement perfect = AgreementOf({{"a", 1, 10}, {"b", 1, 10}, {"a", 2, 20}, {"b", 2, 20}});
  EXPECT_DOUBLE_EQ(perfect.krippendorff_alpha, 1);
  EXPECT_DOUBLE_EQ(perfect.icc1, 1);

  EXPECT_TRUE(std::isnan(AgreementOf({{"a", 1, 10}, {"b", 2, 20}}).krippendorff_alpha))
      << "no entry with two sheets: nothing to agree on";
}

TEST(SpreadTest, MedianSpreadIntervalAndDisagreement) {
  const EntrySpread s = SpreadOf({80, 60, 70}, 100);
  EXPECT_EQ(s.sheets, 3);
  EXPECT_DOUBLE_EQ(s.mean, 70);
  EXPECT_DOUBLE_EQ(s.median, 70);
  EXPECT_DOUBLE_EQ(s.sd, 10);
  EXPECT_DOUBLE_EQ(s.min, 60);
  EXPECT_DOUBLE_EQ(s.max, 80);
  EXPECT_NEAR(s.high - s.mean, 4.303 * 10 / std::sqrt(3.0), 1e-9);
  EXPECT_FALSE(s.disagreement) << "20 points of 100 is within a quarter";
  EXPECT_TRUE(SpreadOf({50, 80}, 100).disagreement);
  EXPECT_DOUBLE_EQ(SpreadOf({50, 80, 60, 70}, 100).median, 65);

  const EntrySpread one = SpreadOf({75}, 100);
  EXPECT_EQ(one.low, 75);
  EXPECT_EQ(one.high, 75);
  EXPECT_FALSE(one.disagreement);
}

TEST(SpreadTest, StudentTQuantilesNeverNarrowerThanTheTable) {
  EXPECT_DOUBLE_EQ(StudentT95(1), 12.706);
  EXPECT_DOUBLE_EQ(StudentT95(4), 2.776);
  EXPECT_DOUBLE_EQ(StudentT95(35), 2.042);
  EXPECT_DOUBLE_EQ(StudentT95(1000), 1.960);
  EXPECT_TRUE(std::isnan(StudentT95(0)));
}

TEST(BoundaryTest, APrizeLineBetweenOverlappingIntervalsIsFlagged) {
  const std::vector<ScoredInterval> ranked = {
      {1, 90, 88, 92}, {2, 85, 83, 87}, {3, 84, 82, 86}, {4, 70, 68, 72}};
  // After 1: 88 > 87, clear. After 2: 83 <= 86, overlap. After 3: 82 > 72, clear.
  const auto overlaps = OverlappingBoundaries(ranked, {1, 2, 3, 4, 0});
  ASSERT_EQ(overlaps.size(), 1u);
  EXPECT_EQ(overlaps[0].after_rank, 2);
  EXPECT_EQ(overlaps[0].above, 2);
  EXPECT_EQ(overlaps[0].below, 3);
}

TEST(SpearmanTest, SameOrderReversedAndTies) {
  EXPECT_DOUBLE_EQ(SpearmanCorrelation({1, 2, 3}, {10, 20, 30}), 1);
  EXPECT_DOUBLE_EQ(SpearmanCorrelation({1, 2, 3}, {3, 2, 1}), -1);
  EXPECT_NEAR(SpearmanCorrelation({1, 2, 2, 3}, {1, 2, 3, 4}), 0.9486832980505138, 1e-12);
  EXPECT_TRUE(std::isnan(SpearmanCorrelation({1, 1}, {1, 2})));
}

}  // namespace
}  // namespace competition
