#include "services/common/transport.h"
#include "services/common/files.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

ABSL_FLAG(std::string, tls_dir, "",
          "Directory with the TLS files: ca.crt (the authority that signs every certificate of "
          "the suite), <tls_name>.crt and <tls_name>.key (this process's certificate and key). "
          "Required unless --insecure.");
ABSL_FLAG(std::string, tls_name, "",
          "Whose certificate in --tls_dir (default: the service's name, e.g. registry).");
ABSL_FLAG(bool, insecure, false,
          "Speak plaintext gRPC instead of TLS: for local experiments on loopback only.");
ABSL_FLAG(bool, tls_require_client_cert, false,
          "Refuse callers that present no client certificate (by default a certificate is "
          "asked for and verified when given, and bearer tokens still authenticate callers "
          "without one, such as a provincial system or a health probe).");

namespace fed {
namespace {

absl::Mutex g_transport_mu(absl::kConstInit);
absl::StatusOr<Transport>* g_transport ABSL_GUARDED_BY(g_transport_mu) = nullptr;

bool Exists(const std::string& path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0;
}

// A certificate or key file: present and not empty.
absl::StatusOr<std::string> ReadFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFileToString(path);
  if (text.ok() && text->empty()) {
    return absl::FailedPreconditionError(absl::StrCat(path, " is empty"));
  }
  return text;
}

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Deleter {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

std::unique_ptr<X509, X509Deleter> ParseCertificate(const std::string& pem) {
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return std::unique_ptr<X509, X509Deleter>(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

// gRPC only says "Invalid cert chain file" (or nothing, and then refuses
// every handshake) when the files are wrong; say which file and why here.
absl::Status CheckCertificate(const std::string& pem, const std::string& path) {
  auto cert = ParseCertificate(pem);
  if (!cert) return absl::FailedPreconditionError(absl::StrCat(path, " is not a PEM certificate"));
  if (X509_cmp_current_time(X509_get0_notAfter(cert.get())) <= 0) {
    return absl::FailedPreconditionError(absl::StrCat(path, " has expired"));
  }
  if (X509_cmp_current_time(X509_get0_notBefore(cert.get())) > 0) {
    return absl::FailedPreconditionError(absl::StrCat(path, " is not valid yet"));
  }
  return absl::OkStatus();
}

absl::Status CheckKeyPair(const std::string& cert_pem, const std::string& key_pem,
                          const std::string& cert_path, const std::string& key_path) {
  auto cert = ParseCertificate(cert_pem);
  std::unique_ptr<BIO, BioDeleter> bio(
      BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())));
  std::unique_ptr<EVP_PKEY, KeyDeleter> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    return absl::FailedPreconditionError(
        absl::StrCat(key_path, " is not an unencrypted PEM private key"));
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    return absl::FailedPreconditionError(absl::StrCat(key_path, " is not the key of ", cert_path));
  }
  return absl::OkStatus();
}

// A blocking (sync API) client drives its channel's I/O only while one of
// its threads waits on a call; between calls (a pusher sleeping before it
// tries again, a follower backing off) the connection attempt progresses
// only when gRPC's backup poller runs, every 5 s by default. A plaintext
// connection needs no reads to become READY; a TLS handshake needs several,
// so a reconnection to a restarted service took many of those 5 s steps and
// ran into the 20 s connect deadline again and again ("Handshake read
// failed", "tcp handshaker shutdown"). gRPC 1.51 reads the interval from the
// environment at its first initialisation: set before any channel or
// server exists (an interval the operator set is kept).
void PollConnectionsOften() {
  static const bool set = [] {
    ::setenv("GRPC_CLIENT_CHANNEL_BACKUP_POLL_INTERVAL_MS", "100", /*overwrite=*/0);
    return true;
  }();
  (void)set;
}

}  // namespace

