// The token secret and the clock the token and dashboard targets share, fixed
// so that the seed tokens in corpus/ (minted with this secret, valid until
// 2030) verify on any day and a crash found once reproduces.
#pragma once

#include "absl/time/time.h"
#include "services/common/auth.h"

namespace fedfuzz {

inline constexpr char kTokenSecret[] = "fuzz-token-secret-0123456789abcdef";

// 2025-07-01 00:00:00 UTC.
inline absl::Time FuzzNow() { return absl::FromUnixSeconds(1751328000); }

inline const fed::TokenSigner& FuzzSigner() {
  static const auto* const signer = new fed::TokenSigner(kTokenSecret);
  return *signer;
}

}  // namespace fedfuzz
