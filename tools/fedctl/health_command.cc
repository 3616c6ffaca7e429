// `fedctl health`: asks a server's grpc.health.v1 service whether it serves.
// tools/dev polls it while a service starts, so it needs no token and its
// exit status is the answer.
#include <iostream>

#include "grpc/health/v1/health.grpc.pb.h"
#include "services/common/status.h"
#include "tools/fedctl/commands.h"
#include "tools/fedctl/registry_client.h"

namespace fedctl {
namespace {

using grpc::health::v1::HealthCheckResponse;

int RunHealth(const Invocation& invocation) {
  auto stub = grpc::health::v1::Health::NewStub(fed::OpenChannel(invocation.global().target));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(invocation.Get("service"));
  HealthCheckResponse response;
  grpc::ClientContext context;
  fed::PrepareCall(context, /*token=*/"", kCallDeadline);
  absl::Status status = fed::FromGrpcStatus(stub->Check(&context, request, &response));
  if (!status.ok()) return ReportRpcError(status);

  Show(invocation, response,
       [&] { std::cout << HealthCheckResponse::ServingStatus_Name(response.status()) << "\n"; });
  return response.status() == HealthCheckResponse::SERVING ? 0 : 1;
}

}  // namespace

std::vector<CommandSpec> HealthCommands() {
  return {Command("health", "Ask --target whether it serves (exit 0 only when SERVING; no token).",
                  RunHealth)
              .Option("service", "NAME", "one service's health (default: the whole server)")};
}

}  // namespace fedctl
