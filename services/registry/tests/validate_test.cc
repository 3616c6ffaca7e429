// Edge validation without a server: every problem is reported with its field.
#include "services/registry/validate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace registry {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Fields(const fed::Violations& v) {
  std::vector<std::string> fields;
  for (const auto& violation : v.errors().violations()) fields.push_back(violation.field());
  return fields;
}

TEST(ValidateCreateOrganizationTest, ValidAssociationPasses) {
  v1::CreateOrganizationRequest req;
  auto* org = req.mutable_organization();
  org->set_code("14-KT");
  org->set_kind(v1::ORGANIZATION_KIND_MEMBER_ASSOCIATION);
  org->set_name("Hội Kinh tế tỉnh Sơn La");
  org->set_parent_code("14");
  org->set_founded_on("2011-05-10");
  org->set_active_from("2011-05-10");
  org->set_member_count(350);
  org->set_intellectual_count(120);
  EXPECT_TRUE(ValidateCreateOrganization(req).empty());
}

TEST(ValidateCreateOrganizationTest, ProvinceNeedsTwoDigitCodeAndParent) {
  v1::CreateOrganizationRequest req;
  auto* org = req.mutable_organization();
  org->set_code("SONLA");
  org->set_kind(v1::ORGANIZATION_KIND_PROVINCIAL_UNION);
  org->set_name("LHH Sơn La");
  org->set_active_from("2010-04-21");
  EXPECT_THAT(Fields(ValidateCreateOrganization(req)),
              ElementsAre("organization.code", "organization.parent_code"));
}

TEST(ValidateCreateOrganizationTest, NegativeCountsAndMissingKindAreAllReported) {
  v1::CreateOrganizationRequest req;
  auto* org = req.mutable_organization();
  org->set_code("X1");
  org->set_name("Hội");
  org->set_member_count(-1);
  org->set_intellectual_count(-5);
  EXPECT_THAT(Fields(ValidateCreateOrganization(req)),
              ElementsAre("organization.kind", "organization.member_count",
                          "organization.intellectual_count", "organization.active_from"));
}

TEST(ValidateMergerTest, DuplicatesAndMissingDateAreReported) {
  v1::Merger merger;
  merger.set_successor_code("45");
  merger.add_predecessor_codes("44");
  merger.add_predecessor_codes("44");
  EXPECT_THAT(Fields(ValidateMerger(merger)),
              ElementsAre("merger.effective_on", "merger.predecessor_codes[1]"));
}

TEST(ValidateClusterTest, YearNumberAndMembersAreChecked) {
  v1::EmulationCluster cluster;
  cluster.set_year(1800);
  cluster.set_number(0);
  cluster.set_name("Cụm");
  EXPECT_THAT(Fields(ValidateCluster(cluster)),
              ElementsAre("cluster.year", "cluster.number", "cluster.member_codes"));
}

TEST(ValidateCongressTermTest, TwoChairsAreRefused) {
  v1::CongressTerm term;
  term.set_organization_code("14");
  term.set_term_number(3);
  term.set_start_year(2020);
  term.set_end_year(2025);
  for (const char* name : {"A Văn B", "C Thị D"}) {
    auto* m = term.add_members();
    m->set_full_name(name);
    m->set_committee(v1::COMMITTEE_EXECUTIVE);
    m->set_position(v1::POSITION_CHAIR);
  }
  EXPECT_THAT(Fields(ValidateCongressTerm(term)), ElementsAre("term.members"));
}

}  // namespace
}  // namespace registry
