// `fedctl token issue`: mints an access token with the suite's secret, for
// people and programs that call the services without fedctl.
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tools/fedctl/commands.h"
#include "tools/fedctl/credentials.h"
#include "tools/fedctl/names.h"

namespace fedctl {
namespace {

constexpr absl::Duration kMaxTokenLifetime = absl::Hours(24 * 366);

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
  if (lifetime > kMaxTokenLifetime) throw UsageError("--ttl must be at most a year");
  return lifetime;
}

int RunTokenIssue(const Invocation& invocation) {
  if (invocation.Get("subject").empty()) throw UsageError("--subject must not be empty");
  federation::v1::Role role = ParseRole(invocation.Get("role"), "--role");
  absl::Duration lifetime = ParseLifetime(invocation.Get("ttl", "24h"));
  auto signer = LoadTokenSigner(invocation.global());
  if (!signer.ok()) throw UsageError(std::string(signer.status().message()));

  std::string token =
      MintToken(*signer, invocation.Get("subject"), invocation.Get("org"), role, lifetime);
  // Only the token on stdout, so that `export FED_TOKEN=$(fedctl token issue ...)` works.
  std::cout << token << "\n";
  return 0;
}

}  // namespace

std::vector<CommandSpec> TokenCommands() {
  return {Command("token issue", "Mint an access token with the token secret file and print it.",
                  RunTokenIssue)
              .Required("subject", "NAME", "who the token is for (a login or a system's name)")
              .Required("org", "CODE", "organisation the holder acts for, e.g. 14 or VUSTA")
              .Required("role", "ROLE",
                        "province_reporter, national_reviewer, national_admin, judge, viewer "
                        "or service")
              .Option("ttl", "DURATION", "lifetime such as 24h, 90m, 3600s, 7d (default 24h)")};
}

}  // namespace fedctl
