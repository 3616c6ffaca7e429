#include "tools/demo/demo_data.h"

#include <set>

#include <gtest/gtest.h>

#include "services/common/validation.h"
#include "tests/support/test_env.h"

namespace fedctl::demo {
namespace {

// The repository's demo table.
std::vector<ProvinceRow> DemoRows() {
  return ReadProvincesCsv(fedtest::SourcePath("deploy/demo/provinces.csv"));
}

TEST(DemoDataTest, SixtyThreeProvincesBecomeThirtyFour) {
  auto rows = DemoRows();
  ASSERT_EQ(rows.size(), 63u);
  std::set<std::string> merged_away;
  for (const auto& merger : Mergers2025(rows)) {
    EXPECT_GE(merger.predecessor_codes_size(), 2);
    bool keeps_own_code = false;
    for (const auto& code : merger.predecessor_codes()) {
      if (code == merger.successor_code())
        keeps_own_code = true;
      else
        merged_away.insert(code);
    }
    EXPECT_TRUE(keeps_own_code) << merger.successor_code();
    EXPECT_EQ(merger.effective_on(), "2025-07-01");
  }
  EXPECT_EQ(rows.size() - merged_away.size(), 34u);
}

TEST(DemoDataTest, ClustersCoverEveryUnitOnceWithMembersAsLeads) {
  auto rows = DemoRows();
  for (int year : {2022, 2023, 2024, 2025}) {
    std::set<std::string> seen;
    for (const auto& cluster : ClustersOfProvinces(rows, year)) {
      std::set<std::string> members(cluster.member_codes().begin(), cluster.member_codes().end());
      EXPECT_EQ(members.count(cluster.head_code()), 1u) << year << "/" << cluster.number();
      EXPECT_EQ(members.count(cluster.deputy_code()), 1u) << year << "/" << cluster.number();
      EXPECT_NE(cluster.head_code(), cluster.deputy_code());
      for (const auto& code : members) EXPECT_TRUE(seen.insert(code).second) << code;
    }
    EXPECT_EQ(seen.size(), 63u);
  }
  auto y2024 = ClustersOfProvinces(rows, 2024);
  EXPECT_EQ(y2024[7].head_code(), "86");
  EXPECT_EQ(y2024[7].deputy_code(), "87");
  size_t successors = 0;
  for (const auto& cluster : ClustersOfSuccessors(rows, 2026))
    successors += cluster.member_codes_size();
  EXPECT_EQ(successors, 34u);
}

TEST(DemoDataTest, OrganisationsArePlausible) {
  auto rows = DemoRows();
  for (const auto& row : rows) {
    auto organization = ProvincialUnion(row);
    EXPECT_GE(organization.member_count(), 10000);
    EXPECT_LE(organization.intellectual_count(), organization.member_count());
  }
  auto son_la = ProvincialUnion(rows[8]);
  EXPECT_EQ(son_la.code(), "14");
  EXPECT_EQ(son_la.member_count(), 200000);
  EXPECT_EQ(son_la.intellectual_count(), 17000);
  EXPECT_EQ(son_la.founded_on(), "2010-04-21");
  for (const auto& association : MemberAssociations(rows)) {
    EXPECT_TRUE(fed::IsValidOrganizationCode(association.code())) << association.code();
    EXPECT_LE(association.intellectual_count(), association.member_count());
  }
}

TEST(DemoDataTest, LeadershipIsDeterministicAndDistinct) {
  auto first = ElectedLeadership("14/3");
  auto again = ElectedLeadership("14/3");
  ASSERT_EQ(first.size(), again.size());
  for (size_t i = 0; i < first.size(); ++i) EXPECT_EQ(first[i].full_name(), again[i].full_name());
  int executive = 0, standing = 0, inspection = 0;
  for (const auto& member : first) {
    executive += member.committee() == federation::v1::COMMITTEE_EXECUTIVE;
    standing += member.committee() == federation::v1::COMMITTEE_STANDING;
    inspection += member.committee() == federation::v1::COMMITTEE_INSPECTION;
  }
  EXPECT_EQ(executive, 15);
  EXPECT_EQ(standing, 5);
  EXPECT_EQ(inspection, 3);
  EXPECT_EQ(CongressPlans().size(), 4u);
}

}  // namespace
}  // namespace fedctl::demo
