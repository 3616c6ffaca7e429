#include "tests/support/test_env.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "services/common/client.h"
#include "services/common/server.h"
#include "services/common/topology.h"
#include "tests/support/test_tls.h"

namespace fedtest {
namespace {

std::string RequiredEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    throw std::runtime_error(absl::StrCat(
        name, " is not set: run the tests with `tools/dev test`, which starts PostgreSQL"));
  }
  return value;
}

// Replaces the database name of a postgresql:// URL (the path after the
// host: a passfile parameter has slashes of its own).
std::string WithDatabase(const std::string& url, const std::string& database) {
  const size_t slash = url.find('/', url.find("://") + 3);
  const size_t query = url.find('?', slash);
  return url.substr(0, slash + 1) + database +
         (query == std::string::npos ? "" : url.substr(query));
}

// `url` for `role`: its user, and its passfile beside the one `url` names.
std::string AsRole(const std::string& url, const std::string& role) {
  const size_t scheme = url.find("://");
  const size_t at = url.find('@');
  const size_t passfile = url.find("passfile=");
  if (scheme == std::string::npos || at == std::string::npos || passfile == std::string::npos) {
    throw std::runtime_error(absl::StrCat(
        "FED_TEST_PG_URL must be postgresql://<admin>@host:port/db?passfile=<dir>/<admin>.pgpass "
        "(tools/dev pg-start prints it), got ",
        url));
  }
  const size_t value = passfile + std::string("passfile=").size();
  const size_t value_end = url.find('&', value);
  const size_t dir_end = url.rfind('/', value_end == std::string::npos ? url.size() : value_end);
  std::string out =
      url.substr(0, scheme + 3) + role + url.substr(at, dir_end + 1 - at) + role + ".pgpass";
  if (value_end != std::string::npos) out += url.substr(value_end);
  return out;
}

}  // namespace

std::string TestDatabase::OwnerUrl(const std::string& schema) {
  const std::string owner = schema + "_owner";
  pqxx::connection admin(url_);
  pqxx::nontransaction txn(admin);
  txn.exec(absl::StrCat("CREATE SCHEMA IF NOT EXISTS ", admin.quote_name(schema), " AUTHORIZATION ",
                        admin.quote_name(owner)));
  return AsRole(url_, owner);
}

std::string TestDatabase::RuntimeUrl(const std::string& schema) const {
  return AsRole(url_, schema + "_app");
}

TestDatabase::TestDatabase(const std::string& prefix) {
  static std::atomic<int> counter{0};
  admin_url_ = RequiredEnv("FED_TEST_PG_URL");
  name_ = absl::StrCat("test_", prefix, "_", getpid(), "_", counter++);
  pqxx::connection admin(admin_url_);
  pqxx::nontransaction txn(admin);
  txn.exec(absl::StrCat("DROP DATABASE IF EXISTS ", admin.quote_name(name_)));
  txn.exec(absl::StrCat("CREATE DATABASE ", admin.quote_name(name_),
                        " TEMPLATE template0 ENCODING 'UTF8'"));
  url_ = WithDatabase(admin_url_, name_);
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection admin(admin_url_);
    pqxx::nontransaction txn(admin);
    txn.exec(absl::StrCat("DROP DATABASE IF EXISTS ", admin.quote_name(name_), " WITH (FORCE)"));
  } catch (const std::exception&) {
    // Leaving a test database behind is harmless; failing a destructor is not.
  }
}

LoopbackServer::LoopbackServer(const std::vector<grpc::Service*>& services) {
  // Over TLS, as a deployed service (also outside gtest: the benchmarks).
  UseTestTransport();
  UseTestServiceTokens();
  int port = 0;
  auto server = fed::StartGrpcServer("127.0.0.1:0", services, &port);
  if (!server.ok()) throw std::runtime_error(std::string(server.status().message()));
  server_ = std::move(*server);
  address_ = absl::StrCat("127.0.0.1:", port);
  channel_ = fed::OpenChannel(address_);
}

void LoopbackServer::SetHealth(const std::string& name, bool serving) {
  fed::SetHealth({server_.get()}, name, serving);
}

LoopbackServer::~LoopbackServer() {
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
}

