// A connection to the national aggregator (federation.v1.AggregatorService),
// the counterpart of registry_client.h: one channel, the caller's token and a
// deadline on every call, errors as absl::Status with their field violations.
// The aggregator has its own address, --aggregator HOST:PORT (env
// FED_AGGREGATOR_TARGET, default fed::DefaultAddress("aggregator")); the
// global --target stays the registry's.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "federation/v1/aggregator.grpc.pb.h"
#include "services/common/status.h"
#include "tools/fedctl/cli.h"
#include "tools/fedctl/registry_client.h"

namespace fedctl {

// Declares --aggregator on a command.
CommandSpec& WithAggregatorOption(CommandSpec& command);
// --aggregator, else FED_AGGREGATOR_TARGET, else the default.
std::string AggregatorTarget(const Invocation& invocation);

class AggregatorClient : public ServiceClient<federation::v1::AggregatorService> {
 public:
  using ServiceClient::ServiceClient;
  // Connects to AggregatorTarget with ResolveAccessToken's token (may throw UsageError).
  static AggregatorClient Connect(const Invocation& invocation);

  // Sends `reports` on one PushReports stream (writing while it reads the
  // acknowledgements) and appends every acknowledgement received to `acks`.
  // A stream that breaks leaves some reports without an ack: pushes are
  // idempotent, so the caller may send those again.
  absl::Status Push(const std::vector<federation::v1::PushedReport>& reports,
                    std::vector<federation::v1::PushAck>* acks) const;
};

// "submitted", "accepted", "returned", "draft", "" for unspecified.
std::string ReportStateLabel(federation::v1::ReportState state);
// "stored", "duplicate", "stale_revision", ...
std::string PushOutcomeLabel(federation::v1::PushOutcome outcome);

// A figure as people write it: whole numbers without decimals, others with
// at most two.
std::string FormatFigure(double value);

}  // namespace fedctl
