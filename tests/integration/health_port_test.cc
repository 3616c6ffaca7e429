// A service process's health port (--health_listen): what a probe without
// TLS (Kubernetes' gRPC probe) reaches, beside the TLS port of the API.
#include <unistd.h>

#include <chrono>

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

grpc::Status Check(const fed::Transport& transport, const std::string& address,
                   health::HealthCheckResponse* response) {
  auto stub = health::Health::NewStub(fed::OpenChannelWith(transport, address));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return stub->Check(&ctx, health::HealthCheckRequest(), response);
}

TEST(HealthPortProcessTest, PlaintextProbesReachTheHealthPortOnly) {
  const std::string dir = absl::StrCat(::testing::TempDir(), "/fed-health-port-", getpid());
  ASSERT_EQ(std::system(absl::StrCat("mkdir -p ", dir).c_str()), 0);
  WriteTestKeys(dir + "/token-keys");
  TestDatabase db("healthport");
  const std::string address = absl::StrCat("127.0.0.1:", FreePort());
  const std::string health_address = absl::StrCat("127.0.0.1:", FreePort());
  std::vector<std::string> args = {"--listen=" + address, "--db=" + db.url(),
                                   "--token_keys_dir=" + dir + "/token-keys",
                                   "--health_listen=" + health_address};
  for (std::string& tls : TlsArgs()) args.push_back(std::move(tls));
  ServiceProcess registry("services/registry/registry_server", args, dir + "/registry.log");
  registry.Start();
  ASSERT_TRUE(registry.WaitHealthy(address, 30)) << registry.LogTail();

  health::HealthCheckResponse response;
  grpc::Status probed = Check(fed::Transport::Plaintext(), health_address, &response);
  ASSERT_TRUE(probed.ok()) << probed.error_message() << registry.LogTail();
  EXPECT_EQ(response.status(), health::HealthCheckResponse::SERVING);
  EXPECT_THAT(registry.LogTail(), HasSubstr("event=health_serving"));
  // The API's port stays TLS only.
  EXPECT_EQ(Check(fed::Transport::Plaintext(), address, &response).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  std::system(absl::StrCat("rm -rf ", dir).c_str());
}

}  // namespace
}  // namespace fedtest
