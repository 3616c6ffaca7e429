#include "services/dashboard/session.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace dashboard {

namespace v1 = federation::v1;

namespace {

bool ServedRole(v1::Role role) {
  switch (role) {
    case v1::ROLE_VIEWER:
    case v1::ROLE_NATIONAL_REVIEWER:
    case v1::ROLE_NATIONAL_ADMIN:
    case v1::ROLE_SERVICE:
    case v1::ROLE_PROVINCE_REPORTER:
      return true;
    default:
      return false;
  }
}

fed::Principal PrincipalOf(const fed::VerifiedToken& token) {
  fed::Principal p;
  p.subject = token.subject;
  p.organization_code = token.organization_code;
  p.role = token.role;
  return p;
}

}  // namespace

absl::StatusOr<LoginGrant> VerifyLogin(const fed::TokenVerifier& verifier, absl::string_view token,
                                       absl::Time now) {
  token = absl::StripAsciiWhitespace(token);
  if (absl::StartsWithIgnoreCase(token, "bearer ")) token.remove_prefix(7);
  auto verified = verifier.Verify(token, now);
  if (!verified.ok()) return verified.status();
  if (!ServedRole(verified->role)) {
    return absl::PermissionDeniedError(
        absl::StrCat("role ", fed::RoleName(verified->role), " has no dashboard"));
  }
  LoginGrant grant;
  grant.principal = PrincipalOf(*verified);
  grant.token_expires = verified->expires_at;
  grant.token = std::string(token);
  return grant;
}

std::string CookieValue(absl::string_view cookie_header, absl::string_view name) {
  for (absl::string_view part : absl::StrSplit(cookie_header, ';')) {
    part = absl::StripAsciiWhitespace(part);
    size_t eq = part.find('=');
    if (eq == absl::string_view::npos) continue;
    if (part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
  }
  return "";
}

std::string SetCookie(absl::string_view id, int64_t max_age_seconds, bool secure) {
  return absl::StrCat(kSessionCookie, "=", id, "; Path=/; Max-Age=", max_age_seconds,
                      "; HttpOnly; SameSite=Strict", secure ? "; Secure" : "");
}

std::string ClearCookie(bool secure) {
  return absl::StrCat(kSessionCookie, "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict",
                      secure ? "; Secure" : "");
}

bool SeesNationalBoard(const fed::Principal& who) {
  return who.role == v1::ROLE_VIEWER || who.role == v1::ROLE_NATIONAL_REVIEWER ||
         who.role == v1::ROLE_NATIONAL_ADMIN || who.role == v1::ROLE_SERVICE;
}

bool MaySeeOrganization(const fed::Principal& who, absl::string_view code) {
  if (SeesNationalBoard(who)) return true;
  return who.role == v1::ROLE_PROVINCE_REPORTER && !code.empty() && who.organization_code == code;
}

}  // namespace dashboard
