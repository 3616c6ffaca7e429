#include "tools/fedctl/ranking_client.h"

#include "services/common/topology.h"
#include "tools/fedctl/credentials.h"

namespace fedctl {

std::string RankingTarget(const Invocation& invocation) {
  return ServiceTarget(invocation, "ranking", "FED_RANKING_TARGET", fed::DefaultAddress("ranking"));
}

RankingClient RankingClient::Connect(const Invocation& invocation) {
  return RankingClient(fed::OpenChannel(RankingTarget(invocation)),
                       ResolveAccessToken(invocation.global()));
}

}  // namespace fedctl