const fed::TokenIssuer& TestIssuer() {
  static const auto* const issuer = new fed::TokenIssuer("test", fed::SigningKey::Generate());
  return *issuer;
}

const fed::TokenVerifier& TestVerifier(const std::string& audience) {
  static absl::Mutex mu(absl::kConstInit);
  static auto* verifiers = new std::map<std::string, std::unique_ptr<fed::TokenVerifier>>();
  absl::MutexLock lock(&mu);
  std::unique_ptr<fed::TokenVerifier>& verifier = (*verifiers)[audience];
  if (verifier == nullptr) {
    fed::TokenVerifier::Options options;
    options.audience = audience;
    verifier = std::make_unique<fed::TokenVerifier>(
        options, std::map<std::string, fed::SigningKey>{{"test", TestIssuer().public_key()}});
  }
  return *verifier;
}

void WriteTestKeys(const std::string& dir) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/test.pub") << TestIssuer().public_key().PublicPem();
}

std::string TestToken(federation::v1::Role role, const std::string& organization_code,
                      const std::string& subject) {
  fed::TokenRequest request;
  request.subject = subject.empty()
                        ? absl::StrCat("test-", fed::RoleName(role), "-", organization_code)
                        : subject;
  request.organization_code = organization_code;
  request.role = role;
  request.lifetime = absl::Hours(1);
  absl::StatusOr<fed::IssuedToken> issued = TestIssuer().Issue(request, absl::Now());
  if (!issued.ok()) throw std::runtime_error(std::string(issued.status().message()));
  return issued->token;
}

federation::v1::AccessTokenClaims ClaimsFor(federation::v1::Role role,
                                            const std::string& organization_code,
                                            const std::string& subject) {
  federation::v1::AccessTokenClaims claims;
  claims.set_iss(fed::kTokenIssuer);
  claims.set_sub(subject);
  claims.set_org(organization_code);
  claims.set_role(std::string(fed::RoleName(role)));
  for (const fed::ServiceEndpoint& service : fed::Services()) {
    claims.add_aud(std::string(service.name));
  }
  const absl::Time now = absl::Now();
  claims.set_iat(static_cast<uint32_t>(absl::ToUnixSeconds(now)));
  claims.set_exp(static_cast<uint32_t>(absl::ToUnixSeconds(now + absl::Hours(1))));
  claims.set_jti(absl::StrCat("test-", subject, "-", absl::ToUnixNanos(now)));
  return claims;
}

void UseTestServiceTokens() {
  // One token per caller, made again when half its hour is gone: a service
  // sends the same token on every call, as a deployed client would (a fresh
  // one each call would cost a signature and an uncached verification).
  struct Minted {
    std::string token;
    absl::Time at;
  };
  static absl::Mutex mu(absl::kConstInit);
  static auto* minted = new std::map<std::string, Minted>();
  fed::SetServiceTokenSource([](absl::string_view caller) {
    absl::MutexLock lock(&mu);
    Minted& entry = (*minted)[std::string(caller)];
    if (entry.token.empty() || absl::Now() - entry.at > absl::Minutes(30)) {
      entry = {TestToken(federation::v1::ROLE_SERVICE, "VUSTA", std::string(caller)), absl::Now()};
    }
    return entry.token;
  });
}

std::string BearerFor(federation::v1::Role role, const std::string& organization_code) {
  return absl::StrCat("Bearer ", TestToken(role, organization_code));
}

std::unique_ptr<grpc::ClientContext> ContextWith(const std::string& bearer) {
  auto ctx = AnonymousContext();
  ctx->AddMetadata("authorization", bearer);
  return ctx;
}

std::unique_ptr<grpc::ClientContext> ContextAs(federation::v1::Role role,
                                               const std::string& organization_code) {
  return ContextWith(BearerFor(role, organization_code));
}

std::unique_ptr<grpc::ClientContext> AnonymousContext() {
  auto ctx = fed::OutgoingContext(/*token=*/"", absl::Seconds(30));
  return ctx;
}

std::string SourcePath(const std::string& relative) {
  return absl::StrCat(FEDERATION_SOURCE_DIR, "/", relative);
}

}  // namespace fedtest
