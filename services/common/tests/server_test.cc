// What a service's ports offer besides its API: reflection only when asked
// for, and a plaintext health port that serves health checking and nothing
// else, answering as the service's own port does.
#include "services/common/server.h"

#include <chrono>
#include <string>

#include <gmock/gmock.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "federation/v1/registry.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/common/transport.h"
#include "tests/support/test_tls.h"

namespace fed {
namespace {

using ::testing::HasSubstr;
namespace health = grpc::health::v1;

std::string Local(int port) { return absl::StrCat("127.0.0.1:", port); }

grpc::Status Check(const Transport& transport, const std::string& address, const std::string& name,
                   health::HealthCheckResponse* response) {
  auto stub = health::Health::NewStub(OpenChannelWith(transport, address));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  health::HealthCheckRequest request;
  request.set_service(name);
  return stub->Check(&ctx, request, response);
}

// grpc.reflection.v1alpha's ListServices, one request on its stream: a unary
// call looks the same on the wire. The answer's bytes name each service.
grpc::Status ListServices(const Transport& transport, const std::string& address,
                          std::string* answer) {
  grpc::GenericStub stub(OpenChannelWith(transport, address));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  // ServerReflectionRequest{list_services: ""}: field 7, length 0.
  const char request_bytes[] = {0x3A, 0x00};
  grpc::Slice slice(request_bytes, sizeof request_bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(&ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", {},
                 &request, &response, [&](grpc::Status s) {
                   status = std::move(s);
                   done.Notify();
                 });
  done.WaitForNotification();
  std::vector<grpc::Slice> slices;
  if (status.ok() && response.Dump(&slices).ok()) {
    for (const grpc::Slice& s : slices) answer->append(s.begin(), s.end());
  }
  return status;
}

struct Started {
  std::unique_ptr<grpc::Server> server;
  int port = 0;
};

Started ServicePort() {
  Started started;
  auto server =
      StartGrpcServerWith(fedtest::TestTransport("registry"), "127.0.0.1:0", {}, &started.port);
  EXPECT_TRUE(server.ok()) << server.status();
  if (server.ok()) started.server = std::move(*server);
  return started;
}

Started HealthPort() {
  Started started;
  auto server = StartHealthServer("127.0.0.1:0", &started.port);
  EXPECT_TRUE(server.ok()) << server.status();
  if (server.ok()) started.server = std::move(*server);
  return started;
}

TEST(ReflectionTest, OffUnlessAskedFor) {
  absl::FlagSaver restore;
  Started service = ServicePort();
  std::string answer;
  EXPECT_EQ(ListServices(fedtest::TestTransport(), Local(service.port), &answer).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);

  absl::SetFlag(&FLAGS_reflection, true);
  Started reflecting = ServicePort();
  grpc::Status listed = ListServices(fedtest::TestTransport(), Local(reflecting.port), &answer);
  ASSERT_TRUE(listed.ok()) << listed.error_message();
  EXPECT_THAT(answer, HasSubstr("grpc.health.v1.Health"));
}

TEST(HealthPortTest, ServesHealthInPlaintextAndNothingElse) {
  absl::FlagSaver restore;
  // Even with reflection asked for the service's port.
  absl::SetFlag(&FLAGS_reflection, true);
  Started port = HealthPort();
  health::HealthCheckResponse response;
  grpc::Status checked = Check(Transport::Plaintext(), Local(port.port), "", &response);
  ASSERT_TRUE(checked.ok()) << checked.error_message();
  EXPECT_EQ(response.status(), health::HealthCheckResponse::SERVING);

  std::string answer;
  EXPECT_EQ(ListServices(Transport::Plaintext(), Local(port.port), &answer).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  auto registry = federation::v1::RegistryService::NewStub(
      OpenChannelWith(Transport::Plaintext(), Local(port.port)));
  grpc::ClientContext ctx;
  federation::v1::Organization organization;
  EXPECT_EQ(registry->GetOrganization(&ctx, {}, &organization).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  // Plaintext only: a TLS client does not get through.
  EXPECT_EQ(Check(fedtest::TestTransport(), Local(port.port), "", &response).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST(HealthPortTest, AnswersAsTheServicePortDoes) {
  Started service = ServicePort();
  Started port = HealthPort();
  const std::string name = "federation.dependency.registry";
  SetHealth({service.server.get(), port.server.get()}, name, false);
  for (const auto& [transport, address] : {std::pair{fedtest::TestTransport(), Local(service.port)},
                                           std::pair{Transport::Plaintext(), Local(port.port)}}) {
    health::HealthCheckResponse response;
    ASSERT_TRUE(Check(transport, address, name, &response).ok()) << address;
    EXPECT_EQ(response.status(), health::HealthCheckResponse::NOT_SERVING) << address;
  }
  SetHealth({service.server.get(), port.server.get()}, name, true);
  health::HealthCheckResponse response;
  ASSERT_TRUE(Check(Transport::Plaintext(), Local(port.port), name, &response).ok());
  EXPECT_EQ(response.status(), health::HealthCheckResponse::SERVING);
}

TEST(HealthPortTest, SaysWhichFlagWhenItCannotListen) {
  int port = 0;
  auto started = StartHealthServer("127.0.0.1:not-a-port", &port);
  ASSERT_FALSE(started.ok());
  EXPECT_THAT(started.status().message(), HasSubstr("--health_listen"));
}

}  // namespace
}  // namespace fed
