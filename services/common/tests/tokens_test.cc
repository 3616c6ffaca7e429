// Access tokens as every service checks them: only the issuer's key makes
// one, and each way a token can be wrong is refused as UNAUTHENTICATED with a
// reason a person can act on.
#include "services/common/tokens.h"

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "services/common/auth.h"

namespace fed {
namespace {

namespace v1 = federation::v1;
using ::testing::HasSubstr;

TokenRequest ReporterOf14() {
  TokenRequest request;
  request.subject = "nguyen.van.a";
  request.organization_code = "14";
  request.role = v1::ROLE_PROVINCE_REPORTER;
  request.lifetime = absl::Hours(1);
  return request;
}

class TokensTest : public ::testing::Test {
 protected:
  TokensTest() : issuer_("k1", SigningKey::Generate()) {}

  TokenVerifier VerifierFor(const std::string& audience,
                            absl::Duration max_lifetime = kDefaultMaxTokenLifetime) const {
    TokenVerifier::Options options;
    options.audience = audience;
    options.max_lifetime = max_lifetime;
    return TokenVerifier(options, {{"k1", issuer_.public_key()}});
  }

  std::string Issue(const TokenRequest& request, absl::Time now = absl::Now()) const {
    auto issued = issuer_.Issue(request, now);
    EXPECT_TRUE(issued.ok()) << issued.status();
    return issued.ok() ? issued->token : "";
  }

  // Claims as the issuer would sign them, for the tests that bend one.
  v1::AccessTokenClaims Claims() const {
    v1::AccessTokenClaims claims;
    claims.set_iss(kTokenIssuer);
    claims.set_sub("mallory");
    claims.set_org("14");
    claims.set_role("province_reporter");
    claims.add_aud("aggregator");
    const int64_t now = absl::ToUnixSeconds(absl::Now());
    claims.set_iat(static_cast<uint32_t>(now));
    claims.set_exp(static_cast<uint32_t>(now + 3600));
    claims.set_jti("jti-1");
    return claims;
  }

  absl::Status Refusal(const std::string& token, const std::string& audience = "aggregator") const {
    return VerifierFor(audience).Verify(token, absl::Now()).status();
  }

  TokenIssuer issuer_;
};

TEST_F(TokensTest, AnIssuedTokenVerifiesToItsClaims) {
  auto issued = issuer_.Issue(ReporterOf14(), absl::Now());
  ASSERT_TRUE(issued.ok()) << issued.status();
  auto verified = VerifierFor("aggregator").Verify(issued->token, absl::Now());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->subject, "nguyen.van.a");
  EXPECT_EQ(verified->organization_code, "14");
  EXPECT_EQ(verified->role, v1::ROLE_PROVINCE_REPORTER);
  EXPECT_EQ(verified->jti, issued->jti);
  EXPECT_EQ(verified->expires_at, absl::FromUnixSeconds(absl::ToUnixSeconds(issued->expires_at)));
  // A JSON Web Token: three base64url parts, the header naming EdDSA and the key.
  std::vector<std::string> parts = absl::StrSplit(issued->token, '.');
  ASSERT_EQ(parts.size(), 3u);
  std::string header;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[0], &header));
  EXPECT_THAT(header, HasSubstr("\"alg\":\"EdDSA\""));
  EXPECT_THAT(header, HasSubstr("\"kid\":\"k1\""));
  // Every token gets its own id.
  EXPECT_NE(issuer_.Issue(ReporterOf14(), absl::Now())->jti, issued->jti);
}

TEST_F(TokensTest, AnotherKeyUnderTheSameKidIsRefused) {
  TokenIssuer forger("k1", SigningKey::Generate());
  auto forged = forger.Issue(ReporterOf14(), absl::Now());
  ASSERT_TRUE(forged.ok());
  EXPECT_THAT(Refusal(forged->token).message(), HasSubstr("signature is invalid"));
  TokenIssuer stranger("k9", SigningKey::Generate());
  EXPECT_THAT(Refusal(stranger.Issue(ReporterOf14(), absl::Now())->token).message(),
              HasSubstr("unknown key 'k9'"));
}

TEST_F(TokensTest, APublicKeyCannotMakeAToken) {
  // What every service holds: the public half. It signs nothing, so a
  // service (or a province's copy of one) cannot mint.
  SigningKey public_only = issuer_.public_key();
  EXPECT_FALSE(public_only.has_private());
  EXPECT_EQ(public_only.Sign("anything"), "");
  TokenIssuer impostor("k1", public_only);
  EXPECT_FALSE(impostor.Issue(ReporterOf14(), absl::Now()).ok());
}

