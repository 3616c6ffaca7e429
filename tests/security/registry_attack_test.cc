// An attack on the registry: a province's staff rewriting the unions' own
// records (status, member counts), which feed the national figures.
#include "tests/security/security_fixture.h"

namespace {

namespace v1 = federation::v1;

using fedtest::SecurityTest;

// Attack: Sơn La's reporter edits its own provincial union's record (member
// counts up, status), then Lạng Sơn's; the national union's own reporter
// (province_reporter of VUSTA) edits provinces' records.
// Guards the union-record rule (IsUnionRecord / RequireAdmin in
// services/registry/access.h, applied in organizations.cc): the unions'
// records are changed by national_admin only. Without it the reporter of
// X passes "X is mine" for X's own record, and the national union's
// reporter passes "it is under mine" for every province.
TEST_F(SecurityTest, AProvinceReporterCannotRewriteTheUnionsRecords) {
  auto read = [&](const std::string& code) {
    v1::GetOrganizationRequest get;
    get.set_code(code);
    v1::Organization org;
    grpc::Status status = registry_stub_->GetOrganization(Admin().get(), get, &org);
    EXPECT_TRUE(status.ok()) << code << ": " << status.error_message();
    return org;
  };
  const v1::Organization son_la = read("14"), lang_son = read("20"), national = read("VUSTA");

  auto update = [&](std::unique_ptr<grpc::ClientContext> ctx, v1::Organization changed) {
    v1::UpdateOrganizationRequest req;
    *req.mutable_organization() = std::move(changed);
    v1::Organization out;
    return registry_stub_->UpdateOrganization(ctx.get(), req, &out).error_code();
  };
  auto retire = [&](std::unique_ptr<grpc::ClientContext> ctx, const std::string& code) {
    v1::RetireOrganizationRequest req;
    req.set_code(code);
    req.set_effective_on("2026-01-01");
    req.set_reason("Giải thể");
    v1::Organization out;
    return registry_stub_->RetireOrganization(ctx.get(), req, &out).error_code();
  };
  auto more_members = [](v1::Organization org) {
    org.set_member_count(999999);
    org.set_intellectual_count(99999);
    return org;
  };
  auto suspended = [](v1::Organization org) {
    org.set_status(v1::ORGANIZATION_STATUS_SUSPENDED);
    return org;
  };

  // Its own union's record.
  EXPECT_EQ(update(Province("14"), more_members(son_la)), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(update(Province("14"), suspended(son_la)), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(retire(Province("14"), "14"), grpc::StatusCode::PERMISSION_DENIED);
  // Another province's.
  EXPECT_EQ(update(Province("14"), more_members(lang_son)), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(update(Province("14"), suspended(lang_son)), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(retire(Province("14"), "20"), grpc::StatusCode::PERMISSION_DENIED);
  // The national union's reporter, on provinces and on its own record.
  EXPECT_EQ(update(Province("VUSTA"), more_members(son_la)), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(update(Province("VUSTA"), suspended(lang_son)), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(retire(Province("VUSTA"), "20"), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(update(Province("VUSTA"), more_members(national)), grpc::StatusCode::PERMISSION_DENIED);

  // Every record is as it was.
  for (const v1::Organization& before : {son_la, lang_son, national}) {
    const v1::Organization now = read(before.code());
    EXPECT_EQ(now.revision(), before.revision()) << before.code();
    EXPECT_EQ(now.member_count(), before.member_count()) << before.code();
    EXPECT_EQ(now.intellectual_count(), before.intellectual_count()) << before.code();
    EXPECT_EQ(now.status(), v1::ORGANIZATION_STATUS_ACTIVE) << before.code();
    EXPECT_EQ(now.active_until(), "") << before.code();
  }

  // What is Sơn La's stays Sơn La's to keep: an association under it.
  v1::CreateOrganizationRequest create;
  auto* assoc = create.mutable_organization();
  assoc->set_code("14-DH");
  assoc->set_kind(v1::ORGANIZATION_KIND_MEMBER_ASSOCIATION);
  assoc->set_name("Hội Dược học Sơn La");
  assoc->set_parent_code("14");
  assoc->set_active_from("2012-01-01");
  v1::Organization created;
  grpc::Status status = registry_stub_->CreateOrganization(Province("14").get(), create, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  created.set_member_count(120);
  EXPECT_EQ(update(Province("14"), created), grpc::StatusCode::OK);
  EXPECT_EQ(read("14-DH").member_count(), 120);
}

}  // namespace