absl::StatusOr<Transport> LoadTransport(const TransportOptions& options) {
  PollConnectionsOften();
  if (options.insecure) {
    if (!options.tls_dir.empty()) {
      return absl::InvalidArgumentError("--insecure and --tls_dir contradict each other");
    }
    return Transport::Plaintext();
  }
  if (options.tls_dir.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no TLS certificates: pass --tls_dir DIR (holding ca.crt, ", options.name, ".crt and ",
        options.name,
        ".key; tools/dev up makes them in .run/tls), or --insecure for plaintext on a trusted "
        "loopback"));
  }
  Transport transport;
  transport.require_client_cert = options.require_client_cert;
  const std::string ca_path = absl::StrCat(options.tls_dir, "/ca.crt");
  auto ca = ReadFile(ca_path);
  if (!ca.ok()) return ca.status();
  if (absl::Status ok = CheckCertificate(*ca, ca_path); !ok.ok()) return ok;
  transport.ca_pem = *std::move(ca);

  const std::string cert_path = absl::StrCat(options.tls_dir, "/", options.name, ".crt");
  const std::string key_path = absl::StrCat(options.tls_dir, "/", options.name, ".key");
  const bool has_cert = Exists(cert_path), has_key = Exists(key_path);
  if (has_cert != has_key) {
    return absl::FailedPreconditionError(
        absl::StrCat(has_cert ? key_path : cert_path, " is missing (",
                     has_cert ? cert_path : key_path, " is there)"));
  }
  transport.description = absl::StrCat("tls ca=", ca_path);
  if (has_cert) {
    auto cert = ReadFile(cert_path);
    if (!cert.ok()) return cert.status();
    auto key = ReadFile(key_path);
    if (!key.ok()) return key.status();
    if (absl::Status ok = CheckCertificate(*cert, cert_path); !ok.ok()) return ok;
    if (absl::Status ok = CheckKeyPair(*cert, *key, cert_path, key_path); !ok.ok()) return ok;
    transport.cert_pem = *std::move(cert);
    transport.key_pem = *std::move(key);
    absl::StrAppend(&transport.description, " cert=", cert_path);
  } else {
    absl::StrAppend(&transport.description, " cert=none");
  }
  if (options.require_client_cert) absl::StrAppend(&transport.description, " client_cert=required");
  return transport;
}

TransportOptions TransportOptionsFromFlags(absl::string_view default_name) {
  TransportOptions options;
  options.tls_dir = absl::GetFlag(FLAGS_tls_dir);
  options.name = absl::GetFlag(FLAGS_tls_name);
  if (options.name.empty()) options.name = std::string(default_name);
  options.insecure = absl::GetFlag(FLAGS_insecure);
  options.require_client_cert = absl::GetFlag(FLAGS_tls_require_client_cert);
  return options;
}

void SetTransport(absl::StatusOr<Transport> transport) {
  PollConnectionsOften();
  auto* next = new absl::StatusOr<Transport>(std::move(transport));
  absl::MutexLock lock(&g_transport_mu);
  // The previous one is leaked on purpose: a channel being made on another
  // thread may still read it (set twice at most, in tests).
  g_transport = next;
}

absl::Status ConfigureTransportFromFlags(absl::string_view name) {
  absl::StatusOr<Transport> transport = LoadTransport(TransportOptionsFromFlags(name));
  absl::Status status = transport.status();
  SetTransport(std::move(transport));
  return status;
}

absl::StatusOr<Transport> CurrentTransport() {
  absl::MutexLock lock(&g_transport_mu);
  if (g_transport == nullptr) {
    return absl::FailedPreconditionError(
        "no transport chosen: the program must call fed::ConfigureTransportFromFlags or "
        "fed::SetTransport before it opens a channel");
  }
  return *g_transport;
}

std::shared_ptr<grpc::ChannelCredentials> ChannelCredentialsFor(const Transport& transport) {
  if (transport.insecure) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = transport.ca_pem;
  options.pem_private_key = transport.key_pem;
  options.pem_cert_chain = transport.cert_pem;
  return grpc::SslCredentials(options);
}

std::shared_ptr<grpc::ServerCredentials> ServerCredentialsFor(const Transport& transport) {
  if (transport.insecure) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions options(
      transport.require_client_cert ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                                    : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = transport.ca_pem;
  options.pem_key_cert_pairs.push_back({transport.key_pem, transport.cert_pem});
  return grpc::SslServerCredentials(options);
}

}  // namespace fed
