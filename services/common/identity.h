// A process's identity settings, the same for every service and the
// dashboard: where the issuer's public keys are (to verify callers' tokens),
// the longest token lifetime accepted, and, only for a process without a
// certificate of its own (--insecure), the token it shows on its own calls.
#pragma once

#include <memory>
#include <string>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/tokens.h"

ABSL_DECLARE_FLAG(std::string, token_keys_dir);
ABSL_DECLARE_FLAG(absl::Duration, token_max_lifetime);
ABSL_DECLARE_FLAG(std::string, service_token_file);

namespace fed {

// The verifier of process `name` (its audience) from the flags; with
// --service_token_file, also the process's ServiceTokenSource (client.h).
absl::StatusOr<std::unique_ptr<TokenVerifier>> IdentityFromFlags(absl::string_view name);

}  // namespace fed
