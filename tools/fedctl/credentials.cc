#include "tools/fedctl/credentials.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tools/fedctl/checkout.h"
#include "tools/fedctl/names.h"

namespace fedctl {
namespace {

constexpr char kRunSecret[] = ".run/secret";
constexpr char kRunTlsCa[] = ".run/tls/ca.crt";

}  // namespace

std::string FindTokenSecretFile(const GlobalOptions& global) {
  if (!global.token_secret_file.empty()) return global.token_secret_file;
  return FindInCheckout(kRunSecret);
}

absl::StatusOr<fed::TokenSigner> LoadTokenSigner(const GlobalOptions& global) {
  std::string path = FindTokenSecretFile(global);
  if (path.empty()) {
    return absl::FailedPreconditionError(
        "no token secret: pass --token_secret_file FILE, set FED_TOKEN_SECRET_FILE, or run "
        "'tools/dev up', which creates .run/secret");
  }
  return fed::TokenSigner::FromFile(path);
}

std::string MintToken(const fed::TokenSigner& signer, const std::string& subject,
                      const std::string& organization_code, federation::v1::Role role,
                      absl::Duration lifetime) {
  absl::Time now = absl::Now();
  federation::v1::TokenClaims claims;
  claims.set_subject(subject);
  claims.set_organization_code(organization_code);
  claims.set_role(role);
  claims.set_issued_at_unix(absl::ToUnixSeconds(now));
  claims.set_expires_at_unix(absl::ToUnixSeconds(now + lifetime));
  return signer.Mint(claims);
}

std::string ResolveAccessToken(const GlobalOptions& global) {
  if (!global.token.empty()) return global.token;
  // Without a secret file the call goes out bare; the server's
  // UNAUTHENTICATED answer then says what is missing.
  if (FindTokenSecretFile(global).empty()) return "";
  auto signer = LoadTokenSigner(global);
  if (!signer.ok()) throw UsageError(std::string(signer.status().message()));
  federation::v1::Role role = ParseRole(global.as_role, "--as_role");
  return MintToken(*signer, absl::StrCat("fedctl@", CurrentUser()), global.as_org, role,
                   kMintedTokenLifetime);
}

fed::TransportOptions TransportOptionsFor(const GlobalOptions& global) {
  fed::TransportOptions options;
  options.insecure = global.insecure;
  options.name = global.tls_name.empty() ? "operator" : global.tls_name;
  options.tls_dir = global.tls_dir;
  if (options.tls_dir.empty() && !options.insecure) {
    const std::string ca = FindInCheckout(kRunTlsCa);
    if (!ca.empty()) options.tls_dir = ca.substr(0, ca.size() - std::strlen("/ca.crt"));
  }
  return options;
}

std::string CurrentUser() {
  if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') return user;
  if (const passwd* entry = getpwuid(geteuid()); entry != nullptr && entry->pw_name != nullptr) {
    return entry->pw_name;
  }
  return "unknown";
}

}  // namespace fedctl
