// The reporting service's own edge rules, without a server: completeness,
// the organisation's life against a period, the request key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/catalog.h"
#include "services/reporting/validate.h"

namespace reporting {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::Organization Org(const std::string& from, const std::string& until) {
  v1::Organization org;
  org.set_code("44");
  org.set_active_from(from);
  org.set_active_until(until);
  return org;
}

fed::Period P(const std::string& text) { return *fed::Period::Parse(text); }

TEST(ActiveDuringTest, FollowsTheRegistrysHalfOpenLifetime) {
  // active_until is the first day it no longer exists.
  EXPECT_TRUE(ActiveDuring(Org("2009-01-01", "2025-07-01"), P("2025H1")));
  EXPECT_FALSE(ActiveDuring(Org("2009-01-01", "2025-07-01"), P("2025H2")));
  EXPECT_TRUE(ActiveDuring(Org("2009-01-01", "2025-07-02"), P("2025H2")));
  EXPECT_TRUE(ActiveDuring(Org("2009-01-01", "2025-07-01"), P("2025")));
  EXPECT_TRUE(ActiveDuring(Org("2025-06-30", ""), P("2025H1")));
  EXPECT_FALSE(ActiveDuring(Org("2025-07-01", ""), P("2025H1")));
  EXPECT_TRUE(ActiveDuring(Org("2025-07-01", ""), P("2025Q3")));
  EXPECT_FALSE(ActiveDuring(Org("", ""), P("2025Q3"))) << "no start date, no answer";
}

TEST(ActiveDuringTest, ViolationNamesTheOrganisationAndItsDates) {
  fed::Violations v;
  CheckActiveDuring(v, Org("2009-01-01", "2025-07-01"), P("2025H2"));
  ASSERT_EQ(v.errors().violations_size(), 1);
  EXPECT_EQ(v.errors().violations(0).field(), "organization_code");
  EXPECT_THAT(
      v.errors().violations(0).description(),
      HasSubstr("44 was not active during 2025H2 (active from 2009-01-01 until 2025-07-01)"));
}

TEST(CompletenessTest, EveryIndicatorWithoutAValueIsOneProblem) {
  v1::Report report;
  fed::Violations v;
  CheckComplete(v, report);
  EXPECT_EQ(v.errors().violations_size(), fed::LatestCatalog().indicators_size());

  for (const auto& indicator : fed::LatestCatalog().indicators()) {
    auto* value = report.add_values();
    value->set_code(indicator.code());
    if (indicator.type() == v1::INDICATOR_TYPE_BOOLEAN)
      value->set_flag(false);
    else
      value->set_count(0);
  }
  fed::Violations none;
  CheckComplete(none, report);
  EXPECT_TRUE(none.empty());

  report.mutable_values()->DeleteSubrange(7, 1);  // congress_held
  fed::Violations one;
  CheckComplete(one, report);
  ASSERT_EQ(one.errors().violations_size(), 1);
  EXPECT_EQ(one.errors().violations(0).description(),
            "congress_held has no value (give false when there was none)");
}

TEST(ReportKeyTest, ListsCodeAndPeriodProblemsTogether) {
  const absl::CivilDay today(2026, 1, 20);
  auto fields = [&](const std::string& org, const std::string& period) {
    std::vector<std::string> out;
    const fed::Violations violations = ValidateReportKey(org, period, today);
    for (const auto& v : violations.errors().violations()) {
      out.push_back(v.field());
    }
    return out;
  };
  EXPECT_THAT(fields("14", "2025H1"), ElementsAre());
  EXPECT_THAT(fields("14", "2026H1"), ElementsAre()) << "started on 1 January";
  EXPECT_THAT(fields("14", "2026H2"), ElementsAre("period"));
  EXPECT_THAT(fields("", ""), ElementsAre("organization_code", "period"));
  EXPECT_THAT(fields("son la", "2025h1"), ElementsAre("organization_code", "period"));
}

}  // namespace
}  // namespace reporting
