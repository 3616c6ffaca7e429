// Tokens the reporting process mints for itself when it calls other services
// (the registry, the aggregator): role service, acting for the national
// union, valid a few minutes.
#pragma once

#include <string>

#include "absl/time/clock.h"
#include "federation/v1/common.pb.h"
#include "services/common/auth.h"

namespace reporting {

inline constexpr absl::Duration kServiceTokenLifetime = absl::Minutes(5);

inline std::string MintServiceToken(const fed::TokenSigner& signer, const std::string& subject) {
  federation::v1::TokenClaims claims;
  claims.set_subject(subject);
  claims.set_organization_code("VUSTA");
  claims.set_role(federation::v1::ROLE_SERVICE);
  const absl::Time now = absl::Now();
  claims.set_issued_at_unix(absl::ToUnixSeconds(now));
  claims.set_expires_at_unix(absl::ToUnixSeconds(now + kServiceTokenLifetime));
  return signer.Mint(claims);
}

}  // namespace reporting
