// Browser logins and who may see what. A person logs in with an access token
// (as minted by `fedctl token issue`); the dashboard checks it once, here, and
// keeps the session on its side (session_store.h): the cookie holds only an
// opaque random id, never a token, so it opens nothing but this dashboard
// and logging out really ends it.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/auth.h"

namespace dashboard {

inline constexpr char kSessionCookie[] = "fed_session";
inline constexpr absl::Duration kMaxSession = absl::Hours(12);

// Who a verified login token names, and until when the token holds.
struct LoginGrant {
  fed::Principal principal;
  absl::Time token_expires;
  // The token itself (without "Bearer "): the session forwards it on the
  // person's calls to the services (session_store.h), so that they decide
  // what the person may do, as they do for any other client.
  std::string token;
};

// Verifies `token` (a "Bearer " prefix is allowed). UNAUTHENTICATED for a bad
// or expired token; PERMISSION_DENIED for roles the dashboard serves nothing
// to (judges) and for a province login without its organisation. The one
// place the dashboard checks a token.
absl::StatusOr<LoginGrant> VerifyLogin(const fed::TokenVerifier& verifier, absl::string_view token,
                                       absl::Time now);

// The value of cookie `name` in a Cookie header ("" if absent).
std::string CookieValue(absl::string_view cookie_header, absl::string_view name);

// Set-Cookie header values: open session `id` for `max_age_seconds`, and end
// it. `secure` whenever the page is served over TLS.
std::string SetCookie(absl::string_view id, int64_t max_age_seconds, bool secure);
std::string ClearCookie(bool secure);

// Access rules. National roles (viewer, reviewer, admin, service) see the
// national board and every province; a province's staff see their own
// province only.
bool SeesNationalBoard(const fed::Principal& who);
bool MaySeeOrganization(const fed::Principal& who, absl::string_view code);

}  // namespace dashboard
