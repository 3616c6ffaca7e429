// How a call is served: memory-first handlers answer on gRPC's thread, and
// one that would block is run again, from a clean response, on the workers.
#include <atomic>

#include <gtest/gtest.h>

#include "grpc/health/v1/health.grpc.pb.h"
#include "services/common/db.h"
#include "services/common/unary.h"
#include "tests/support/test_env.h"

namespace fed {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// A Health service whose Check is served memory-first and needs to block
// when the request names the service "fetch", or reads PostgreSQL when it
// names "database".
class FetchingHealth final : public Health::CallbackService {
 public:
  explicit FetchingHealth(CallContext call) : call_(call) {}

  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* ctx,
                                  const HealthCheckRequest* request,
                                  HealthCheckResponse* response) override {
    return ServeMethod(ctx, call_, "Check", this, &FetchingHealth::Answer, request, response,
                       Blocking::kMemoryFirst);
  }

  absl::Status Answer(const Principal&, const HealthCheckRequest& req, HealthCheckResponse* out) {
    attempts++;
    if (req.service() == "database") {
      // Not asking whether it may block: the pool refuses on gRPC's thread.
      if (!BlockingAllowed()) out->set_status(HealthCheckResponse::NOT_SERVING);
      return db->InTransaction([&](pqxx::work& txn) -> absl::Status {
        if (txn.exec1("SELECT 1")[0].as<int>() == 1) out->set_status(HealthCheckResponse::SERVING);
        return absl::OkStatus();
      });
    }
    if (!BlockingAllowed()) {
      out->set_status(HealthCheckResponse::NOT_SERVING);  // must not reach the caller
      if (req.service() == "fetch") return WouldBlockError();
      out->set_status(HealthCheckResponse::SERVING);
      return absl::OkStatus();
    }
    ran_blocking++;
    if (req.service() == "fetch") out->set_status(HealthCheckResponse::SERVICE_UNKNOWN);
    return absl::OkStatus();
  }

  std::atomic<int> attempts{0};
  std::atomic<int> ran_blocking{0};
  DbPool* db = nullptr;

 private:
  CallContext call_;
};

class UnaryTest : public ::testing::Test {
 protected:
  UnaryTest()
      : service_(CallContext{&fedtest::TestVerifier("registry"), &workers_}),
        server_({&service_}) {}

  grpc::Status Check(const std::string& name, HealthCheckResponse* out) {
    HealthCheckRequest req;
    req.set_service(name);
    return Health::NewStub(server_.channel())
        ->Check(fedtest::ContextAs(federation::v1::ROLE_VIEWER, "VUSTA").get(), req, out);
  }

  WorkerPool workers_{2};
  FetchingHealth service_;
  fedtest::LoopbackServer server_;
};

TEST_F(UnaryTest, AMemoryAnswerIsGivenOnTheFirstTry) {
  HealthCheckResponse out;
  ASSERT_TRUE(Check("memory", &out).ok());
  EXPECT_EQ(out.status(), HealthCheckResponse::SERVING);
  EXPECT_EQ(service_.attempts, 1);
  EXPECT_EQ(service_.ran_blocking, 0);
}

TEST_F(UnaryTest, AHandlerThatWouldBlockRunsAgainOnTheWorkersFromACleanResponse) {
  HealthCheckResponse out;
  ASSERT_TRUE(Check("fetch", &out).ok());
  EXPECT_EQ(service_.attempts, 2);
  EXPECT_EQ(service_.ran_blocking, 1);
  // The second run's answer only: nothing the first try wrote.
  EXPECT_EQ(out.status(), HealthCheckResponse::SERVICE_UNKNOWN);
}

TEST_F(UnaryTest, TheDatabaseIsNeverReadOnGrpcsOwnThread) {
  fedtest::TestDatabase database("unary");
  DbPool pool(database.url(), "public", 1);
  service_.db = &pool;
  HealthCheckResponse out;
  ASSERT_TRUE(Check("database", &out).ok());
  EXPECT_EQ(out.status(), HealthCheckResponse::SERVING);
  EXPECT_EQ(service_.attempts, 2);
}

TEST(WouldBlockError, IsToldApartFromARealUnavailable) {
  EXPECT_TRUE(IsWouldBlock(WouldBlockError()));
  EXPECT_FALSE(IsWouldBlock(absl::UnavailableError("the registry is down")));
  EXPECT_TRUE(BlockingAllowed());
}

}  // namespace
}  // namespace fed
