// Identity for the whole suite. A token is
//   "fed1.<base64url(TokenClaims)>.<base64url(HMAC-SHA256(secret, claims))>"
// minted by `fedctl token issue` with the secret file that `tools/dev up`
// creates, and checked by every service on every call.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include "absl/strings/string_view.h"

#include <grpcpp/server_context.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "federation/v1/common.pb.h"

namespace fed {

// Who is calling, once their token has been verified.
struct Principal {
  std::string subject;
  std::string organization_code;
  federation::v1::Role role = federation::v1::ROLE_UNSPECIFIED;

  bool IsNational() const;  // reviewer, admin or service
};

class TokenSigner {
 public:
  explicit TokenSigner(std::string secret) : secret_(std::move(secret)) {}

  // Reads a secret file (hex or raw bytes; surrounding whitespace ignored).
  static absl::StatusOr<TokenSigner> FromFile(const std::string& path);

  std::string Mint(const federation::v1::TokenClaims& claims) const;
  // UNAUTHENTICATED for a malformed, forged or expired token.
  absl::StatusOr<federation::v1::TokenClaims> Verify(absl::string_view token, absl::Time now) const;

 private:
  std::string Sign(absl::string_view payload) const;
  std::string secret_;
};

// Reads "authorization: Bearer <token>" from the call's metadata.
absl::StatusOr<Principal> Authenticate(const grpc::ServerContextBase& ctx,
                                       const TokenSigner& signer);

// PERMISSION_DENIED unless the principal has one of the roles.
absl::Status RequireRole(const Principal& principal,
                         std::initializer_list<federation::v1::Role> roles);

absl::string_view RoleName(federation::v1::Role role);      // "province_reporter"
federation::v1::Role RoleFromName(absl::string_view name);  // UNSPECIFIED if unknown

}  // namespace fed
