// Ed25519 keys for access tokens, as PEM files made by OpenSSL: the issuer's
// private key (<kid>.key, mode 0600, only where tokens are issued) and its
// public key (<kid>.pub, in the directory every service reads). A thin,
// owning wrapper over OpenSSL's EVP_PKEY so that no other file of the suite
// touches OpenSSL's key API.
#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace fed {

class SigningKey {
 public:
  // A private key (PEM "PRIVATE KEY") or a public key (PEM "PUBLIC KEY");
  // anything but Ed25519 is refused.
  static absl::StatusOr<SigningKey> PrivateFromPem(absl::string_view pem);
  static absl::StatusOr<SigningKey> PublicFromPem(absl::string_view pem);
  static absl::StatusOr<SigningKey> PrivateFromFile(const std::string& path);
  static absl::StatusOr<SigningKey> PublicFromFile(const std::string& path);
  // A new private key.
  static SigningKey Generate();

  bool has_private() const { return has_private_; }
  // The public key alone (what a verifier is given).
  SigningKey PublicHalf() const;
  // The 64-byte signature of `message`; only for a private key.
  std::string Sign(absl::string_view message) const;
  bool Verify(absl::string_view message, absl::string_view signature) const;

  std::string PublicPem() const;
  std::string PrivatePem() const;  // only for a private key

 private:
  SigningKey(evp_pkey_st* key, bool has_private);
  std::shared_ptr<evp_pkey_st> key_;  // shared: a loaded key never changes
  bool has_private_ = false;
};

// Whether `kid` may name a key: 1 to 64 of A-Z a-z 0-9 _ - (it becomes a file
// name and travels in every token's header).
bool IsValidKeyId(absl::string_view kid);

// Writes a new key pair: <private_dir>/<kid>.key (0600, the directory made
// 0700 if missing) and <public_dir>/<kid>.pub (0644). ALREADY_EXISTS rather
// than overwriting either file.
absl::Status WriteNewKeyPair(const std::string& private_dir, const std::string& public_dir,
                             absl::string_view kid);

}  // namespace fed
