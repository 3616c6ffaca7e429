// Who a caller is: its token, its client certificate, or both (and then they
// must agree).
#include "services/common/auth.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace fed {
namespace {

namespace v1 = federation::v1;
using ::testing::HasSubstr;

class AuthenticateTest : public ::testing::Test {
 protected:
  AuthenticateTest()
      : issuer_("k1", SigningKey::Generate()),
        verifier_(TokenVerifier::Options{"", "aggregator", kDefaultMaxTokenLifetime},
                  {{"k1", issuer_.public_key()}}) {}

  std::string BearerOf(v1::Role role, const std::string& org) const {
    TokenRequest request;
    request.subject = "someone";
    request.organization_code = org;
    request.role = role;
    return absl::StrCat("Bearer ", issuer_.Issue(request, absl::Now())->token);
  }
  absl::StatusOr<Principal> Who(const std::string& authorization,
                                const std::string& certificate) const {
    return AuthenticateParts(authorization, certificate, verifier_, absl::Now());
  }

  TokenIssuer issuer_;
  TokenVerifier verifier_;
};

TEST_F(AuthenticateTest, AServiceCertificateIsThatService) {
  auto who = Who("", "reporting");
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->role, v1::ROLE_SERVICE);
  EXPECT_EQ(who->subject, "reporting");
  EXPECT_EQ(who->organization_code, "VUSTA");
}

TEST_F(AuthenticateTest, AProvincialCertificateIsThatProvincesReporter) {
  auto who = Who("", ProvinceCertificateName("14"));
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->role, v1::ROLE_PROVINCE_REPORTER);
  EXPECT_EQ(who->organization_code, "14");
  EXPECT_EQ(who->subject, "cert:province-14");
  EXPECT_EQ(who->certificate, "province-14");
}

TEST_F(AuthenticateTest, AProvincialCertificateCarriesOnlyItsOwnTokens) {
  auto own = Who(BearerOf(v1::ROLE_PROVINCE_REPORTER, "14"), "province-14");
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->subject, "someone");
  absl::Status other = Who(BearerOf(v1::ROLE_PROVINCE_REPORTER, "20"), "province-14").status();
  EXPECT_EQ(other.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(other.message(), HasSubstr("province-14"));
  // Nor a national token: the connection is the province's system.
  EXPECT_EQ(Who(BearerOf(v1::ROLE_NATIONAL_ADMIN, "VUSTA"), "province-14").status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(AuthenticateTest, OtherCertificatesNameNobody) {
  for (const char* certificate : {"", "operator", "test", "province-", "Registry"}) {
    EXPECT_EQ(Who("", certificate).status().code(), absl::StatusCode::kUnauthenticated)
        << certificate;
  }
  // With a token, the token's holder (a service certificate does not widen it).
  auto who = Who(BearerOf(v1::ROLE_VIEWER, "VUSTA"), "aggregator");
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->role, v1::ROLE_VIEWER);
  EXPECT_EQ(Who("Basic abc", "").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Who("Bearer nonsense", "reporting").status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(RoleTest, NamesRoundTrip) {
  for (auto role : {v1::ROLE_PROVINCE_REPORTER, v1::ROLE_NATIONAL_REVIEWER, v1::ROLE_NATIONAL_ADMIN,
                    v1::ROLE_JUDGE, v1::ROLE_VIEWER, v1::ROLE_SERVICE}) {
    EXPECT_EQ(RoleFromName(RoleName(role)), role);
  }
  EXPECT_EQ(RoleFromName("root"), v1::ROLE_UNSPECIFIED);
}

TEST(RequireRoleTest, DeniesOtherRolesWithPermissionDenied) {
  Principal viewer{"v", "VUSTA", v1::ROLE_VIEWER};
  EXPECT_EQ(RequireRole(viewer, {v1::ROLE_NATIONAL_ADMIN}).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(RequireRole(viewer, {v1::ROLE_NATIONAL_ADMIN, v1::ROLE_VIEWER}).ok());
}

}  // namespace
}  // namespace fed
