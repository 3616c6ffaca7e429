#include "tools/fedctl/credentials.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tools/fedctl/checkout.h"
#include "tools/fedctl/names.h"

namespace fedctl {
namespace {

namespace fs = std::filesystem;

constexpr char kRunIssuer[] = ".run/issuer";
constexpr char kRunTokenKeys[] = ".run/token-keys";
constexpr char kRunTlsCa[] = ".run/tls/ca.crt";

}  // namespace

std::string FindIssuerKey(const GlobalOptions& global) {
  if (!global.issuer_key.empty()) return global.issuer_key;
  const std::string dir = FindDirectoryInCheckout(kRunIssuer);
  if (dir.empty()) return "";
  // The newest key: after a rotation, new tokens carry the new kid.
  std::string newest;
  fs::file_time_type newest_time;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
    if (entry.path().extension() != ".key") continue;
    fs::file_time_type time = entry.last_write_time(error);
    if (error) continue;
    if (newest.empty() || time > newest_time) {
      newest = entry.path().string();
      newest_time = time;
    }
  }
  return newest;
}

absl::StatusOr<fed::TokenIssuer> LoadTokenIssuer(const GlobalOptions& global) {
  std::string path = FindIssuerKey(global);
  if (path.empty()) {
    return absl::FailedPreconditionError(
        "no token issuer key: pass --issuer_key FILE, set FED_ISSUER_KEY, or run "
        "'tools/dev up', which creates .run/issuer/<kid>.key");
  }
  return fed::TokenIssuer::FromKeyFile(path);
}

std::string MintToken(const fed::TokenIssuer& issuer, const std::string& subject,
                      const std::string& organization_code, federation::v1::Role role,
                      absl::Duration lifetime, const std::vector<std::string>& audiences) {
  fed::TokenRequest request;
  request.subject = subject;
  request.organization_code = organization_code;
  request.role = role;
  request.lifetime = lifetime;
  request.audiences = audiences;
  absl::StatusOr<fed::IssuedToken> issued = issuer.Issue(request, absl::Now());
  if (!issued.ok()) throw UsageError(std::string(issued.status().message()));
  return issued->token;
}

std::string FindTokenKeysDir() { return FindDirectoryInCheckout(kRunTokenKeys); }

std::string ResolveAccessToken(const GlobalOptions& global) {
  if (!global.token.empty()) return global.token;
  // Without an issuer key the call goes out bare; the server's
  // UNAUTHENTICATED answer then says what is missing.
  if (FindIssuerKey(global).empty()) return "";
  auto issuer = LoadTokenIssuer(global);
  if (!issuer.ok()) throw UsageError(std::string(issuer.status().message()));
  federation::v1::Role role = ParseRole(global.as_role, "--as_role");
  return MintToken(*issuer, absl::StrCat("fedctl@", CurrentUser()), global.as_org, role,
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
