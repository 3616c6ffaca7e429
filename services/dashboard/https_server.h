// The dashboard's listening socket: HTTPS with the certificate its gRPC calls
// already present (--tls_dir/dashboard.crt and .key, checked at start by
// fed::LoadTransport), or plain HTTP when, and only when, the process was
// told --insecure. Browsers are not asked for a client certificate.
#pragma once

#include <memory>

#include <httplib.h>

#include "absl/status/statusor.h"
#include "services/common/transport.h"

namespace dashboard {

// An httplib::SSLServer serving `transport`'s certificate chain and key (TLS
// 1.2 or later), or an httplib::Server for a plaintext transport.
absl::StatusOr<std::unique_ptr<httplib::Server>> NewHttpServer(const fed::Transport& transport);

}  // namespace dashboard
