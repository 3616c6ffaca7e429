// The issuer key and the clock the token and dashboard targets share, fixed
// so that the seed tokens in corpus/ (signed with this key, valid on the
// fixed day) verify on any day and a crash found once reproduces. A key for
// fuzzing only: it signs nothing anywhere else.
#pragma once

#include "absl/time/time.h"
#include "services/common/tokens.h"

namespace fedfuzz {

inline constexpr char kIssuerKeyPem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEILTXICpNffUnyK2DroN9xZhHJ1SQY8FCb0DSYZLcM3aE\n"
    "-----END PRIVATE KEY-----\n";

// 2025-07-01 00:00:00 UTC.
inline absl::Time FuzzNow() { return absl::FromUnixSeconds(1751328000); }

inline const fed::TokenIssuer& FuzzIssuer() {
  static const auto* const issuer =
      new fed::TokenIssuer("fuzz", *fed::SigningKey::PrivateFromPem(kIssuerKeyPem));
  return *issuer;
}

// The verifier of `audience`: "aggregator" for the token target, "dashboard"
// for the dashboard's logins.
inline const fed::TokenVerifier& FuzzVerifier(const char* audience) {
  auto make = [](const char* name) {
    fed::TokenVerifier::Options options;
    options.audience = name;
    return new fed::TokenVerifier(options, {{"fuzz", FuzzIssuer().public_key()}});
  };
  static const auto* const aggregator = make("aggregator");
  static const auto* const dashboard = make("dashboard");
  return std::string_view(audience) == "dashboard" ? *dashboard : *aggregator;
}

}  // namespace fedfuzz
