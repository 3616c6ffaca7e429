// A connection to the ranking service (federation.v1.RankingService): one
// channel, the caller's token and a deadline on every call, errors as
// absl::Status with their field violations. Address: --ranking HOST:PORT
// (env FED_RANKING_TARGET, default fed::DefaultAddress("ranking")).
#pragma once

#include <string>

#include "federation/v1/ranking.grpc.pb.h"
#include "tools/fedctl/cli.h"
#include "tools/fedctl/service_client.h"

namespace fedctl {

// --ranking, else FED_RANKING_TARGET, else the default.
std::string RankingTarget(const Invocation& invocation);

class RankingClient : public ServiceClient<federation::v1::RankingService> {
 public:
  using ServiceClient::ServiceClient;
  // Connects to RankingTarget with ResolveAccessToken's token (may throw UsageError).
  static RankingClient Connect(const Invocation& invocation);
};

}  // namespace fedctl
