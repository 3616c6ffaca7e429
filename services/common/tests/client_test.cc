// The shared outbound client: a dependency that cannot answer never becomes a
// refusal, a definite answer keeps its meaning, and a service knows which of
// its dependencies is down.
#include "services/common/client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "federation/v1/common.pb.h"
#include "services/common/status.h"
#include "services/common/validation.h"

namespace fed {
namespace {

using ::testing::HasSubstr;

ServiceClient::Options QuickRetries() {
  ServiceClient::Options options;
  options.deadline = absl::Seconds(1);
  options.fail_fast_for = absl::ZeroDuration();
  return options;
}

TEST(DependencyErrorTest, TransientFailuresBecomeUnavailableNamingTheDependency) {
  for (grpc::StatusCode code : {grpc::StatusCode::UNAVAILABLE, grpc::StatusCode::DEADLINE_EXCEEDED,
                                grpc::StatusCode::INTERNAL, grpc::StatusCode::RESOURCE_EXHAUSTED,
                                grpc::StatusCode::ABORTED, grpc::StatusCode::UNKNOWN}) {
    absl::Status status =
        DependencyError("registry", "GetOrganization", grpc::Status(code, "database error"));
    EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << code;
    EXPECT_THAT(std::string(status.message()), HasSubstr("registry unavailable"));
    EXPECT_THAT(std::string(status.message()), HasSubstr("GetOrganization"));
  }
}

TEST(DependencyErrorTest, DefiniteAnswersKeepTheirCodeAndFields) {
  EXPECT_EQ(DependencyError("registry", "GetOrganization",
                            grpc::Status(grpc::StatusCode::NOT_FOUND, "no organisation 99"))
                .code(),
            absl::StatusCode::kNotFound);
  Violations violations;
  violations.Add("period", "not a period");
  absl::Status invalid =
      DependencyError("aggregator", "GetTotals", ToGrpcStatus(violations.ToStatus()));
  EXPECT_EQ(invalid.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(invalid.GetPayload(kValidationErrorsUrl).has_value()) << "the fields must travel on";
}

TEST(DependencyErrorTest, RefusedServiceIdentityIsAnInternalFaultNotTheUsers) {
  absl::Status status = DependencyError(
      "registry", "GetOrganization", grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "bad token"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(status.message()), HasSubstr("registry"));
}

TEST(ServiceClientTest, ReadTriesATransientFailureAgain) {
  ServiceClient client("registry", "test", QuickRetries());
  int calls = 0;
  absl::Status status = client.Read("GetOrganization", [&](grpc::ClientContext&) {
    return ++calls < 3 ? grpc::Status(grpc::StatusCode::UNAVAILABLE, "restarting")
                       : grpc::Status::OK;
  });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(calls, 3);
}

TEST(ServiceClientTest, WriteIsTriedOnce) {
  ServiceClient client("competition", "test", QuickRetries());
  int calls = 0;
  absl::Status status = client.Write("SubmitEntry", [&](grpc::ClientContext&) {
    ++calls;
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "restarting");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(calls, 1);
}

TEST(ServiceClientTest, CallsCarryTheClientsDeadline) {
  ServiceClient client("registry", "aggregator", QuickRetries());
  auto ctx = client.Context();
  EXPECT_LT(ctx->deadline(), std::chrono::system_clock::now() + std::chrono::seconds(2));
  EXPECT_GT(ctx->deadline(), std::chrono::system_clock::now());
}

TEST(ServiceClientTest, ADependencyThatIsDownIsReportedAndAskedLessOften) {
  ServiceClient::Options options = QuickRetries();
  options.read_attempts = 1;
  options.fail_fast_for = absl::Minutes(1);
  ServiceClient client("registry", "aggregator", options);
  int calls = 0;
  auto ping = [&](grpc::ClientContext&) {
    ++calls;
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "failed to connect to all addresses");
  };
  EXPECT_EQ(client.Read("Ping", ping).code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(client.state().healthy);
  bool listed = false;
  for (const auto& state : DependencyStates()) {
    if (state.name == "registry" && !state.healthy) listed = true;
  }
  EXPECT_TRUE(listed) << "the process-wide list must show the registry as down";

  // Within fail_fast_for of the failure, the next caller is answered at once.
  EXPECT_EQ(client.Read("Ping", ping).code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(calls, 1);

  // An answer, even NOT_FOUND, means the dependency is back.
  ServiceClient fresh("registry", "aggregator", QuickRetries());
  (void)fresh.Read("GetOrganization", [](grpc::ClientContext&) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no organisation 99");
  });
  EXPECT_TRUE(fresh.state().healthy);
}

}  // namespace
}  // namespace fed
