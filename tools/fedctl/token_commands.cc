// `fedctl token ...`: the token issuer's commands, run where the issuer's
// private key is (the national office's operator machine): issue a token for
// people and programs that call the services without fedctl, revoke one, and
// make a new issuer key for a rotation.
#include <fcntl.h>
#include <unistd.h>

#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "services/common/signing_keys.h"
#include "services/common/tokens.h"
#include "tools/fedctl/commands.h"
#include "tools/fedctl/credentials.h"
#include "tools/fedctl/names.h"

namespace fedctl {
namespace {

constexpr absl::Duration kMaxTokenLifetime = fed::kDefaultMaxTokenLifetime;

// "24h", "90m", "3600s", "7d", or plain seconds.
absl::Duration ParseLifetime(const std::string& text) {
  std::string digits = text;
  absl::Duration unit = absl::Seconds(1);
  if (!text.empty()) {
    switch (text.back()) {
      case 's':
        unit = absl::Seconds(1);
        digits.pop_back();
        break;
      case 'm':
        unit = absl::Minutes(1);
        digits.pop_back();
        break;
      case 'h':
        unit = absl::Hours(1);
        digits.pop_back();
        break;
      case 'd':
        unit = absl::Hours(24);
        digits.pop_back();
        break;
      default:
        break;
    }
  }
  int64_t count = 0;
  if (!absl::SimpleAtoi(digits, &count) || count <= 0) {
    throw UsageError(
        absl::StrCat("--ttl must be a duration such as 24h, 90m or 3600s; got '", text, "'"));
  }
  absl::Duration lifetime = unit * count;
  if (lifetime > kMaxTokenLifetime) {
    throw UsageError(absl::StrCat("--ttl must be at most ", absl::FormatDuration(kMaxTokenLifetime),
                                  " (the services refuse longer-lived tokens)"));
  }
  return lifetime;
}

int RunTokenIssue(const Invocation& invocation) {
  if (invocation.Get("subject").empty()) throw UsageError("--subject must not be empty");
  federation::v1::Role role = ParseRole(invocation.Get("role"), "--role");
  absl::Duration lifetime = ParseLifetime(invocation.Get("ttl", "24h"));
  std::vector<std::string> audiences;
  if (!invocation.Get("audience").empty()) {
    audiences = absl::StrSplit(invocation.Get("audience"), ',', absl::SkipEmpty());
  }
  auto issuer = LoadTokenIssuer(invocation.global());
  if (!issuer.ok()) throw UsageError(std::string(issuer.status().message()));

  fed::TokenRequest request;
  request.subject = invocation.Get("subject");
  request.organization_code = invocation.Get("org");
  request.role = role;
  request.lifetime = lifetime;
  request.audiences = audiences;
  absl::StatusOr<fed::IssuedToken> issued = issuer->Issue(request, absl::Now());
  if (!issued.ok()) throw UsageError(std::string(issued.status().message()));
  // Only the token on stdout, so that `export FED_TOKEN=$(fedctl token issue ...)` works;
  // its id (to revoke it by) and expiry go to stderr, for the operator's records.
  std::cout << issued->token << "\n";
  std::cerr << "token id (jti) " << issued->jti << ", key " << issuer->kid() << ", expires "
            << absl::FormatTime(absl::RFC3339_sec, issued->expires_at, absl::UTCTimeZone()) << "\n";
  return 0;
}

std::string KeysDirOf(const Invocation& invocation) {
  std::string dir = invocation.Get("keys_dir", FindTokenKeysDir());
  if (dir.empty()) {
    throw UsageError(
        "no token key directory: pass --keys_dir DIR (tools/dev up makes .run/token-keys)");
  }
  return dir;
}

// Appends one line with O_APPEND: concurrent revocations never interleave,
// and every service notices the file's change within a second.
void AppendRevocation(const std::string& dir, const std::string& line) {
  const std::string path = dir + "/revoked";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw UsageError(absl::StrCat("cannot open ", path));
  const std::string text = line + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw UsageError(absl::StrCat("cannot write ", path));
}

bool IsPrintableWord(const std::string& text) {
  if (text.empty()) return false;
  for (unsigned char c : text) {
    if (c <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

int RunTokenRevoke(const Invocation& invocation) {
  const std::string jti = invocation.Get("jti");
  const std::string subject = invocation.Get("subject");
  if (jti.empty() == subject.empty()) throw UsageError("give exactly one of --jti and --subject");
  const std::string dir = KeysDirOf(invocation);
  if (!jti.empty()) {
    if (!IsPrintableWord(jti)) throw UsageError("--jti must be one word of printable characters");
    AppendRevocation(dir, absl::StrCat("jti ", jti));
    std::cout << "revoked token " << jti << "\n";
    return 0;
  }
  for (unsigned char c : subject) {
    if (c < 0x20 || c == 0x7f) throw UsageError("--subject must not hold control characters");
  }
  // Every token of the subject issued up to now; one issued later works.
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  AppendRevocation(dir, absl::StrCat("subject ", now, " ", subject));
  std::cout << "revoked every token of " << subject << " issued until now\n";
  return 0;
}

int RunTokenNewKey(const Invocation& invocation) {
  const std::string kid = invocation.Get("kid");
  std::string issuer_dir = invocation.Get("issuer_dir");
  if (issuer_dir.empty()) {
    const std::string keys = FindTokenKeysDir();
    if (keys.empty()) throw UsageError("pass --issuer_dir DIR (the private key's directory)");
    issuer_dir = keys.substr(0, keys.rfind('/')) + "/issuer";
  }
  const std::string keys_dir = KeysDirOf(invocation);
  if (absl::Status written = fed::WriteNewKeyPair(issuer_dir, keys_dir, kid); !written.ok()) {
    throw UsageError(std::string(written.message()));
  }
  std::cout << "new issuer key " << kid << ": private " << issuer_dir << "/" << kid
            << ".key, public " << keys_dir << "/" << kid << ".pub\n"
            << "Copy the public key to every service's token key directory; tokens of older "
               "keys stay valid while their .pub files stay there.\n";
  return 0;
}

}  // namespace

std::vector<CommandSpec> TokenCommands() {
  return {Command("token issue", "Mint an access token with the issuer's private key and print it.",
                  RunTokenIssue)
              .Required("subject", "NAME", "who the token is for (a login or a system's name)")
              .Required("org", "CODE", "organisation the holder acts for, e.g. 14 or VUSTA")
              .Required("role", "ROLE",
                        "province_reporter, national_reviewer, national_admin, judge, viewer or "
                        "service")
              .Option("ttl", "DURATION",
                      "lifetime such as 24h, 90m, 3600s, 7d (default 24h, at most 31d)")
              .Option("audience", "NAMES",
                      "comma-separated services it may be shown to, e.g. aggregator (default: "
                      "every service and the dashboard)"),
          Command("token revoke", "Revoke one token (--jti) or every token of a subject so far.",
                  RunTokenRevoke)
              .Option("jti", "ID", "the token's id, as `token issue` printed it")
              .Option("subject", "NAME", "every token of this subject issued until now")
              .Option("keys_dir", "DIR", "token key directory (default .run/token-keys)"),
          Command("token new-key", "Make a new issuer key pair (a key rotation).", RunTokenNewKey)
              .Required("kid", "ID", "the new key's id, e.g. 2026-12 (A-Z a-z 0-9 _ -)")
              .Option("issuer_dir", "DIR", "where the private key goes (default .run/issuer)")
              .Option("keys_dir", "DIR", "where the public key goes (default .run/token-keys)")};
}

}  // namespace fedctl
