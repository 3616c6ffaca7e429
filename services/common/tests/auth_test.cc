#include "services/common/auth.h"

#include <gtest/gtest.h>

#include "absl/time/clock.h"

namespace fed {
namespace {

using federation::v1::TokenClaims;

TokenClaims ClaimsFor(federation::v1::Role role, absl::Time expires) {
  TokenClaims claims;
  claims.set_subject("nguyen.van.a");
  claims.set_organization_code("14");
  claims.set_role(role);
  claims.set_expires_at_unix(absl::ToUnixSeconds(expires));
  return claims;
}

TEST(TokenSignerTest, MintedTokenVerifiesWithItsClaims) {
  TokenSigner signer("0123456789abcdef0123456789abcdef");
  std::string token =
      signer.Mint(ClaimsFor(federation::v1::ROLE_PROVINCE_REPORTER, absl::Now() + absl::Hours(1)));
  auto claims = signer.Verify(token, absl::Now());
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->subject(), "nguyen.van.a");
  EXPECT_EQ(claims->organization_code(), "14");
  EXPECT_EQ(claims->role(), federation::v1::ROLE_PROVINCE_REPORTER);
}

TEST(TokenSignerTest, TokenFromAnotherSecretIsRefused) {
  TokenSigner ours("0123456789abcdef0123456789abcdef");
  TokenSigner theirs("fedcba9876543210fedcba9876543210");
  std::string token =
      theirs.Mint(ClaimsFor(federation::v1::ROLE_NATIONAL_ADMIN, absl::Now() + absl::Hours(1)));
  auto claims = ours.Verify(token, absl::Now());
  EXPECT_EQ(claims.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(TokenSignerTest, TamperedClaimsAreRefused) {
  TokenSigner signer("0123456789abcdef0123456789abcdef");
  std::string reporter =
      signer.Mint(ClaimsFor(federation::v1::ROLE_PROVINCE_REPORTER, absl::Now() + absl::Hours(1)));
  std::string admin =
      signer.Mint(ClaimsFor(federation::v1::ROLE_NATIONAL_ADMIN, absl::Now() + absl::Hours(1)));
  // Splice the admin claims onto the reporter's signature.
  std::string forged = admin.substr(0, admin.rfind('.')) + reporter.substr(reporter.rfind('.'));
  EXPECT_EQ(signer.Verify(forged, absl::Now()).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(TokenSignerTest, ExpiredTokenIsRefused) {
  TokenSigner signer("0123456789abcdef0123456789abcdef");
  std::string token =
      signer.Mint(ClaimsFor(federation::v1::ROLE_VIEWER, absl::Now() - absl::Seconds(1)));
  auto claims = signer.Verify(token, absl::Now());
  EXPECT_EQ(claims.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(claims.status().message().find("expired"), absl::string_view::npos);
}

TEST(TokenSignerTest, GarbageIsRefused) {
  TokenSigner signer("0123456789abcdef0123456789abcdef");
  for (const char* token : {"", "fed1.", "fed1.abc", "fed1.a.b.c", "Bearer x", "fed1.!!.??"}) {
    EXPECT_EQ(signer.Verify(token, absl::Now()).status().code(), absl::StatusCode::kUnauthenticated)
        << token;
  }
}

TEST(RoleTest, NamesRoundTrip) {
  for (auto role : {federation::v1::ROLE_PROVINCE_REPORTER, federation::v1::ROLE_NATIONAL_REVIEWER,
                    federation::v1::ROLE_NATIONAL_ADMIN, federation::v1::ROLE_JUDGE,
                    federation::v1::ROLE_VIEWER, federation::v1::ROLE_SERVICE}) {
    EXPECT_EQ(RoleFromName(RoleName(role)), role);
  }
  EXPECT_EQ(RoleFromName("root"), federation::v1::ROLE_UNSPECIFIED);
}

TEST(RequireRoleTest, DeniesOtherRolesWithPermissionDenied) {
  Principal viewer{"v", "VUSTA", federation::v1::ROLE_VIEWER};
  EXPECT_EQ(RequireRole(viewer, {federation::v1::ROLE_NATIONAL_ADMIN}).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(
      RequireRole(viewer, {federation::v1::ROLE_NATIONAL_ADMIN, federation::v1::ROLE_VIEWER}).ok());
}

TEST(TokenSignerTest, AProvinceTokenWithoutItsProvinceIsRefused) {
  TokenSigner signer("0123456789abcdef0123456789abcdef");
  TokenClaims claims =
      ClaimsFor(federation::v1::ROLE_PROVINCE_REPORTER, absl::Now() + absl::Hours(1));
  claims.clear_organization_code();
  auto verified = signer.Verify(signer.Mint(claims), absl::Now());
  EXPECT_EQ(verified.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(verified.status().message().find("organisation"), absl::string_view::npos);
}

}  // namespace
}  // namespace fed