TEST_F(TokensTest, ChangedClaimsBreakTheSignature) {
  v1::AccessTokenClaims claims = Claims();
  std::string token = issuer_.SignClaims(claims);
  ASSERT_TRUE(VerifierFor("aggregator").Verify(token, absl::Now()).ok());
  // Swap in the claims of another province, keeping the signature.
  claims.set_org("20");
  std::vector<std::string> good = absl::StrSplit(token, '.');
  std::vector<std::string> other = absl::StrSplit(issuer_.SignClaims(claims), '.');
  EXPECT_THAT(Refusal(absl::StrCat(good[0], ".", other[1], ".", good[2])).message(),
              HasSubstr("signature is invalid"));
  // And a second spelling of the same signature (padding) is not the token.
  EXPECT_EQ(Refusal(absl::StrCat(token, "=")).code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(TokensTest, ATokenForAnotherServiceIsRefused) {
  TokenRequest request = ReporterOf14();
  request.audiences = {"aggregator"};
  std::string token = Issue(request);
  EXPECT_TRUE(VerifierFor("aggregator").Verify(token, absl::Now()).ok());
  absl::Status refused = Refusal(token, "registry");
  EXPECT_EQ(refused.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(refused.message(), HasSubstr("not meant for registry"));
  // Without audiences: every service and the dashboard.
  std::string everywhere = Issue(ReporterOf14());
  for (const char* service : {"registry", "aggregator", "competition", "ranking", "dashboard"}) {
    EXPECT_TRUE(VerifierFor(service).Verify(everywhere, absl::Now()).ok()) << service;
  }
}

TEST_F(TokensTest, ExpiredFutureAndOverlongTokensAreRefused) {
  std::string token = Issue(ReporterOf14());
  EXPECT_THAT(
      VerifierFor("aggregator").Verify(token, absl::Now() + absl::Hours(2)).status().message(),
      HasSubstr("expired"));
  EXPECT_THAT(
      VerifierFor("aggregator").Verify(token, absl::Now() - absl::Hours(1)).status().message(),
      HasSubstr("issued in the future"));
  v1::AccessTokenClaims claims = Claims();
  claims.set_exp(claims.iat() + 60 * 24 * 3600);  // sixty days
  absl::Status overlong = Refusal(issuer_.SignClaims(claims));
  EXPECT_THAT(overlong.message(), HasSubstr("lives longer"));
  // The issuer itself refuses to make one.
  TokenRequest request = ReporterOf14();
  request.lifetime = absl::Hours(24 * 60);
  EXPECT_EQ(issuer_.Issue(request, absl::Now()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(TokensTest, OtherAlgorithmsIssuersAndOldTokensAreRefused) {
  const std::string claims_part = absl::WebSafeBase64Escape(
      R"({"iss":"federation","sub":"m","org":"14","role":"national_admin","aud":["aggregator"],"iat":1,"exp":4000000000,"jti":"x"})");
  for (const char* header : {R"({"alg":"none","kid":"k1"})", R"({"alg":"HS256","kid":"k1"})"}) {
    std::string token = absl::StrCat(absl::WebSafeBase64Escape(header), ".", claims_part, ".");
    EXPECT_THAT(Refusal(token).message(), HasSubstr("not signed with EdDSA")) << header;
  }
  v1::AccessTokenClaims claims = Claims();
  claims.set_iss("someone-else");
  EXPECT_THAT(Refusal(issuer_.SignClaims(claims)).message(), HasSubstr("another issuer"));
  EXPECT_THAT(Refusal("fed1.Cgdtb2xsb3J5.c2ln").message(), HasSubstr("retired"));
  for (const char* garbage : {"", ".", "a.b", "a.b.c.d", "!!.??.**"}) {
    EXPECT_EQ(Refusal(garbage).code(), absl::StatusCode::kUnauthenticated) << garbage;
  }
  EXPECT_EQ(Refusal(std::string(kMaxTokenSize + 1, 'a')).code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(TokensTest, AProvinceTokenMustNameItsProvince) {
  v1::AccessTokenClaims claims = Claims();
  claims.clear_org();
  EXPECT_THAT(Refusal(issuer_.SignClaims(claims)).message(), HasSubstr("organisation"));
  claims = Claims();
  claims.set_sub("line\nforged=1");
  EXPECT_EQ(Refusal(issuer_.SignClaims(claims)).code(), absl::StatusCode::kUnauthenticated);
}

TEST(TokenRequestTest, EveryProblemIsNamed) {
  TokenRequest request;
  request.subject = "bad\nsubject";
  request.role = v1::ROLE_PROVINCE_REPORTER;
  request.audiences = {"aggregator", "mailserver"};
  request.lifetime = absl::Hours(24 * 400);
  absl::Status status = CheckTokenRequest(request, kDefaultMaxTokenLifetime);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("subject"));
  EXPECT_THAT(status.message(), HasSubstr("organization_code"));
  EXPECT_THAT(status.message(), HasSubstr("'mailserver'"));
  EXPECT_THAT(status.message(), HasSubstr("lifetime"));
}

// A key directory as `tools/dev up` makes it, in a fresh temporary folder.
class KeyDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(::testing::TempDir(), "/fed-keys-", getpid(), "-",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    absl::Status written = WriteNewKeyPair(dir_ + "/issuer", dir_ + "/public", "k1");
    ASSERT_TRUE(written.ok()) << written;
    auto issuer = TokenIssuer::FromKeyFile(dir_ + "/issuer/k1.key");
    ASSERT_TRUE(issuer.ok()) << issuer.status();
    issuer_ = std::make_unique<TokenIssuer>(*std::move(issuer));
    TokenVerifier::Options options;
    options.keys_dir = dir_ + "/public";
    options.audience = "aggregator";
    auto verifier = TokenVerifier::Open(options);
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = *std::move(verifier);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  IssuedToken Issue(const TokenIssuer& issuer, const std::string& subject) {
    TokenRequest request = ReporterOf14();
    request.subject = subject;
    return *issuer.Issue(request, absl::Now());
  }
  void AppendRevocation(const std::string& line) {
    std::ofstream(dir_ + "/public/revoked", std::ios::app) << line << "\n";
  }

  std::string dir_;
  std::unique_ptr<TokenIssuer> issuer_;
  std::unique_ptr<TokenVerifier> verifier_;
};

TEST_F(KeyDirectoryTest, KeyFilesArePrivateAndNeverOverwritten) {
  EXPECT_EQ(
      std::filesystem::status(dir_ + "/issuer/k1.key").permissions() & std::filesystem::perms::all,
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(WriteNewKeyPair(dir_ + "/issuer", dir_ + "/public", "k1").code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(WriteNewKeyPair(dir_ + "/issuer", dir_ + "/public", "../k2").code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(KeyDirectoryTest, ANewKeyVerifiesAtOnceAndTheOldOneUntilItsTokensExpire) {
  IssuedToken old_token = Issue(*issuer_, "before-rotation");
  ASSERT_TRUE(verifier_->Verify(old_token.token, absl::Now()).ok());
  // Rotation: a second key beside the first, no restart of the verifier.
  ASSERT_TRUE(WriteNewKeyPair(dir_ + "/issuer", dir_ + "/public", "k2").ok());
  auto rotated = TokenIssuer::FromKeyFile(dir_ + "/issuer/k2.key");
  ASSERT_TRUE(rotated.ok());
  IssuedToken new_token = Issue(*rotated, "after-rotation");
  // (The directory is read again for an unknown kid at most once a second.)
  const absl::Time later = absl::Now() + absl::Seconds(2);
  auto verified = verifier_->Verify(new_token.token, later);
  EXPECT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verifier_->Verify(old_token.token, later).ok());
  EXPECT_EQ(
      verifier_->Verify(old_token.token, old_token.expires_at + absl::Seconds(1)).status().code(),
      absl::StatusCode::kUnauthenticated);
}

TEST_F(KeyDirectoryTest, RevokedTokensAndSubjectsAreRefusedWithinASecond) {
  IssuedToken first = Issue(*issuer_, "clerk-a");
  IssuedToken second = Issue(*issuer_, "clerk-a");
  IssuedToken other = Issue(*issuer_, "clerk-b");
  const absl::Time now = absl::Now();
  for (const IssuedToken* token : {&first, &second, &other}) {
    ASSERT_TRUE(verifier_->Verify(token->token, now).ok());  // and cached
  }
  AppendRevocation(absl::StrCat("jti ", first.jti));
  const absl::Time later = now + absl::Seconds(2);
  EXPECT_THAT(verifier_->Verify(first.token, later).status().message(), HasSubstr("revoked"));
  EXPECT_TRUE(verifier_->Verify(second.token, later).ok());

  // Every token of clerk-b issued until now; one issued afterwards works.
  AppendRevocation(absl::StrCat("subject ", absl::ToUnixSeconds(later), " clerk-b"));
  AppendRevocation("this line means nothing");
  const absl::Time even_later = later + absl::Seconds(2);
  EXPECT_THAT(verifier_->Verify(other.token, even_later).status().message(), HasSubstr("revoked"));
  EXPECT_TRUE(verifier_->Verify(second.token, even_later).ok());
  TokenRequest request = ReporterOf14();
  request.subject = "clerk-b";
  auto reissued = issuer_->Issue(request, even_later);
  ASSERT_TRUE(reissued.ok());
  EXPECT_TRUE(verifier_->Verify(reissued->token, even_later).ok());
}

TEST(RevocationListTest, ReadsEntriesAndReportsWhatItCannotRead) {
  RevocationList list = RevocationList::Parse(
      "# revoked by the office\njti abc\nsubject 100 Nguyen Van A\n\nsubject x y\nbogus\n");
  EXPECT_TRUE(list.jtis.contains("abc"));
  ASSERT_TRUE(list.subjects.contains("Nguyen Van A"));
  EXPECT_EQ(list.subjects.at("Nguyen Van A"), absl::FromUnixSeconds(100));
  EXPECT_THAT(list.malformed_lines, ::testing::ElementsAre("subject x y", "bogus"));
}

TEST(KeyDirectoryOpenTest, AnEmptyDirectoryIsAnError) {
  TokenVerifier::Options options;
  options.keys_dir = ::testing::TempDir();
  options.audience = "registry";
  auto verifier = TokenVerifier::Open(options);
  EXPECT_EQ(verifier.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace fed
