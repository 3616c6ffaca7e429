// Browser sessions and who may see what. A person logs in with an access
// token (as minted by `fedctl token issue`); the dashboard answers with a
// session cookie (HttpOnly, SameSite=Strict) that carries a fresh token with
// the same identity, signed with the suite's secret and valid at most
// kMaxSession. Nothing is stored server-side: a restart keeps people logged in.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/auth.h"

namespace dashboard {

inline constexpr char kSessionCookie[] = "fed_session";
inline constexpr absl::Duration kMaxSession = absl::Hours(12);

struct Session {
  std::string cookie_value;  // the session token
  int64_t max_age_seconds = 0;
  fed::Principal principal;
};

// Verifies `token` and opens a session for its holder. UNAUTHENTICATED for a
// bad or expired token; PERMISSION_DENIED for roles the dashboard serves
// nothing to (judges).
absl::StatusOr<Session> Login(const fed::TokenVerifier& verifier, absl::string_view token,
                              absl::Time now);

// The principal of the session cookie in a Cookie header; UNAUTHENTICATED if
// there is none or it is invalid or expired.
absl::StatusOr<fed::Principal> FromCookieHeader(const fed::TokenVerifier& verifier,
                                                absl::string_view cookie_header, absl::Time now);

// The value of cookie `name` in a Cookie header ("" if absent).
std::string CookieValue(absl::string_view cookie_header, absl::string_view name);

// Set-Cookie header values: open a session, and end it.
std::string SetCookie(const Session& session, bool secure);
std::string ClearCookie(bool secure);

// Access rules. National roles (viewer, reviewer, admin, service) see the
// national board and every province; a province's staff see their own
// province only.
bool SeesNationalBoard(const fed::Principal& who);
bool MaySeeOrganization(const fed::Principal& who, absl::string_view code);

}  // namespace dashboard
