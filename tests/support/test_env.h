// Test support shared by every service's tests: a fresh PostgreSQL database
// per test suite (on the private cluster `tools/dev test` starts), and a
// service served over real gRPC on a loopback port.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "services/common/auth.h"
#include "services/common/db.h"
#include "services/common/worker_pool.h"

namespace fedtest {

// Creates a uniquely named database on the server named by FED_TEST_PG_URL
// and drops it on destruction. Fails the test loudly when the variable is
// missing: storage tests never silently skip.
//
// FED_TEST_PG_URL is the administrator's (`tools/dev pg-start` prints it),
// with `passfile=<dir>/federation.pgpass`; each service's roles have theirs
// beside it (<dir>/<role>.pgpass), as `tools/dev` writes them.
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& prefix);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // The administrator's (a superuser): for tests that inspect or break
  // things behind a service's back.
  const std::string& url() const { return url_; }
  // The schema's owner role (<schema>_owner), which applies its migrations,
  // after creating the schema owned by it: what a deployment does once.
  std::string OwnerUrl(const std::string& schema);
  // The schema's runtime role (<schema>_app): what a service serves with.
  std::string RuntimeUrl(const std::string& schema) const;

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

// A gRPC server on 127.0.0.1:<free port> with the given services.
class LoopbackServer {
 public:
  explicit LoopbackServer(const std::vector<grpc::Service*>& services);
  ~LoopbackServer();

  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  std::string address() const { return address_; }
  // Says `name` SERVING (or not) in its grpc.health.v1, as a service's
  // process does for its own health names (fed::PublishHealth).
  void SetHealth(const std::string& name, bool serving);

 private:
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::string address_;
};

// The test process's token issuer: a key made afresh by each test process
// (kid "test"). Services in the process verify with TestVerifier; service
// processes a test starts are given WriteTestKeys' directory.
const fed::TokenIssuer& TestIssuer();
// A verifier of TestIssuer's tokens for `audience` (a service's name).
const fed::TokenVerifier& TestVerifier(const std::string& audience);
// Writes TestIssuer's public key as <dir>/test.pub (the directory made if
// missing): the --token_keys_dir of a service process.
void WriteTestKeys(const std::string& dir);
// A token of TestIssuer, valid for an hour, for every service.
std::string TestToken(federation::v1::Role role, const std::string& organization_code,
                      const std::string& subject = "");
// Claims as TestIssuer would issue them (every audience, an hour), for tests
// that change one and sign them with TestIssuer().SignClaims.
federation::v1::AccessTokenClaims ClaimsFor(federation::v1::Role role,
                                            const std::string& organization_code,
                                            const std::string& subject);
// Makes in-process services show a TestIssuer token of role service on their
// own calls (they share the test's certificate, which names no service).
void UseTestServiceTokens();

// A ClientContext carrying a valid token for (role, organisation).
std::unique_ptr<grpc::ClientContext> ContextAs(federation::v1::Role role,
                                               const std::string& organization_code);
// The "Bearer <token>" value of an authorization header for (role,
// organisation), valid for an hour: what a client keeps and sends.
std::string BearerFor(federation::v1::Role role, const std::string& organization_code);
// A ClientContext carrying that header.
std::unique_ptr<grpc::ClientContext> ContextWith(const std::string& bearer);
// A ClientContext with no credentials at all.
std::unique_ptr<grpc::ClientContext> AnonymousContext();

// Path of a file in the source tree (tests run from the build tree).
std::string SourcePath(const std::string& relative);

}  // namespace fedtest
