// The transport of real service processes: secure by default (no
// certificates and no --insecure: the service does not start), TLS that a
// plaintext client cannot talk to, plaintext only when asked for.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/common/transport.h"
#include "tests/support/process.h"
#include "tests/support/test_env.h"
#include "tests/support/test_tls.h"

namespace fedtest {
namespace {

using ::testing::HasSubstr;
namespace health = grpc::health::v1;

class TransportProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(::testing::TempDir(), "/fed-transport-", getpid());
    ASSERT_EQ(std::system(absl::StrCat("mkdir -p ", dir_).c_str()), 0);
    WriteTestKeys(dir_ + "/token-keys");
    address_ = absl::StrCat("127.0.0.1:", FreePort());
  }
  void TearDown() override { std::system(absl::StrCat("rm -rf ", dir_).c_str()); }

  std::unique_ptr<ServiceProcess> Registry(const std::string& db_url,
                                           std::vector<std::string> transport) {
    std::vector<std::string> args = {"--listen=" + address_, "--db=" + db_url,
                                     "--token_keys_dir=" + dir_ + "/token-keys"};
    args.insert(args.end(), transport.begin(), transport.end());
    return std::make_unique<ServiceProcess>("services/registry/registry_server", args,
                                            dir_ + "/registry.log");
  }

  grpc::Status Check(const fed::Transport& transport) {
    auto stub = health::Health::NewStub(fed::OpenChannelWith(transport, address_));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    health::HealthCheckResponse response;
    return stub->Check(&ctx, health::HealthCheckRequest(), &response);
  }

  std::string dir_;
  std::string address_;
};

TEST_F(TransportProcessTest, ServiceWithoutCertificatesOrInsecureRefusesToStart) {
  // No database either: the transport is checked before anything else.
  auto registry = Registry("postgresql://nobody@127.0.0.1:1/none", {});
  registry->Start();
  for (int i = 0; i < 100 && registry->Running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(registry->Running()) << "started without a transport";
  EXPECT_THAT(registry->LogTail(), HasSubstr("event=start_failed"));
  EXPECT_THAT(registry->LogTail(), HasSubstr("no TLS certificates: pass --tls_dir"));
  EXPECT_THAT(registry->LogTail(), HasSubstr("--insecure"));
}

TEST_F(TransportProcessTest, TlsServiceRefusesPlaintextAndServesTheSuite) {
  TestDatabase db("transport");
  auto registry = Registry(db.url(), TlsArgs());
  registry->Start();
  ASSERT_TRUE(registry->WaitHealthy(address_, 30)) << registry->LogTail();
  EXPECT_THAT(registry->LogTail(), HasSubstr("transport=\"tls"));

  EXPECT_TRUE(Check(TestTransport("operator")).ok());
  grpc::Status plaintext = Check(fed::Transport::Plaintext());
  EXPECT_EQ(plaintext.error_code(), grpc::StatusCode::UNAVAILABLE) << plaintext.error_message();
}

TEST_F(TransportProcessTest, PlaintextOnlyWithInsecure) {
  TestDatabase db("transport");
  auto registry = Registry(db.url(), {"--insecure"});
  registry->Start();
  // The process's own transport is TLS (the test's): wait with plaintext.
  bool healthy = false;
  for (int i = 0; i < 150 && !healthy && registry->Running(); ++i) {
    healthy = Check(fed::Transport::Plaintext()).ok();
    if (!healthy) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_TRUE(healthy) << registry->LogTail();
  EXPECT_THAT(registry->LogTail(), HasSubstr("transport=\"plaintext (--insecure)\""));
  EXPECT_EQ(Check(TestTransport("operator")).error_code(), grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace fedtest
