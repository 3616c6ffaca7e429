#include "services/common/auth.h"

#include <fstream>
#include <sstream>
#include "absl/strings/string_view.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace fed {
namespace {

constexpr absl::string_view kTokenPrefix = "fed1.";
constexpr absl::string_view kBearer = "Bearer ";

struct RoleNameEntry {
  federation::v1::Role role;
  absl::string_view name;
};
constexpr RoleNameEntry kRoleNames[] = {
    {federation::v1::ROLE_PROVINCE_REPORTER, "province_reporter"},
    {federation::v1::ROLE_NATIONAL_REVIEWER, "national_reviewer"},
    {federation::v1::ROLE_NATIONAL_ADMIN, "national_admin"},
    {federation::v1::ROLE_JUDGE, "judge"},
    {federation::v1::ROLE_VIEWER, "viewer"},
    {federation::v1::ROLE_SERVICE, "service"},
};

}  // namespace

bool Principal::IsNational() const {
  return role == federation::v1::ROLE_NATIONAL_REVIEWER ||
         role == federation::v1::ROLE_NATIONAL_ADMIN || role == federation::v1::ROLE_SERVICE;
}

absl::string_view RoleName(federation::v1::Role role) {
  for (const auto& entry : kRoleNames) {
    if (entry.role == role) return entry.name;
  }
  return "unspecified";
}

federation::v1::Role RoleFromName(absl::string_view name) {
  for (const auto& entry : kRoleNames) {
    if (entry.name == name) return entry.role;
  }
  return federation::v1::ROLE_UNSPECIFIED;
}

absl::StatusOr<TokenSigner> TokenSigner::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::FailedPreconditionError(absl::StrCat("cannot read token secret file ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string secret(absl::StripAsciiWhitespace(buffer.str()));
  if (secret.size() < 16) {
    return absl::FailedPreconditionError(
        absl::StrCat("token secret in ", path, " is too short (need at least 16 bytes)"));
  }
  return TokenSigner(std::move(secret));
}

std::string TokenSigner::Sign(absl::string_view payload) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), mac, &mac_len);
  return std::string(reinterpret_cast<const char*>(mac), mac_len);
}

std::string TokenSigner::Mint(const federation::v1::TokenClaims& claims) const {
  std::string payload = absl::WebSafeBase64Escape(claims.SerializeAsString());
  return absl::StrCat(kTokenPrefix, payload, ".", absl::WebSafeBase64Escape(Sign(payload)));
}

absl::StatusOr<federation::v1::TokenClaims> TokenSigner::Verify(absl::string_view token,
                                                                absl::Time now) const {
  if (!absl::StartsWith(token, kTokenPrefix)) {
    return absl::UnauthenticatedError("token is not a federation token");
  }
  std::vector<absl::string_view> parts = absl::StrSplit(token.substr(kTokenPrefix.size()), '.');
  std::string signature;
  if (parts.size() != 2 || !absl::WebSafeBase64Unescape(parts[1], &signature)) {
    return absl::UnauthenticatedError("token is malformed");
  }
  std::string expected = Sign(parts[0]);
  if (signature.size() != expected.size() ||
      CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0) {
    return absl::UnauthenticatedError("token signature is invalid");
  }
  std::string bytes;
  federation::v1::TokenClaims claims;
  if (!absl::WebSafeBase64Unescape(parts[0], &bytes) || !claims.ParseFromString(bytes)) {
    return absl::UnauthenticatedError("token claims are malformed");
  }
  if (claims.expires_at_unix() <= absl::ToUnixSeconds(now)) {
    return absl::UnauthenticatedError("token has expired");
  }
  if (claims.role() == federation::v1::ROLE_UNSPECIFIED || claims.subject().empty()) {
    return absl::UnauthenticatedError("token has no role or subject");
  }
  // A province's staff act for their province: without one, a check written
  // "is this the caller's organisation?" could match nothing or everything.
  if (claims.role() == federation::v1::ROLE_PROVINCE_REPORTER &&
      claims.organization_code().empty()) {
    return absl::UnauthenticatedError("a province_reporter token must name its organisation");
  }
  return claims;
}

absl::StatusOr<Principal> Authenticate(const grpc::ServerContextBase& ctx,
                                       const TokenSigner& signer) {
  const auto& metadata = ctx.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return absl::UnauthenticatedError("missing 'authorization: Bearer <token>' metadata");
  }
  absl::string_view value(it->second.data(), it->second.size());
  if (!absl::StartsWithIgnoreCase(value, kBearer)) {
    return absl::UnauthenticatedError("authorization metadata must be 'Bearer <token>'");
  }
  auto claims = signer.Verify(value.substr(kBearer.size()), absl::Now());
  if (!claims.ok()) return claims.status();
  return Principal{claims->subject(), claims->organization_code(), claims->role()};
}

absl::Status RequireRole(const Principal& principal,
                         std::initializer_list<federation::v1::Role> roles) {
  for (auto role : roles) {
    if (principal.role == role) return absl::OkStatus();
  }
  std::string allowed;
  for (auto role : roles) absl::StrAppend(&allowed, allowed.empty() ? "" : ", ", RoleName(role));
  return absl::PermissionDeniedError(
      absl::StrCat("role ", RoleName(principal.role), " may not do this (needs ", allowed, ")"));
}

}  // namespace fed
