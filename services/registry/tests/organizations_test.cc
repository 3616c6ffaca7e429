// Organisations over real gRPC and PostgreSQL: create, read, update with
// history, bad input refused whole, Unicode normalisation.
#include <pqxx/pqxx>

#include "services/registry/tests/registry_fixture.h"

namespace registry::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsSupersetOf;

TEST_F(RegistryTest, CreatedProvinceCanBeReadBack) {
  CreateNational();
  ASSERT_TRUE(CreateProvince("14", "Sơn La", "Tây Bắc").ok());
  v1::GetOrganizationRequest req;
  req.set_code("14");
  v1::Organization org;
  ASSERT_TRUE(stub_->GetOrganization(Admin().get(), req, &org).ok());
  EXPECT_EQ(org.name(), "Liên hiệp các Hội Khoa học và Kỹ thuật Sơn La");
  EXPECT_EQ(org.parent_code(), "VUSTA");
  EXPECT_EQ(org.status(), v1::ORGANIZATION_STATUS_ACTIVE);
  EXPECT_EQ(org.revision(), 1);
  EXPECT_EQ(org.updated_by(), "test-national_admin-VUSTA");
}

TEST_F(RegistryTest, UnknownCodeIsNotFound) {
  v1::GetOrganizationRequest req;
  req.set_code("99");
  v1::Organization org;
  EXPECT_EQ(stub_->GetOrganization(Admin().get(), req, &org).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(RegistryTest, BadOrganizationListsEveryProblemAndWritesNothing) {
  CreateNational();
  const int audit_before = AuditCount();
  v1::CreateOrganizationRequest req;
  auto* org = req.mutable_organization();
  org->set_code("1");  // malformed
  org->set_kind(v1::ORGANIZATION_KIND_PROVINCIAL_UNION);
  org->set_name("");                           // empty
  org->set_short_name(std::string(200, 'x'));  // over-long
  org->set_parent_code("VUSTA");
  org->set_founded_on("2010-02-30");  // not a date
  org->set_active_from("2008-08-01");
  org->set_member_count(100);
  org->set_intellectual_count(200);  // more than members
  v1::Organization out;
  grpc::Status status = stub_->CreateOrganization(Admin().get(), req, &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(status),
              IsSupersetOf({"organization.code", "organization.name", "organization.short_name",
                            "organization.founded_on", "organization.intellectual_count"}));
  EXPECT_THAT(ProvinceCodesAsOf("2024-01-01"), ::testing::IsEmpty());
  EXPECT_EQ(AuditCount(), audit_before);
}

TEST_F(RegistryTest, UnknownParentIsRefusedWithItsField) {
  CreateNational();
  v1::Organization out;
  grpc::Status status = CreateAssociation("77-KT", "77", "Hội Kinh tế", Admin().get(), &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(status), ElementsAre("organization.parent_code"));
}

TEST_F(RegistryTest, DuplicateCodeIsAlreadyExists) {
  CreateNational();
  ASSERT_TRUE(CreateProvince("14", "Sơn La").ok());
  EXPECT_EQ(CreateProvince("14", "Sơn La").error_code(), grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(RegistryTest, UpdatesKeepEveryEarlierRevisionInTheHistory) {
  CreateNational();
  ASSERT_TRUE(CreateProvince("20", "Lạng Sơn").ok());
  for (int members : {12000, 12500}) {
    v1::GetOrganizationRequest get;
    get.set_code("20");
    v1::Organization org;
    ASSERT_TRUE(stub_->GetOrganization(Admin().get(), get, &org).ok());
    v1::UpdateOrganizationRequest update;
    *update.mutable_organization() = org;
    update.mutable_organization()->set_member_count(members);
    update.set_expected_revision(org.revision());
    v1::Organization updated;
    ASSERT_TRUE(stub_->UpdateOrganization(Admin().get(), update, &updated).ok());
    EXPECT_EQ(updated.member_count(), members);
  }
  v1::GetOrganizationHistoryRequest req;
  req.set_code("20");
  v1::OrganizationHistory history;
  ASSERT_TRUE(stub_->GetOrganizationHistory(Admin().get(), req, &history).ok());
  ASSERT_EQ(history.revisions_size(), 3);
  EXPECT_EQ(history.revisions(0).change(), "created");
  EXPECT_EQ(history.revisions(0).organization().member_count(), 10000);
  EXPECT_EQ(history.revisions(1).organization().member_count(), 12000);
  EXPECT_EQ(history.revisions(2).organization().member_count(), 12500);
}

TEST_F(RegistryTest, StaleRevisionIsRefusedInsteadOfOverwriting) {
  CreateNational();
  ASSERT_TRUE(CreateProvince("20", "Lạng Sơn").ok());
  v1::GetOrganizationRequest get;
  get.set_code("20");
  v1::Organization org;
  ASSERT_TRUE(stub_->GetOrganization(Admin().get(), get, &org).ok());
  // Two clerks read revision 1; the first saves, the second must not win.
  v1::UpdateOrganizationRequest first;
  *first.mutable_organization() = org;
  first.mutable_organization()->set_member_count(15000);
  first.set_expected_revision(org.revision());
  v1::UpdateOrganizationRequest second = first;
  second.mutable_organization()->set_member_count(9000);
  v1::Organization out;
  ASSERT_TRUE(stub_->UpdateOrganization(Admin().get(), first, &out).ok());
  EXPECT_EQ(stub_->UpdateOrganization(Admin().get(), second, &out).error_code(),
            grpc::StatusCode::ABORTED);
  ASSERT_TRUE(stub_->GetOrganization(Admin().get(), get, &org).ok());
  EXPECT_EQ(org.member_count(), 15000);
}

TEST_F(RegistryTest, NamesAreStoredInNfc) {
  CreateNational();
  // "Hoà Bình" typed with combining accents (o + U+0300, i + U+0300).
  const std::string decomposed = "Ho\x61\xCC\x80 Bi\xCC\x80nh";
  ASSERT_TRUE(CreateProvince("17", decomposed).ok());
  v1::GetOrganizationRequest get;
  get.set_code("17");
  v1::Organization org;
  ASSERT_TRUE(stub_->GetOrganization(Admin().get(), get, &org).ok());
  EXPECT_EQ(org.short_name(), "LHH Hoà Bình");  // precomposed à and ì
}

TEST_F(RegistryTest, RetiringEndsTheOrganisationButKeepsIt) {
  CreateNational();
  ASSERT_TRUE(CreateProvince("14", "Sơn La").ok());
  v1::Organization assoc;
  ASSERT_TRUE(CreateAssociation("14-KT", "14", "Hội Kinh tế Sơn La", Admin().get(), &assoc).ok());
  v1::RetireOrganizationRequest retire;
  retire.set_code("14-KT");
  retire.set_effective_on("2020-01-01");
  retire.set_reason("Quyết định giải thể số 12/QĐ");
  v1::Organization out;
  ASSERT_TRUE(stub_->RetireOrganization(Admin().get(), retire, &out).ok());
  EXPECT_EQ(out.active_until(), "2020-01-01");
  EXPECT_EQ(out.status(), v1::ORGANIZATION_STATUS_RETIRED);
  // Still readable, listed as of a date when it existed, gone after.
  v1::ListOrganizationsRequest list;
  list.set_parent_code("14");
  list.set_as_of("2019-06-30");
  v1::ListOrganizationsResponse before;
  ASSERT_TRUE(stub_->ListOrganizations(Admin().get(), list, &before).ok());
  EXPECT_EQ(before.organizations_size(), 1);
  list.set_as_of("2020-01-01");
  v1::ListOrganizationsResponse after;
  ASSERT_TRUE(stub_->ListOrganizations(Admin().get(), list, &after).ok());
  EXPECT_EQ(after.organizations_size(), 0);
  // Retiring twice is refused.
  EXPECT_EQ(stub_->RetireOrganization(Admin().get(), retire, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(RegistryTest, ListingPagesThroughEveryProvince) {
  LoadProvincesAndMerger();
  v1::ListOrganizationsRequest req;
  req.set_kind(v1::ORGANIZATION_KIND_PROVINCIAL_UNION);
  req.set_as_of("2024-12-31");
  req.set_page_size(10);
  std::vector<std::string> codes;
  for (int pages = 0; pages < 20; ++pages) {
    v1::ListOrganizationsResponse out;
    ASSERT_TRUE(stub_->ListOrganizations(Admin().get(), req, &out).ok());
    for (const auto& org : out.organizations()) codes.push_back(org.code());
    if (out.next_page_token().empty()) break;
    req.set_page_token(out.next_page_token());
  }
  EXPECT_EQ(codes.size(), 63u);
  EXPECT_TRUE(std::is_sorted(codes.begin(), codes.end()));
}

}  // namespace
}  // namespace registry::testing
