// The transport every connection of the suite uses: TLS with the suite's
// authority, a client certificate asked for and verified, plaintext only on
// request; what each kind of wrong caller gets.
#include "services/common/transport.h"

#include <unistd.h>

#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/common/server.h"
#include "tests/support/test_tls.h"

namespace fed {
namespace {

using ::testing::HasSubstr;
namespace health = grpc::health::v1;

// A server with nothing but grpc.health.v1 over `transport`.
struct HealthServer {
  explicit HealthServer(const Transport& transport) {
    int port = 0;
    auto started = StartGrpcServerWith(transport, "127.0.0.1:0", {}, &port);
    EXPECT_TRUE(started.ok()) << started.status();
    if (started.ok()) server = *std::move(started);
    address = absl::StrCat("127.0.0.1:", port);
  }
  ~HealthServer() {
    if (server) server->Shutdown(std::chrono::system_clock::now());
  }
  std::unique_ptr<grpc::Server> server;
  std::string address;
};

grpc::Status Check(const Transport& client, const std::string& address) {
  auto stub = health::Health::NewStub(OpenChannelWith(client, address));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  health::HealthCheckResponse response;
  return stub->Check(&ctx, health::HealthCheckRequest(), &response);
}

// Another authority's directory, made once for this process.
std::string ForeignTlsDir() {
  static const std::string* dir = [] {
    auto* dir = new std::string(absl::StrCat(::testing::TempDir(), "/foreign-tls-", getpid()));
    fedtest::MakeCertificates(*dir, {"test"});
    return dir;
  }();
  return *dir;
}

TEST(TransportTest, MutualTlsBetweenCertificatesOfTheSuite) {
  HealthServer server(fedtest::TestTransport("registry"));
  EXPECT_TRUE(Check(fedtest::TestTransport("aggregator"), server.address).ok());
}

TEST(TransportTest, PlaintextClientToTlsServerIsRefused) {
  HealthServer server(fedtest::TestTransport("registry"));
  grpc::Status status = Check(Transport::Plaintext(), server.address);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
}

TEST(TransportTest, ClientCertificateFromAnotherAuthorityIsRefused) {
  HealthServer server(fedtest::TestTransport("registry"));
  // Trusts the suite's authority (so the server is fine), but presents a
  // certificate the server cannot verify.
  Transport rogue = fedtest::TestTransport("operator");
  TransportOptions foreign;
  foreign.tls_dir = ForeignTlsDir();
  foreign.name = "test";
  auto foreign_transport = LoadTransport(foreign);
  ASSERT_TRUE(foreign_transport.ok()) << foreign_transport.status();
  rogue.cert_pem = foreign_transport->cert_pem;
  rogue.key_pem = foreign_transport->key_pem;
  grpc::Status status = Check(rogue, server.address);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
}

TEST(TransportTest, ServerFromAnotherAuthorityIsNotTrusted) {
  TransportOptions foreign;
  foreign.tls_dir = ForeignTlsDir();
  foreign.name = "test";
  auto impostor = LoadTransport(foreign);
  ASSERT_TRUE(impostor.ok()) << impostor.status();
  HealthServer server(*impostor);
  grpc::Status status = Check(fedtest::TestTransport("operator"), server.address);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
}

// A provincial system (or a probe) with the authority but no certificate of
// its own is served over server-side TLS: its bearer token identifies it.
TEST(TransportTest, ClientWithoutCertificateIsServedUnlessRequired) {
  Transport no_certificate = fedtest::TestTransport("operator");
  no_certificate.cert_pem.clear();
  no_certificate.key_pem.clear();
  {
    HealthServer server(fedtest::TestTransport("registry"));
    EXPECT_TRUE(Check(no_certificate, server.address).ok());
  }
  Transport strict = fedtest::TestTransport("registry");
  strict.require_client_cert = true;
  HealthServer server(strict);
  EXPECT_EQ(Check(no_certificate, server.address).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(Check(fedtest::TestTransport("operator"), server.address).ok());
}

TEST(TransportTest, PlaintextOnlyWhenAskedFor) {
  HealthServer server(Transport::Plaintext());
  EXPECT_TRUE(Check(Transport::Plaintext(), server.address).ok());
  // A TLS client does not fall back to plaintext either.
  EXPECT_EQ(Check(fedtest::TestTransport("operator"), server.address).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST(LoadTransportTest, NeitherCertificatesNorInsecureSaysHowToGiveThem) {
  TransportOptions options;
  options.name = "registry";
  auto transport = LoadTransport(options);
  ASSERT_EQ(transport.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(transport.status().message()), HasSubstr("--tls_dir"));
  EXPECT_THAT(std::string(transport.status().message()), HasSubstr("--insecure"));
  EXPECT_THAT(std::string(transport.status().message()), HasSubstr("registry.crt"));
}

TEST(LoadTransportTest, InsecureAndCertificatesContradict) {
  TransportOptions options;
  options.tls_dir = fedtest::TestTlsDir();
  options.name = "registry";
  options.insecure = true;
  EXPECT_EQ(LoadTransport(options).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(LoadTransportTest, MissingOrMismatchedFilesAreNamed) {
  const std::string dir = absl::StrCat(::testing::TempDir(), "/mixed-tls-", getpid());
  fedtest::MakeCertificates(dir, {"alpha", "beta"});
  TransportOptions options;
  options.tls_dir = dir;
  options.name = "alpha";
  ASSERT_TRUE(LoadTransport(options).ok());

  // alpha's certificate with beta's key.
  std::ifstream beta_key(dir + "/beta.key");
  std::ofstream(dir + "/alpha.key") << beta_key.rdbuf();
  auto mismatched = LoadTransport(options);
  EXPECT_EQ(mismatched.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(mismatched.status().message()), HasSubstr("alpha.key is not the key"));

  ASSERT_EQ(::unlink((dir + "/alpha.key").c_str()), 0);
  auto missing = LoadTransport(options);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("alpha.key is missing"));

  // No certificate at all: a client that authenticates by token only.
  ASSERT_EQ(::unlink((dir + "/alpha.crt").c_str()), 0);
  auto client_only = LoadTransport(options);
  ASSERT_TRUE(client_only.ok()) << client_only.status();
  EXPECT_TRUE(client_only->cert_pem.empty());
  // ... which cannot serve.
  int port = 0;
  EXPECT_EQ(StartGrpcServerWith(*client_only, "127.0.0.1:0", {}, &port).status().code(),
            absl::StatusCode::kFailedPrecondition);

  options.tls_dir = dir + "/nowhere";
  EXPECT_THAT(std::string(LoadTransport(options).status().message()), HasSubstr("ca.crt"));
}

}  // namespace
}  // namespace fed
