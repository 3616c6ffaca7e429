#include "tools/demo/demo_reports.h"

#include <map>
#include <set>

#include <gtest/gtest.h>

#include "services/common/catalog.h"
#include "services/common/period.h"
#include "services/common/report_validation.h"
#include "tests/support/test_env.h"

namespace fedctl::demo {
namespace {

namespace v1 = federation::v1;

// The day the demo was written for: 2025H2 has started (and is past due).
const absl::CivilDay kToday(2026, 11, 25);

// The repository's demo table.
std::vector<ProvinceRow> DemoRows() {
  return ReadProvincesCsv(fedtest::SourcePath("deploy/demo/provinces.csv"));
}

std::map<std::string, int64_t> Counts(const v1::Report& report) {
  std::map<std::string, int64_t> counts;
  for (const auto& value : report.values())
    counts[value.code()] = static_cast<int64_t>(fed::NumericValue(value));
  return counts;
}

TEST(DemoReportsTest, Deterministic) {
  const auto rows = DemoRows();
  const ReportHistory a = GenerateReportHistory(rows, kToday);
  const ReportHistory b = GenerateReportHistory(rows, kToday);
  ASSERT_EQ(a.reports.size(), b.reports.size());
  for (size_t i = 0; i < a.reports.size(); ++i) {
    EXPECT_EQ(a.reports[i].first.SerializeAsString(), b.reports[i].first.SerializeAsString());
    EXPECT_EQ(a.reports[i].second.SerializeAsString(), b.reports[i].second.SerializeAsString());
    EXPECT_EQ(a.reports[i].review, b.reports[i].review);
  }
  EXPECT_EQ(a.missing, b.missing);
  // A later day changes nothing once every period has started.
  const ReportHistory later = GenerateReportHistory(rows, absl::CivilDay(2027, 3, 1));
  ASSERT_EQ(later.reports.size(), a.reports.size());
  EXPECT_EQ(later.reports.back().first.SerializeAsString(),
            a.reports.back().first.SerializeAsString());
}

TEST(DemoReportsTest, EveryRevisionIsValid) {
  const ReportHistory history = GenerateReportHistory(DemoRows(), kToday);
  for (const auto& planned : history.reports) {
    for (const v1::Report* report : {&planned.first, &planned.second}) {
      if (report->revision() == 0) continue;
      const fed::Violations v = fed::ValidateReportContent(*report, kToday);
      EXPECT_TRUE(v.empty()) << report->organization_code() << " " << report->period() << " r"
                             << report->revision() << ": " << v.errors().DebugString();
      const auto counts = Counts(*report);
      if (counts.count("intellectuals") && counts.count("members")) {
        EXPECT_LE(counts.at("intellectuals"), counts.at("members")) << report->organization_code();
      }
      // Submitted after the period ended and, for revision 1, by or after the due date as planned.
      const auto period = fed::Period::Parse(report->period());
      ASSERT_TRUE(period.ok());
      const absl::CivilDay submitted = absl::ToCivilDay(
          absl::FromUnixSeconds(report->submitted_at().seconds()), absl::FixedTimeZone(7 * 3600));
      EXPECT_GT(submitted, period->LastDay())
          << report->organization_code() << " " << report->period();
      EXPECT_LE(submitted, kToday);
      if (report->revision() == 1) {
        EXPECT_EQ(submitted > period->DueDate(), planned.late);
      }
    }
    if (planned.review != ReviewPlan::kAccept && planned.review != ReviewPlan::kLeaveSubmitted) {
      EXPECT_FALSE(planned.return_comment.empty());
      // The returned revision differs from the resubmission.
      if (planned.second.revision() == 2) {
        v1::Report second_as_first = planned.second;
        second_as_first.set_revision(1);
        second_as_first.mutable_submitted_at()->CopyFrom(planned.first.submitted_at());
        EXPECT_NE(second_as_first.SerializeAsString(), planned.first.SerializeAsString());
      }
    }
  }
}

TEST(DemoReportsTest, MagnitudesArePlausible) {
  const ReportHistory history = GenerateReportHistory(DemoRows(), kToday);
  for (const auto& planned : history.reports) {
    // Returned revisions are wrong on purpose; look at what the province meant.
    if (planned.review == ReviewPlan::kLeaveReturned) continue;
    const v1::Report& report = planned.second.revision() != 0 ? planned.second : planned.first;
    if (report.period() == "2015") continue;
    const auto c = Counts(report);
    const bool successor = report.period() == kFirstSuccessorPeriod;
    EXPECT_GE(c.at("members"), 10000) << report.organization_code();
    EXPECT_LE(c.at("members"), successor ? 500000 : 250000) << report.organization_code();
    if (!successor) {
      EXPECT_GE(c.at("member_associations"), 10);
      EXPECT_LE(c.at("member_associations"), 40);
    }
    EXPECT_LE(c.at("contest_prizes"), c.at("contest_entries"));
    EXPECT_LE(c.at("tech_contest_by_union"), c.at("tech_contest_held"));
    EXPECT_LE(c.at("workshops"), 15);
  }
}

TEST(DemoReportsTest, StableCountsOfMissingLateAndReturned) {
  const auto rows = DemoRows();
  const ReportHistory history = GenerateReportHistory(rows, kToday);
  std::map<ReviewPlan, int> by_plan;
  std::map<std::string, int> reports_of_period;
  int late = 0;
  for (const auto& planned : history.reports) {
    ++by_plan[planned.review];
    ++reports_of_period[planned.first.period()];
    if (planned.late) ++late;
  }
  std::map<std::string, int> missing_of_period;
  for (const auto& [org, period] : history.missing) ++missing_of_period[period];

  // 13 half-years of 63 provinces, 2025H2 of 34 successors, Sơn La's 2015.
  EXPECT_EQ(reports_of_period.size(), 15u);
  for (const auto& [period, count] : reports_of_period) {
    const int expected = period == "2015" ? 1 : period == "2025H2" ? 34 : 63;
    EXPECT_EQ(count + missing_of_period[period], expected) << period;
  }
  // Pinned: these change only when the generator does (and then the demo's
  // story changes with them).
  EXPECT_EQ(history.missing.size(), 26u);
  EXPECT_EQ(history.reports.size(), 828u);
  EXPECT_EQ(late, 60);
  EXPECT_EQ(by_plan[ReviewPlan::kReturnThenAccept], 29);
  // The open period leaves work for the national board.
  EXPECT_EQ(missing_of_period["2025H2"], 3);
  EXPECT_EQ(by_plan[ReviewPlan::kReturnThenResubmit], 2);
  EXPECT_EQ(by_plan[ReviewPlan::kLeaveReturned], 4);
  EXPECT_EQ(by_plan[ReviewPlan::kLeaveSubmitted], 8);
}

TEST(DemoReportsTest, SuccessorsOnlyOnceTheirPeriodHasStarted) {
  const auto rows = DemoRows();
  const ReportHistory before = GenerateReportHistory(rows, absl::CivilDay(2025, 6, 30));
  for (const auto& planned : before.reports) EXPECT_NE(planned.first.period(), "2025H2");
  std::set<std::string> successors;
  for (const auto& planned : GenerateReportHistory(rows, kToday).reports) {
    if (planned.first.period() == "2025H2") successors.insert(planned.first.organization_code());
  }
  EXPECT_EQ(successors.size(), 31u);  // 34 less 3 missing
}

TEST(DemoReportsTest, SonLa2015IsTheSeedFigures) {
  const v1::Report report = SonLa2015Report();
  EXPECT_EQ(report.organization_code(), "14");
  EXPECT_EQ(report.period(), "2015");
  const auto c = Counts(report);
  EXPECT_EQ(c.at("member_associations"), 15);
  EXPECT_EQ(c.at("collective_members"), 3);
  EXPECT_EQ(c.at("members"), 200000);
  EXPECT_EQ(c.at("intellectuals"), 17000);
  EXPECT_TRUE(fed::ValidateReportContent(report, kToday).empty());
  // And Sơn La stays above its 2015 figure afterwards.
  for (const auto& planned : GenerateReportHistory(DemoRows(), kToday).reports) {
    if (planned.first.organization_code() != "14" || planned.first.period() == "2015") continue;
    const v1::Report& r = planned.second.revision() != 0 ? planned.second : planned.first;
    EXPECT_GT(Counts(r).at("members"), 200000) << r.period();
  }
}

}  // namespace
}  // namespace fedctl::demo
