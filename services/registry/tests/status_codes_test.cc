// The README's status-code table, one realistic failure per code the
// registry produces, asserted as a client over gRPC sees it.
#include "services/registry/tests/registry_fixture.h"

namespace registry::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class StatusCodesTest : public RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    if (HasFatalFailure()) return;
    CreateNational();
    ASSERT_TRUE(CreateProvince("14", "Sơn La").ok());
    ASSERT_TRUE(CreateProvince("20", "Lạng Sơn").ok());
  }

  grpc::Status CreateCluster(int number, const std::vector<std::string>& members) {
    v1::CreateClusterRequest req;
    req.mutable_cluster()->set_year(2025);
    req.mutable_cluster()->set_number(number);
    req.mutable_cluster()->set_name("Cụm thi đua " + std::to_string(number));
    for (const auto& m : members) req.mutable_cluster()->add_member_codes(m);
    v1::EmulationCluster out;
    return stub_->CreateCluster(Admin().get(), req, &out);
  }
};

TEST_F(StatusCodesTest, InvalidArgumentListsEveryMalformedField) {
  v1::Organization out;
  grpc::Status s = CreateAssociation("14-kt", "14", "", Admin().get(), &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(s), ElementsAre("organization.code", "organization.name"));
}

TEST_F(StatusCodesTest, UnauthenticatedWithoutAToken) {
  v1::GetOrganizationRequest req;
  req.set_code("14");
  v1::Organization out;
  EXPECT_EQ(stub_->GetOrganization(fedtest::AnonymousContext().get(), req, &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(StatusCodesTest, PermissionDeniedForAnotherProvincesAssociation) {
  v1::Organization out;
  grpc::Status s = CreateAssociation("14-KT", "14", "Hội Kinh tế Sơn La",
                                     ContextAs(v1::ROLE_PROVINCE_REPORTER, "20").get(), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(StatusCodesTest, NotFoundForAnUnknownCode) {
  v1::GetOrganizationRequest req;
  req.set_code("99");
  v1::Organization out;
  EXPECT_EQ(stub_->GetOrganization(Admin().get(), req, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(StatusCodesTest, AlreadyExistsForACodeTakenAndAClusterNumberTaken) {
  EXPECT_EQ(CreateProvince("14", "Sơn La").error_code(), grpc::StatusCode::ALREADY_EXISTS);
  ASSERT_TRUE(CreateCluster(1, {"14"}).ok());
  EXPECT_EQ(CreateCluster(1, {"20"}).error_code(), grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(StatusCodesTest, FailedPreconditionForRetiringTwiceAndAProvinceInTwoClusters) {
  v1::RetireOrganizationRequest retire;
  retire.set_code("20");
  retire.set_effective_on("2025-07-01");
  retire.set_reason("Sáp nhập tỉnh");
  v1::Organization out;
  ASSERT_TRUE(stub_->RetireOrganization(Admin().get(), retire, &out).ok());
  grpc::Status twice = stub_->RetireOrganization(Admin().get(), retire, &out);
  ASSERT_EQ(twice.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(twice.error_message(), HasSubstr("already retired"));

  ASSERT_TRUE(CreateCluster(1, {"14"}).ok());
  grpc::Status again = CreateCluster(2, {"14"});
  ASSERT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(again.error_message(), HasSubstr("14 is already in cluster 1 for 2025"));
}

TEST_F(StatusCodesTest, AbortedForAStaleRevision) {
  v1::GetOrganizationRequest get;
  get.set_code("14");
  v1::Organization org;
  ASSERT_TRUE(stub_->GetOrganization(Admin().get(), get, &org).ok());
  v1::UpdateOrganizationRequest update;
  *update.mutable_organization() = org;
  update.set_expected_revision(org.revision());
  v1::Organization out;
  ASSERT_TRUE(stub_->UpdateOrganization(Admin().get(), update, &out).ok());
  EXPECT_EQ(stub_->UpdateOrganization(Admin().get(), update, &out).error_code(),
            grpc::StatusCode::ABORTED);
}

TEST_F(StatusCodesTest, UnavailableWhenPostgreSQLCannotAnswer) {
  // The same service over a database nobody listens for.
  fed::DbPool dead("postgresql://federation@127.0.0.1:1/federation?connect_timeout=2", "registry",
                   1);
  Registry logic(dead);
  RegistryGrpcService service(&logic,
                              fed::CallContext{&fedtest::TestVerifier("registry"), workers_.get()});
  fedtest::LoopbackServer server({&service});
  auto stub = v1::RegistryService::NewStub(server.channel());
  v1::GetOrganizationRequest req;
  req.set_code("14");
  v1::Organization out;
  EXPECT_EQ(stub->GetOrganization(Admin().get(), req, &out).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace registry::testing
