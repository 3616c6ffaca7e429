#include "services/common/identity.h"

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/client.h"
#include "services/common/files.h"

ABSL_FLAG(std::string, token_keys_dir, ".run/token-keys",
          "Directory of the token issuer's public keys (<kid>.pub) and the revocation list "
          "(revoked); `tools/dev up` makes it.");
ABSL_FLAG(absl::Duration, token_max_lifetime, fed::kDefaultMaxTokenLifetime,
          "Longest lifetime (exp - iat) of an access token this process accepts.");
ABSL_FLAG(std::string, service_token_file, "",
          "Only with --insecure: a file holding a token of role service (fedctl token issue) "
          "that this process sends on its own calls, having no certificate to show.");

namespace fed {

absl::StatusOr<std::unique_ptr<TokenVerifier>> IdentityFromFlags(absl::string_view name) {
  TokenVerifier::Options options;
  options.keys_dir = absl::GetFlag(FLAGS_token_keys_dir);
  options.audience = std::string(name);
  options.max_lifetime = absl::GetFlag(FLAGS_token_max_lifetime);
  absl::StatusOr<std::unique_ptr<TokenVerifier>> verifier = TokenVerifier::Open(options);
  if (!verifier.ok()) return verifier.status();

  const std::string token_file = absl::GetFlag(FLAGS_service_token_file);
  if (!token_file.empty()) {
    absl::StatusOr<std::string> text = ReadFileToString(token_file);
    std::string token(absl::StripAsciiWhitespace(text.ok() ? *text : ""));
    if (token.empty()) {
      return absl::FailedPreconditionError(absl::StrCat("cannot read a token from ", token_file));
    }
    SetServiceTokenSource([token](absl::string_view) { return token; });
  }
  return verifier;
}

}  // namespace fed
