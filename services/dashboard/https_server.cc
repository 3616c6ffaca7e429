#include "services/dashboard/https_server.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace dashboard {

namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using Bio = std::unique_ptr<BIO, BioDeleter>;

Bio MemoryBio(const std::string& pem) {
  return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// The leaf, then the rest of the chain, as SSL_CTX_use_certificate_chain_file
// would read them from a file; the transport holds them in memory.
bool UseChain(SSL_CTX& ctx, const std::string& pem) {
  Bio bio = MemoryBio(pem);
  X509* leaf = PEM_read_bio_X509_AUX(bio.get(), nullptr, nullptr, nullptr);
  if (leaf == nullptr) return false;
  const bool used = SSL_CTX_use_certificate(&ctx, leaf) == 1;
  X509_free(leaf);
  if (!used) return false;
  while (X509* next = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    if (SSL_CTX_add0_chain_cert(&ctx, next) != 1) {
      X509_free(next);
      return false;
    }
  }
  ERR_clear_error();  // the end of the PEM data reads as an error
  return true;
}

bool UseKey(SSL_CTX& ctx, const std::string& pem) {
  Bio bio = MemoryBio(pem);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) return false;
  const bool used = SSL_CTX_use_PrivateKey(&ctx, key) == 1;
  EVP_PKEY_free(key);
  return used && SSL_CTX_check_private_key(&ctx) == 1;
}

}  // namespace

absl::StatusOr<std::unique_ptr<httplib::Server>> NewHttpServer(const fed::Transport& transport) {
  if (transport.insecure) return std::make_unique<httplib::Server>();
  if (transport.cert_pem.empty() || transport.key_pem.empty()) {
    return absl::FailedPreconditionError(
        "HTTPS needs the dashboard's certificate and key in --tls_dir (or --insecure)");
  }
  auto server = std::make_unique<httplib::SSLServer>([&transport](SSL_CTX& ctx) {
    SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    return UseChain(ctx, transport.cert_pem) && UseKey(ctx, transport.key_pem);
  });
  if (!server->is_valid()) {
    const char* reason = ERR_reason_error_string(ERR_get_error());
    return absl::FailedPreconditionError(
        absl::StrCat("cannot serve HTTPS with ", transport.description, ": ",
                     reason != nullptr ? reason : "unusable certificate or key"));
  }
  return server;
}

}  // namespace dashboard
