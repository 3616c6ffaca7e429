// Where fedctl's access token comes from: a token given outright, or one
// minted on the spot with the token issuer's private key (`tools/dev up`
// makes .run/issuer/<kid>.key), so that an operator never has to copy tokens
// around.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "federation/v1/common.pb.h"
#include "services/common/auth.h"
#include "services/common/transport.h"
#include "tools/fedctl/cli.h"

namespace fedctl {

// Minted tokens live this long: enough for one command (or a demo load),
// short enough that a token copied out of a terminal is soon useless.
inline constexpr absl::Duration kMintedTokenLifetime = absl::Minutes(10);

// The issuer key to use: --issuer_key / FED_ISSUER_KEY, else the newest
// <kid>.key in .run/issuer/ of the current directory or of the top of its
// git checkout (`tools/dev up` makes one there). "" when there is none.
std::string FindIssuerKey(const GlobalOptions& global);

// The issuer of FindIssuerKey's file; FAILED_PRECONDITION when there is no
// file or it cannot be used.
absl::StatusOr<fed::TokenIssuer> LoadTokenIssuer(const GlobalOptions& global);

// A token for `subject` valid from now for `lifetime`, for `audiences` (empty:
// every service). Throws UsageError naming what is wrong with the request.
std::string MintToken(const fed::TokenIssuer& issuer, const std::string& subject,
                      const std::string& organization_code, federation::v1::Role role,
                      absl::Duration lifetime, const std::vector<std::string>& audiences = {});

// The token key directory of the checkout (.run/token-keys), "" if none.
std::string FindTokenKeysDir();

// The token to send: --token / FED_TOKEN, else a fresh token minted with
// --as_role / --as_org for "fedctl@<user>", else "" (no credentials).
// Throws UsageError when an issuer key was named but cannot be used, or
// --as_role is not a role.
std::string ResolveAccessToken(const GlobalOptions& global);

// How to reach the services: --insecure, else --tls_dir / FED_TLS_DIR, else
// .run/tls in the current directory or at the top of its git checkout (the
// directory `tools/dev up` fills); the certificate named --tls_name.
fed::TransportOptions TransportOptionsFor(const GlobalOptions& global);

// The login name of whoever runs fedctl ("unknown" if it cannot be found).
std::string CurrentUser();

}  // namespace fedctl
