// Every call carries "authorization: Bearer <token>": the fuzz bytes are the
// token's text, verified as every service does. The same bytes read as
// claims are minted and verified again, so that the checks after the
// signature (the claims' own rules) meet odd claims too, which a forger
// could not send.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "federation/v1/common.pb.h"
#include "tests/fuzz/fuzz_tokens.h"

namespace {

namespace v1 = federation::v1;

// A refusal is always UNAUTHENTICATED: another code would tell the caller
// something about the token or make it look like a permission problem.
void CheckRefusal(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kUnauthenticated) std::abort();
}

void VerifyText(absl::string_view token) {
  auto claims = fedfuzz::FuzzSigner().Verify(token, fedfuzz::FuzzNow());
  if (!claims.ok()) return CheckRefusal(claims.status());
  // Accepted (a seed, or a spelling of one): minting its claims again gives
  // a token that verifies to the same claims.
  auto again =
      fedfuzz::FuzzSigner().Verify(fedfuzz::FuzzSigner().Mint(*claims), fedfuzz::FuzzNow());
  if (!again.ok() || again->SerializeAsString() != claims->SerializeAsString()) std::abort();
}

void MintAndVerify(const uint8_t* data, size_t size) {
  v1::TokenClaims claims;
  if (!claims.ParseFromArray(data, static_cast<int>(size))) return;
  const std::string token = fedfuzz::FuzzSigner().Mint(claims);
  auto verified = fedfuzz::FuzzSigner().Verify(token, fedfuzz::FuzzNow());
  if (!verified.ok()) return CheckRefusal(verified.status());
  // What verification lets through follows the rules of auth.cc.
  if (verified->expires_at_unix() <= absl::ToUnixSeconds(fedfuzz::FuzzNow()) ||
      verified->subject().empty() || verified->role() == v1::ROLE_UNSPECIFIED ||
      (verified->role() == v1::ROLE_PROVINCE_REPORTER && verified->organization_code().empty())) {
    std::abort();
  }
  // A token with the first character of its signature changed is refused.
  std::string tampered = token;
  char& c = tampered[tampered.rfind('.') + 1];
  c = c == 'A' ? 'B' : 'A';
  auto refused = fedfuzz::FuzzSigner().Verify(tampered, fedfuzz::FuzzNow());
  if (refused.ok()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  VerifyText(absl::string_view(reinterpret_cast<const char*>(data), size));
  MintAndVerify(data, size);
  return 0;
}
