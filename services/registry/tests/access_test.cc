// Identity and authorisation at the registry's edge, and the audit log.
#include <pqxx/pqxx>

#include "services/common/client.h"
#include "services/registry/tests/registry_fixture.h"

namespace registry::testing {
namespace {

TEST_F(RegistryTest, CallWithoutTokenIsUnauthenticated) {
  v1::GetOrganizationRequest req;
  req.set_code("VUSTA");
  v1::Organization out;
  EXPECT_EQ(stub_->GetOrganization(fedtest::AnonymousContext().get(), req, &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(RegistryTest, ForgedTokenIsUnauthenticated) {
  // The same kid as the test issuer's, another key: the signature fails.
  fed::TokenIssuer other("test", fed::SigningKey::Generate());
  auto ctx = fed::OutgoingContext(
      other.SignClaims(fedtest::ClaimsFor(v1::ROLE_NATIONAL_ADMIN, "VUSTA", "mallory")),
      absl::Seconds(30));
  v1::CreateOrganizationRequest req;
  v1::Organization out;
  EXPECT_EQ(stub_->CreateOrganization(ctx.get(), req, &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(RegistryTest, ViewerMayReadButNotWrite) {
  CreateNational();
  auto viewer = [] { return ContextAs(v1::ROLE_VIEWER, "VUSTA"); };
  v1::GetOrganizationRequest get;
  get.set_code("VUSTA");
  v1::Organization org;
  ASSERT_TRUE(stub_->GetOrganization(viewer().get(), get, &org).ok());
  v1::UpdateOrganizationRequest update;
  *update.mutable_organization() = org;
  update.mutable_organization()->set_member_count(1);
  EXPECT_EQ(stub_->UpdateOrganization(viewer().get(), update, &org).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(RegistryTest, ProvinceWritesItsOwnButNotAnothersData) {
  CreateNational();
  ASSERT_TRUE(CreateProvince("14", "Sơn La").ok());
  ASSERT_TRUE(CreateProvince("20", "Lạng Sơn").ok());
  auto son_la = [] { return ContextAs(v1::ROLE_PROVINCE_REPORTER, "14"); };
  v1::Organization assoc;
  ASSERT_TRUE(CreateAssociation("14-DH", "14", "Hội Dược học Sơn La", son_la().get(), &assoc).ok());
  grpc::Status cross =
      CreateAssociation("20-DH", "20", "Hội Dược học Lạng Sơn", son_la().get(), &assoc);
  EXPECT_EQ(cross.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  v1::GetOrganizationRequest get;
  get.set_code("20");
  v1::Organization lang_son;
  ASSERT_TRUE(stub_->GetOrganization(son_la().get(), get, &lang_son).ok());
  v1::UpdateOrganizationRequest update;
  *update.mutable_organization() = lang_son;
  update.mutable_organization()->set_member_count(1);
  EXPECT_EQ(stub_->UpdateOrganization(son_la().get(), update, &lang_son).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub_->GetOrganization(Admin().get(), get, &lang_son).ok());
  EXPECT_EQ(lang_son.member_count(), 10000);  // unchanged

  // Nor its own union's record (status, counts: they feed national
  // figures), nor, as the national union's staff, any province's.
  get.set_code("14");
  v1::Organization own;
  ASSERT_TRUE(stub_->GetOrganization(son_la().get(), get, &own).ok());
  *update.mutable_organization() = own;
  update.mutable_organization()->set_member_count(999999);
  EXPECT_EQ(stub_->UpdateOrganization(son_la().get(), update, &own).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(
      stub_->UpdateOrganization(ContextAs(v1::ROLE_PROVINCE_REPORTER, "VUSTA").get(), update, &own)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub_->GetOrganization(Admin().get(), get, &own).ok());
  EXPECT_NE(own.member_count(), 999999);
  // Its associations stay its own to keep.
  get.set_code("14-DH");
  ASSERT_TRUE(stub_->GetOrganization(son_la().get(), get, &own).ok());
  *update.mutable_organization() = own;
  update.mutable_organization()->set_member_count(120);
  ASSERT_TRUE(stub_->UpdateOrganization(son_la().get(), update, &own).ok());
  EXPECT_EQ(own.member_count(), 120);

  // A province may not create provinces, even "its own".
  EXPECT_EQ(CreateProvince("99", "Giả").error_code(), grpc::StatusCode::OK);  // admin can
  v1::CreateOrganizationRequest province;
  province.mutable_organization()->set_code("98");
  province.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_PROVINCIAL_UNION);
  province.mutable_organization()->set_name("Tỉnh giả");
  province.mutable_organization()->set_parent_code("VUSTA");
  province.mutable_organization()->set_active_from("2020-01-01");
  EXPECT_EQ(stub_->CreateOrganization(son_la().get(), province, &assoc).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(RegistryTest, EveryWriteLeavesAnAppendOnlyAuditRow) {
  CreateNational();
  ASSERT_TRUE(CreateProvince("14", "Sơn La").ok());
  v1::Organization assoc;
  ASSERT_TRUE(CreateAssociation("14-KT", "14", "Hội Kinh tế Sơn La",
                                ContextAs(v1::ROLE_PROVINCE_REPORTER, "14").get(), &assoc)
                  .ok());
  v1::ListAuditEventsRequest req;
  v1::ListAuditEventsResponse out;
  ASSERT_TRUE(stub_->ListAuditEvents(Admin().get(), req, &out).ok());
  ASSERT_EQ(out.events_size(), 3);
  EXPECT_EQ(out.events(0).target(), "14-KT");  // newest first
  EXPECT_EQ(out.events(0).subject(), "test-province_reporter-14");
  EXPECT_EQ(out.events(0).role(), v1::ROLE_PROVINCE_REPORTER);
  EXPECT_EQ(out.events(0).actor_organization_code(), "14");
  EXPECT_EQ(out.events(2).target(), "VUSTA");

  // Province staff cannot read the audit log.
  EXPECT_EQ(stub_->ListAuditEvents(ContextAs(v1::ROLE_PROVINCE_REPORTER, "14").get(), req, &out)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Not even the database owner can rewrite it.
  pqxx::connection conn(db_->url());
  pqxx::work txn(conn);
  EXPECT_THROW(txn.exec("UPDATE registry.audit_log SET subject = 'someone else'"), pqxx::sql_error);
}

TEST_F(RegistryTest, MigrationsAppliedTwiceChangeNothing) {
  ASSERT_TRUE(fed::ApplyMigrations(db_->url(), "registry", Migrations()).ok());
  ASSERT_TRUE(fed::ApplyMigrations(db_->url(), "registry", Migrations()).ok());
  pqxx::connection conn(db_->url());
  pqxx::work txn(conn);
  EXPECT_EQ(txn.exec1("SELECT count(*) FROM registry.schema_migrations")[0].as<size_t>(),
            fed::shared::Migrations().size() + Migrations().size());
}

TEST_F(RegistryTest, EditedMigrationIsRefused) {
  std::vector<fed::Migration> edited = Migrations();
  edited[0].sql += "\n-- edited after release";
  absl::Status status = fed::ApplyMigrations(db_->url(), "registry", edited);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
}

// Quảng Bình (44) was merged into Quảng Trị (45) on 2025-07-01: its staff's
// tokens no longer change the registry, while the successor's still do.
TEST_F(RegistryTest, AMergedProvincesAccountsNoLongerWrite) {
  LoadProvincesAndMerger();
  v1::Organization assoc;
  grpc::Status merged =
      CreateAssociation("44-DH", "44", "Hội Dược học Quảng Bình",
                        ContextAs(v1::ROLE_PROVINCE_REPORTER, "44").get(), &assoc);
  EXPECT_EQ(merged.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(merged.error_message(), ::testing::HasSubstr("merged into 45"));
  EXPECT_TRUE(CreateAssociation("45-DH", "45", "Hội Dược học Quảng Trị",
                                ContextAs(v1::ROLE_PROVINCE_REPORTER, "45").get(), &assoc)
                  .ok());
}

}  // namespace
}  // namespace registry::testing
