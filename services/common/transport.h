// How every gRPC connection of the suite is protected, chosen once per
// process: TLS with the suite's certificate authority (mutual between
// services: each presents its own certificate), or plaintext when, and only
// when, the process is told --insecure.
//
// A process that is given neither certificates nor --insecure does not fall
// back to plaintext: a service refuses to start, a client refuses to open a
// channel. The transport is used by fed::OpenChannel (client.h) and
// fed::StartGrpcServer (server.h), the only places channels and listening
// ports are made.
//
// Certificates come from one directory (--tls_dir):
//   ca.crt       the authority every peer's certificate must be signed by
//   NAME.crt     this process's certificate chain (PEM), NAME = --tls_name,
//   NAME.key     by default the service's name ("registry") or "operator"
// `tools/dev up` makes a private authority and one certificate per service
// under .run/tls/ (tools/tls-certs); an operator puts real ones there instead.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/flags/declare.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

ABSL_DECLARE_FLAG(std::string, tls_dir);
ABSL_DECLARE_FLAG(std::string, tls_name);
ABSL_DECLARE_FLAG(bool, insecure);
ABSL_DECLARE_FLAG(bool, tls_require_client_cert);

namespace fed {

// What the process was told (flags, or fedctl's own options).
struct TransportOptions {
  std::string tls_dir;               // ca.crt, <name>.crt, <name>.key
  std::string name;                  // whose certificate: "registry", "operator"
  bool insecure = false;             // plaintext, on purpose
  bool require_client_cert = false;  // servers: refuse callers without a certificate
};

// The loaded transport. A client without a certificate of its own (a
// provincial system authenticating with its bearer token) has empty
// cert_pem/key_pem; a server always has one.
struct Transport {
  bool insecure = false;
  std::string ca_pem;
  std::string cert_pem;
  std::string key_pem;
  bool require_client_cert = false;
  std::string description;  // for the start-up log line: "tls ca=... cert=registry"

  static Transport Plaintext() {
    Transport transport;
    transport.insecure = true;
    transport.description = "plaintext (--insecure)";
    return transport;
  }
};

// Both LoadTransport and SetTransport also set gRPC's backup poll interval
// to 100 ms (GRPC_CLIENT_CHANNEL_BACKUP_POLL_INTERVAL_MS, unless set): see
// transport.cc, blocking clients reconnect over TLS only with it. Call one of
// them before the process makes its first channel or server.
//
// Reads and checks the files `options` name: the authority, and this
// process's certificate and key when present (they must match and be
// current). Neither a directory nor --insecure is an error that says how to
// give one.
absl::StatusOr<Transport> LoadTransport(const TransportOptions& options);

// The options from --tls_dir, --tls_name (default `default_name`),
// --insecure and --tls_require_client_cert.
TransportOptions TransportOptionsFromFlags(absl::string_view default_name);

// The process-wide transport: set once at start (tests may set it again).
// Setting an error makes every later OpenChannel end the process with that
// error (a client told nothing must not quietly speak plaintext).
void SetTransport(absl::StatusOr<Transport> transport);
// LoadTransport(TransportOptionsFromFlags(name)), set as the process's
// transport; the error, if any, is also returned for the caller to report.
absl::Status ConfigureTransportFromFlags(absl::string_view name);
// The transport set last; an error when none was set.
absl::StatusOr<Transport> CurrentTransport();

std::shared_ptr<grpc::ChannelCredentials> ChannelCredentialsFor(const Transport& transport);
// Servers ask every caller for a certificate and verify the one given
// against ca.crt (a certificate from another authority fails the
// handshake); whether a caller without one is served is
// Transport::require_client_cert.
std::shared_ptr<grpc::ServerCredentials> ServerCredentialsFor(const Transport& transport);

// fed::OpenChannel (client.h) and fed::StartGrpcServer (server.h) over a
// given transport rather than the process's: for the transport tests and the
// benchmark, which compare several in one process.
std::shared_ptr<grpc::Channel> OpenChannelWith(const Transport& transport,
                                               const std::string& target,
                                               const grpc::ChannelArguments& arguments = {},
                                               absl::string_view serving_health = "");
absl::StatusOr<std::unique_ptr<grpc::Server>> StartGrpcServerWith(
    const Transport& transport, const std::string& address,
    const std::vector<grpc::Service*>& services, int* bound_port);

}  // namespace fed
