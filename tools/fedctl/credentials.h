// Where fedctl's access token comes from: a token given outright, or one
// minted on the spot from the suite's token secret (the file `tools/dev up`
// writes to .run/secret), so that a developer never has to copy tokens around.
#pragma once

#include <string>

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

// The secret file to use: --token_secret_file / FED_TOKEN_SECRET_FILE, else
// .run/secret in the current directory or at the top of its git checkout.
// "" when there is none.
std::string FindTokenSecretFile(const GlobalOptions& global);

// The signer for FindTokenSecretFile's file; FAILED_PRECONDITION when there
// is no file or it cannot be used.
absl::StatusOr<fed::TokenSigner> LoadTokenSigner(const GlobalOptions& global);

// Signs claims for `subject` valid from now for `lifetime`.
std::string MintToken(const fed::TokenSigner& signer, const std::string& subject,
                      const std::string& organization_code, federation::v1::Role role,
                      absl::Duration lifetime);

// The token to send: --token / FED_TOKEN, else a fresh token minted with
// --as_role / --as_org for "fedctl@<user>", else "" (no credentials).
// Throws UsageError when a secret file was named but cannot be used, or
// --as_role is not a role.
std::string ResolveAccessToken(const GlobalOptions& global);

// How to reach the services: --insecure, else --tls_dir / FED_TLS_DIR, else
// .run/tls in the current directory or at the top of its git checkout (the
// directory `tools/dev up` fills); the certificate named --tls_name.
fed::TransportOptions TransportOptionsFor(const GlobalOptions& global);

// The login name of whoever runs fedctl ("unknown" if it cannot be found).
std::string CurrentUser();

}  // namespace fedctl
