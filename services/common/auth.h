// Identity for the whole suite. A caller is known by one of
//   - an access token ("authorization: Bearer <token>"): a JSON Web Token
//     signed with the issuer's Ed25519 key (services/common/tokens.h), minted
//     by `fedctl token issue` for people and provincial systems;
//   - the client certificate of its TLS connection (services/common/
//     transport.h), verified against the suite's authority in the handshake:
//     a service's own certificate (CN = its name in deploy/topology.txt)
//     makes it that service; a provincial system's certificate
//     (CN = "province-<code>") makes it that organisation's reporter.
// A call with both is the token's holder, and on a provincial certificate the
// token must be for that same organisation: a province's system cannot push
// for another with a token it obtained.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include "absl/strings/string_view.h"

#include <grpcpp/server_context.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "federation/v1/common.pb.h"
#include "services/common/tokens.h"

namespace fed {

// Who is calling, once their token has been verified.
struct Principal {
  std::string subject;
  std::string organization_code;
  federation::v1::Role role = federation::v1::ROLE_UNSPECIFIED;

  // The common name of the caller's verified client certificate, if it
  // presented one ("aggregator", "province-14"); empty otherwise.
  std::string certificate = {};

  bool IsNational() const;  // reviewer, admin or service
};

// The certificate common name of a provincial system of organisation `code`.
std::string ProvinceCertificateName(absl::string_view code);

// Who the caller is, from its bearer token and its client certificate (see
// above). UNAUTHENTICATED for a missing or invalid token on a connection
// whose certificate names nobody; PERMISSION_DENIED for a token of another
// organisation on a provincial certificate.
absl::StatusOr<Principal> Authenticate(const grpc::ServerContextBase& ctx,
                                       const TokenVerifier& verifier);
// The same from the parts (tests, and callers that are not gRPC handlers):
// `authorization` is the metadata value ("" when absent), `certificate` the
// peer certificate's common name ("" when none).
absl::StatusOr<Principal> AuthenticateParts(absl::string_view authorization,
                                            absl::string_view certificate,
                                            const TokenVerifier& verifier, absl::Time now);

// PERMISSION_DENIED unless the principal has one of the roles.
absl::Status RequireRole(const Principal& principal,
                         std::initializer_list<federation::v1::Role> roles);

absl::string_view RoleName(federation::v1::Role role);      // "province_reporter"
federation::v1::Role RoleFromName(absl::string_view name);  // UNSPECIFIED if unknown

}  // namespace fed
