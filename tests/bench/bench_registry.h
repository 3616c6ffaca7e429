// The registry as every benchmark runs it: in this process, on a loopback
// port, over the benchmark's database (its schema already migrated).
#pragma once

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "services/common/db.h"
#include "services/common/worker_pool.h"
#include "services/registry/grpc_service.h"
#include "services/registry/registry.h"
#include "tests/support/test_env.h"

namespace fedbench {

class InProcessRegistry {
 public:
  explicit InProcessRegistry(const std::string& db_url)
      : db_(db_url, "registry", 4),
        logic_(db_),
        service_(&logic_, {&fedtest::TestVerifier("registry"), &workers_}),
        server_({&service_}) {}

  std::shared_ptr<grpc::Channel> channel() const { return server_.channel(); }

 private:
  fed::WorkerPool workers_{4};
  fed::DbPool db_;
  registry::Registry logic_;
  registry::RegistryGrpcService service_;
  fedtest::LoopbackServer server_;
};

}  // namespace fedbench
