#include "tools/fedctl/aggregator_client.h"

#include <cmath>
#include <cstdlib>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "services/common/enum_names.h"
#include "services/common/topology.h"
#include "tools/fedctl/credentials.h"

namespace fedctl {
namespace {

namespace v1 = federation::v1;

// A stream of a few hundred reports is committed in a few group commits;
// a minute leaves room for a busy deadline day.
constexpr absl::Duration kPushDeadline = absl::Minutes(2);

}  // namespace

CommandSpec& WithAggregatorOption(CommandSpec& command) {
  return command.Option("aggregator", "HOST:PORT",
                        absl::StrCat("aggregator address (env FED_AGGREGATOR_TARGET, default ",
                                     fed::DefaultAddress("aggregator"), ")"));
}

std::string AggregatorTarget(const Invocation& invocation) {
  return ServiceTarget(invocation, "aggregator", "FED_AGGREGATOR_TARGET",
                       fed::DefaultAddress("aggregator"));
}

AggregatorClient AggregatorClient::Connect(const Invocation& invocation) {
  return AggregatorClient(fed::OpenChannel(AggregatorTarget(invocation)),
                          ResolveAccessToken(invocation.global()));
}

absl::Status AggregatorClient::Push(const std::vector<v1::PushedReport>& reports,
                                    std::vector<v1::PushAck>* acks) const {
  grpc::ClientContext context;
  fed::PrepareCall(context, token_, kPushDeadline);
  auto stream = stub_->PushReports(&context);
  // The server acknowledges while it reads: write from a second thread so
  // that neither side waits for the other's buffer to drain.
  std::thread writer([&] {
    for (const auto& report : reports) {
      if (!stream->Write(report)) break;  // the stream ended; Finish says why
    }
    stream->WritesDone();
  });
  v1::PushAck ack;
  while (stream->Read(&ack)) acks->push_back(ack);
  writer.join();
  return ExplainMissingToken(fed::FromGrpcStatus(stream->Finish()), token_);
}

std::string ReportStateLabel(v1::ReportState state) { return fed::EnumWordLower(state); }

std::string PushOutcomeLabel(v1::PushOutcome outcome) { return fed::EnumWordLower(outcome); }

std::string FormatFigure(double value) {
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(value));
  }
  std::string text = absl::StrFormat("%.2f", value);
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

}  // namespace fedctl
