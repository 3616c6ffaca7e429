// Access tokens: JSON Web Tokens signed with Ed25519 (protos/federation/v1/
// token.proto describes the format). One issuer holds the private key
// (`fedctl token issue`, on the national office's operator machine); every
// service and the dashboard hold only public keys, so no service, and no
// province's copy of a service, can mint a token.
//
// The key directory every verifier reads (--token_keys_dir, `tools/dev up`
// makes .run/token-keys/) holds
//   <kid>.pub   one public key per issuer key, named by its key id; a token
//               names its kid, so a new key can be added beside the old one
//               and both verify (rotation without a flag day);
//   revoked     the revocation list, one entry a line:
//                 jti <jti>                       one token
//                 subject <unix seconds> <sub>    every token of <sub> issued
//                                                 at or before that time
//               ('#' starts a comment). `fedctl token revoke` appends to it.
// A verifier reads a new key when it first sees its kid, and the revocation
// list within a second of its change; neither needs a restart.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "federation/v1/common.pb.h"
#include "federation/v1/token.pb.h"
#include "services/common/signing_keys.h"

namespace fed {

// The "iss" of every token of the suite.
inline constexpr char kTokenIssuer[] = "federation";
// The longest lifetime (exp - iat) a service accepts unless told otherwise
// (--token_max_lifetime): a lost token stops working within a month even if
// nobody revokes it.
inline constexpr absl::Duration kDefaultMaxTokenLifetime = absl::Hours(24 * 31);
// Longer tokens are refused before any parsing.
inline constexpr size_t kMaxTokenSize = 4096;
// The longest subject and organisation code a token may carry.
inline constexpr size_t kMaxSubjectSize = 128;
inline constexpr size_t kMaxOrganizationCodeSize = 32;

// What to issue.
struct TokenRequest {
  std::string subject;
  std::string organization_code;
  federation::v1::Role role = federation::v1::ROLE_UNSPECIFIED;
  // Where it may be presented: service names and "dashboard"; empty means
  // every service of deploy/topology.txt (the dashboard included).
  std::vector<std::string> audiences;
  absl::Duration lifetime = absl::Hours(24);
};

// What a verified token says.
struct VerifiedToken {
  std::string subject;
  std::string organization_code;
  federation::v1::Role role = federation::v1::ROLE_UNSPECIFIED;
  std::string jti;
  absl::Time issued_at;
  absl::Time expires_at;
};

struct IssuedToken {
  std::string token;
  std::string jti;
  absl::Time expires_at;
};

// INVALID_ARGUMENT naming every problem of a request: unknown role, empty or
// oversized subject, a province role without an organisation, an unknown
// audience, a lifetime that is not positive or above `max_lifetime`.
absl::Status CheckTokenRequest(const TokenRequest& request, absl::Duration max_lifetime);

class TokenIssuer {
 public:
  TokenIssuer(std::string kid, SigningKey key) : kid_(std::move(kid)), key_(std::move(key)) {}
  // The key file <dir>/<kid>.key: the kid is its name without ".key".
  static absl::StatusOr<TokenIssuer> FromKeyFile(const std::string& path);

  // A token for `request` issued at `now`, after CheckTokenRequest with the
  // default maximum lifetime.
  absl::StatusOr<IssuedToken> Issue(const TokenRequest& request, absl::Time now) const;
  // Exactly these claims, signed, unchecked: Issue's last step, and how the
  // attack tests make a token the issuer would refuse to issue.
  std::string SignClaims(const federation::v1::AccessTokenClaims& claims) const;

  const std::string& kid() const { return kid_; }
  SigningKey public_key() const { return key_.PublicHalf(); }

 private:
  std::string kid_;
  SigningKey key_;
};

// Entries of a revocation list (the file format above).
struct RevocationList {
  absl::flat_hash_set<std::string> jtis;
  // Subject -> tokens issued at or before this time are revoked.
  absl::flat_hash_map<std::string, absl::Time> subjects;
  // Lines that are neither (reported at load, never silently applied).
  std::vector<std::string> malformed_lines;

  static RevocationList Parse(absl::string_view text);
  bool Revokes(const VerifiedToken& token) const;
};

class TokenVerifier {
 public:
  struct Options {
    // The key directory (above); empty: only the keys given to the
    // constructor, no revocation list (tests, fuzzing).
    std::string keys_dir;
    // This process's name: a token whose "aud" does not name it is refused.
    std::string audience;
    absl::Duration max_lifetime = kDefaultMaxTokenLifetime;
  };

  // Reads the key directory; FAILED_PRECONDITION when it has no public key.
  static absl::StatusOr<std::unique_ptr<TokenVerifier>> Open(Options options);
  // Fixed keys by kid, plus those of options.keys_dir if set.
  TokenVerifier(Options options, std::map<std::string, SigningKey> keys);

  // UNAUTHENTICATED, saying why, for a token that is malformed, signed by an
  // unknown key or not at all, for another audience or issuer, expired, not
  // yet valid, longer-lived than allowed, or revoked.
  absl::StatusOr<VerifiedToken> Verify(absl::string_view token, absl::Time now) const;

  const std::string& audience() const { return options_.audience; }

 private:
  absl::StatusOr<VerifiedToken> VerifyUncached(absl::string_view token, absl::Time now) const;
  absl::Status CheckClaims(const VerifiedToken& token, absl::Time now) const;
  // The key `kid`, reading the directory again (at most once a second) when
  // it is not known yet: a rotated-in key verifies at once.
  absl::StatusOr<SigningKey> KeyFor(const std::string& kid, absl::Time now) const;
  void ScanKeysLocked(absl::Time now) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RefreshRevocationsLocked(absl::Time now) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  const std::map<std::string, SigningKey> fixed_keys_;
  mutable absl::Mutex mu_;
  mutable std::map<std::string, SigningKey> dir_keys_ ABSL_GUARDED_BY(mu_);
  mutable absl::Time last_key_scan_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  mutable RevocationList revoked_ ABSL_GUARDED_BY(mu_);
  mutable absl::Time last_revocation_check_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  mutable std::string revocation_stamp_ ABSL_GUARDED_BY(mu_);  // size and mtime of the file
  // Verified tokens by their text: a client sends the same token on every
  // call, and a first verification costs ~500x a hit (transport_bench). Expiry and the
  // revocation list are checked again on every hit; emptied when full.
  mutable absl::flat_hash_map<std::string, VerifiedToken> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace fed
