// Every call carries "authorization: Bearer <token>": the fuzz bytes are the
// token's text, verified as every service does. The same bytes read as
// claims are signed with the issuer's key and verified again, so that the
// checks after the signature (the claims' own rules) meet odd claims too,
// which a forger could not send.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "federation/v1/token.pb.h"
#include "services/common/auth.h"
#include "tests/fuzz/fuzz_tokens.h"

namespace {

namespace v1 = federation::v1;

// A refusal is always UNAUTHENTICATED: another code would tell the caller
// something about the token or make it look like a permission problem.
void CheckRefusal(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kUnauthenticated) std::abort();
}

// What verification lets through follows the rules of tokens.cc.
void CheckAccepted(const fed::VerifiedToken& token) {
  if (token.expires_at <= fedfuzz::FuzzNow() || token.subject.empty() ||
      token.role == v1::ROLE_UNSPECIFIED || token.jti.empty() ||
      token.expires_at - token.issued_at > fed::kDefaultMaxTokenLifetime ||
      (token.role == v1::ROLE_PROVINCE_REPORTER && token.organization_code.empty())) {
    std::abort();
  }
}

void VerifyText(absl::string_view text) {
  auto verified = fedfuzz::FuzzVerifier("aggregator").Verify(text, fedfuzz::FuzzNow());
  if (!verified.ok()) return CheckRefusal(verified.status());
  CheckAccepted(*verified);
}

void SignAndVerify(const uint8_t* data, size_t size) {
  v1::AccessTokenClaims claims;
  if (!claims.ParseFromArray(data, static_cast<int>(size))) return;
  const std::string token = fedfuzz::FuzzIssuer().SignClaims(claims);
  auto verified = fedfuzz::FuzzVerifier("aggregator").Verify(token, fedfuzz::FuzzNow());
  if (!verified.ok()) return CheckRefusal(verified.status());
  CheckAccepted(*verified);
  // A token with the first character of its signature changed is refused.
  std::string tampered = token;
  char& c = tampered[tampered.rfind('.') + 1];
  c = c == 'A' ? 'B' : 'A';
  auto refused = fedfuzz::FuzzVerifier("aggregator").Verify(tampered, fedfuzz::FuzzNow());
  if (refused.ok()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  VerifyText(absl::string_view(reinterpret_cast<const char*>(data), size));
  SignAndVerify(data, size);
  return 0;
}
