#include "services/common/signing_keys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "absl/strings/str_cat.h"
#include "services/common/files.h"

namespace fed {
namespace {

constexpr size_t kSignatureSize = 64;

// O_EXCL: a key file is never overwritten, and never briefly world-readable.
absl::Status WriteNewFile(const std::string& path, const std::string& content, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST) return absl::AlreadyExistsError(absl::StrCat(path, " already exists"));
    return absl::FailedPreconditionError(absl::StrCat("cannot create ", path));
  }
  ssize_t written = ::write(fd, content.data(), content.size());
  bool ok = written == static_cast<ssize_t>(content.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return absl::FailedPreconditionError(absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

// With its parents; a directory made here gets `mode`, one already there
// keeps its own.
absl::Status MakeDirectory(const std::string& dir, mode_t mode) {
  std::error_code error;
  if (std::filesystem::is_directory(dir, error)) return absl::OkStatus();
  std::filesystem::create_directories(dir, error);
  if (error || ::chmod(dir.c_str(), mode) != 0) {
    return absl::FailedPreconditionError(absl::StrCat("cannot create directory ", dir));
  }
  return absl::OkStatus();
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, size > 0 ? static_cast<size_t>(size) : 0);
}

// A key file read by `parse`; a file that is not a key is named in the error.
absl::StatusOr<SigningKey> KeyFromFile(const std::string& path,
                                       absl::StatusOr<SigningKey> (*parse)(absl::string_view)) {
  absl::StatusOr<std::string> pem = ReadFileToString(path);
  if (!pem.ok()) return pem.status();
  absl::StatusOr<SigningKey> key = parse(*pem);
  if (!key.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": ", key.status().message()));
  }
  return key;
}

}  // namespace

SigningKey::SigningKey(evp_pkey_st* key, bool has_private)
    : key_(key, EVP_PKEY_free), has_private_(has_private) {}

absl::StatusOr<SigningKey> SigningKey::PrivateFromPem(absl::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) return absl::InvalidArgumentError("not a PEM private key");
  SigningKey result(key, /*has_private=*/true);
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    return absl::InvalidArgumentError("not an Ed25519 key");
  }
  return result;
}

absl::StatusOr<SigningKey> SigningKey::PublicFromPem(absl::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) return absl::InvalidArgumentError("not a PEM public key");
  SigningKey result(key, /*has_private=*/false);
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    return absl::InvalidArgumentError("not an Ed25519 key");
  }
  return result;
}

absl::StatusOr<SigningKey> SigningKey::PrivateFromFile(const std::string& path) {
  return KeyFromFile(path, &SigningKey::PrivateFromPem);
}

absl::StatusOr<SigningKey> SigningKey::PublicFromFile(const std::string& path) {
  return KeyFromFile(path, &SigningKey::PublicFromPem);
}

SigningKey SigningKey::Generate() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  // Only an exhausted or broken OpenSSL fails here; nothing can go on.
  if (key == nullptr) std::abort();
  return SigningKey(key, /*has_private=*/true);
}

SigningKey SigningKey::PublicHalf() const {
  absl::StatusOr<SigningKey> key = PublicFromPem(PublicPem());
  // Our own key's PEM always reads back.
  if (!key.ok()) std::abort();
  return *std::move(key);
}

std::string SigningKey::Sign(absl::string_view message) const {
  if (!has_private_) return "";
  std::string signature(kSignatureSize, '\0');
  size_t size = signature.size();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok =
      EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key_.get()) == 1 &&
      EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return "";
  signature.resize(size);
  return signature;
}

bool SigningKey::Verify(absl::string_view message, absl::string_view signature) const {
  if (signature.size() != kSignatureSize) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, key_.get()) == 1 &&
            EVP_DigestVerify(
                ctx, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

std::string SigningKey::PublicPem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key_.get());
  std::string pem = BioContents(bio);
  BIO_free(bio);
  return pem;
}

std::string SigningKey::PrivatePem() const {
  if (!has_private_) return "";
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
  std::string pem = BioContents(bio);
  BIO_free(bio);
  return pem;
}

bool IsValidKeyId(absl::string_view kid) {
  if (kid.empty() || kid.size() > 64) return false;
  for (char c : kid) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

absl::Status WriteNewKeyPair(const std::string& private_dir, const std::string& public_dir,
                             absl::string_view kid) {
  if (!IsValidKeyId(kid)) {
    return absl::InvalidArgumentError(
        absl::StrCat("key id '", kid, "' must be 1 to 64 of A-Z a-z 0-9 _ -"));
  }
  if (absl::Status made = MakeDirectory(private_dir, 0700); !made.ok()) return made;
  if (absl::Status made = MakeDirectory(public_dir, 0755); !made.ok()) return made;
  SigningKey key = SigningKey::Generate();
  const std::string private_path = absl::StrCat(private_dir, "/", kid, ".key");
  const std::string public_path = absl::StrCat(public_dir, "/", kid, ".pub");
  if (::access(public_path.c_str(), F_OK) == 0) {
    return absl::AlreadyExistsError(absl::StrCat(public_path, " already exists"));
  }
  if (absl::Status written = WriteNewFile(private_path, key.PrivatePem(), 0600); !written.ok()) {
    return written;
  }
  // The public key last: a verifier never sees a key whose private half is
  // missing.
  return WriteNewFile(public_path, key.PublicPem(), 0644);
}

}  // namespace fed
