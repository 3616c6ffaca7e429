// The running sums stay equal to a recount however reports change.
#include "services/aggregator/figures.h"

#include <cmath>

#include <gtest/gtest.h>

namespace aggregator {
namespace {

Standing MakeStanding(const std::string& org, const std::string& period, v1::ReportState state,
                      double workshops, int64_t sequence, bool accepted) {
  Standing s;
  s.organization_code = org;
  s.period = period;
  s.state = state;
  s.latest_revision = 1;
  s.latest_values.assign(IndicatorCount(), std::nan(""));
  s.latest_values[IndicatorIndex("workshops")] = workshops;
  if (accepted) {
    s.accepted_revision = 1;
    s.accepted_values = s.latest_values;
  }
  s.sequence = sequence;
  return s;
}

double Workshops(const Figures& f, const std::string& period, Scope scope) {
  return f.Totals(period, scope, {IndicatorIndex("workshops")}).totals(0).value();
}

TEST(FiguresTest, ChangesAdjustTheTotalsOfThePeriodAndItsYear) {
  Figures f;
  f.Apply(MakeStanding("14", "2024H1", v1::REPORT_STATE_SUBMITTED, 3, 1, false));
  EXPECT_EQ(Workshops(f, "2024H1", Scope::kAccepted), 0);
  EXPECT_EQ(Workshops(f, "2024H1", Scope::kIncludingSubmitted), 3);
  f.Apply(MakeStanding("14", "2024H1", v1::REPORT_STATE_ACCEPTED, 3, 2, true));
  f.Apply(MakeStanding("14", "2024H2", v1::REPORT_STATE_ACCEPTED, 4, 3, true));
  EXPECT_EQ(Workshops(f, "2024", Scope::kAccepted), 7);
  // A replaced half-year moves the derived year with it.
  f.Apply(MakeStanding("14", "2024H2", v1::REPORT_STATE_ACCEPTED, 10, 4, true));
  EXPECT_EQ(Workshops(f, "2024", Scope::kAccepted), 13);
  // An annual report takes over from the halves.
  f.Apply(MakeStanding("14", "2024", v1::REPORT_STATE_ACCEPTED, 11, 5, true));
  EXPECT_EQ(Workshops(f, "2024", Scope::kAccepted), 11);
  EXPECT_FALSE(f.Totals("2024", Scope::kAccepted, {}).derived());
}

TEST(FiguresTest, StocksOfAYearAreItsYearEndValue) {
  Figures f;
  Standing h1 = MakeStanding("44", "2025H1", v1::REPORT_STATE_ACCEPTED, 2, 1, true);
  h1.latest_values[IndicatorIndex("members")] = 31000;
  h1.accepted_values = h1.latest_values;
  f.Apply(h1);
  Standing h2 = MakeStanding("45", "2025H2", v1::REPORT_STATE_ACCEPTED, 3, 2, true);
  h2.latest_values[IndicatorIndex("members")] = 58000;  // includes Quảng Bình's members
  h2.accepted_values = h2.latest_values;
  f.Apply(h2);
  auto year =
      f.Totals("2025", Scope::kAccepted, {IndicatorIndex("members"), IndicatorIndex("workshops")});
  EXPECT_EQ(year.totals(0).value(), 58000);  // not 89000: 44 merged away before year end
  EXPECT_EQ(year.totals(1).value(), 5);      // flows of both halves still add up
}

TEST(FiguresTest, AnOlderChangeArrivingLateIsIgnored) {
  Figures f;
  f.Apply(MakeStanding("14", "2024H1", v1::REPORT_STATE_ACCEPTED, 9, 7, true));
  f.Apply(MakeStanding("14", "2024H1", v1::REPORT_STATE_ACCEPTED, 2, 5, true));
  EXPECT_EQ(Workshops(f, "2024H1", Scope::kAccepted), 9);
  EXPECT_EQ(f.last_sequence(), 7);
}

}  // namespace
}  // namespace aggregator

namespace aggregator {
namespace {

// A start-up's one-pass rebuild reaches the figures that applying the same
// standings one by one reaches: halves, years derived from them or reported
// on their own, every state, late and duplicate changes.
TEST(FiguresTest, ARebuildCountsWhatApplyingOneByOneCounts) {
  std::vector<Standing> history;
  int64_t sequence = 0;
  const v1::ReportState states[] = {v1::REPORT_STATE_SUBMITTED, v1::REPORT_STATE_ACCEPTED,
                                    v1::REPORT_STATE_RETURNED};
  for (int org = 0; org < 40; ++org) {
    for (const char* period : {"2023H1", "2023H2", "2024H1", "2024H2", "2024"}) {
      if ((org + std::string(period).back()) % 4 == 0) continue;  // not every report exists
      if (std::string(period) == "2024" && org % 3 != 0) continue;
      for (int change = 0; change < 1 + org % 3; ++change) {
        const v1::ReportState state = states[(org + change) % 3];
        Standing s = MakeStanding("P" + std::to_string(org), period, state, org * 7 + change,
                                  ++sequence, state != v1::REPORT_STATE_SUBMITTED || org % 2);
        s.latest_values[IndicatorIndex("members")] = 1000 + org;
        s.latest_values[IndicatorIndex("has_website")] = org % 2;
        if (s.accepted_revision > 0 && change % 2 == 1) {
          s.latest_revision = 2;  // accepted 1, then revised: two sets of values
          s.accepted_values = s.latest_values;
          s.accepted_values[IndicatorIndex("workshops")] -= 1;
        }
        history.push_back(s);
      }
    }
  }
  Figures applied;
  for (const auto& s : history) applied.Apply(s);
  // The rebuild sees them in another order, with one late duplicate.
  std::vector<Standing> shuffled(history.rbegin(), history.rend());
  shuffled.push_back(history.front());
  Figures rebuilt;
  rebuilt.Rebuild(shuffled);

  EXPECT_EQ(rebuilt.last_sequence(), applied.last_sequence());
  for (const char* period : {"2023H1", "2023H2", "2023", "2024H1", "2024H2", "2024"}) {
    for (Scope scope : {Scope::kAccepted, Scope::kIncludingSubmitted}) {
      SCOPED_TRACE(period);
      EXPECT_EQ(rebuilt.Totals(period, scope, {}).SerializeAsString(),
                applied.Totals(period, scope, {}).SerializeAsString());
      EXPECT_GT(applied.Totals(period, scope, {IndicatorIndex("members")})
                    .totals(0)
                    .reporting_organizations(),
                0);
    }
  }
}

}  // namespace
}  // namespace aggregator
