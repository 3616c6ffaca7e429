#include "services/common/auth.h"

#include <memory>
#include <vector>

#include <grpcpp/security/auth_context.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/topology.h"

namespace fed {
namespace {

constexpr absl::string_view kBearer = "Bearer ";
constexpr absl::string_view kProvinceCertificatePrefix = "province-";
// The organisation a service acts for.
constexpr absl::string_view kNationalOrganization = "VUSTA";

bool IsServiceName(absl::string_view name) {
  for (const ServiceEndpoint& service : Services()) {
    if (service.name == name) return true;
  }
  return false;
}

// The common name of the client certificate the TLS handshake verified (the
// server asks every caller for one and checks it against the suite's
// authority; a certificate that fails the check fails the handshake), or ""
// for a caller without one or a plaintext connection.
std::string PeerCertificateName(const grpc::ServerContextBase& ctx) {
  std::shared_ptr<const grpc::AuthContext> auth = ctx.auth_context();
  if (auth == nullptr) return "";
  std::vector<grpc::string_ref> names = auth->FindPropertyValues("x509_common_name");
  // Exactly one: a certificate with several common names names nobody.
  if (names.size() != 1) return "";
  return std::string(names[0].data(), names[0].size());
}

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

std::string ProvinceCertificateName(absl::string_view code) {
  return absl::StrCat(kProvinceCertificatePrefix, code);
}

absl::StatusOr<Principal> AuthenticateParts(absl::string_view authorization,
                                            absl::string_view certificate,
                                            const TokenVerifier& verifier, absl::Time now) {
  absl::string_view province = certificate;
  const bool provincial =
      absl::ConsumePrefix(&province, kProvinceCertificatePrefix) && !province.empty();
  if (authorization.empty()) {
    if (IsServiceName(certificate)) {
      return Principal{std::string(certificate), std::string(kNationalOrganization),
                       federation::v1::ROLE_SERVICE, std::string(certificate)};
    }
    if (provincial) {
      return Principal{absl::StrCat("cert:", certificate), std::string(province),
                       federation::v1::ROLE_PROVINCE_REPORTER, std::string(certificate)};
    }
    return absl::UnauthenticatedError("missing 'authorization: Bearer <token>' metadata");
  }
  if (!absl::StartsWithIgnoreCase(authorization, kBearer)) {
    return absl::UnauthenticatedError("authorization metadata must be 'Bearer <token>'");
  }
  absl::StatusOr<VerifiedToken> token = verifier.Verify(authorization.substr(kBearer.size()), now);
  if (!token.ok()) return token.status();
  if (provincial && token->organization_code != province) {
    return absl::PermissionDeniedError(
        absl::StrCat("this connection's certificate is ", certificate,
                     ": it carries only tokens of organisation ", province));
  }
  return Principal{token->subject, token->organization_code, token->role, std::string(certificate)};
}

absl::StatusOr<Principal> Authenticate(const grpc::ServerContextBase& ctx,
                                       const TokenVerifier& verifier) {
  const auto& metadata = ctx.client_metadata();
  auto it = metadata.find("authorization");
  absl::string_view authorization;
  if (it != metadata.end()) authorization = absl::string_view(it->second.data(), it->second.size());
  return AuthenticateParts(authorization, PeerCertificateName(ctx), verifier, absl::Now());
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
