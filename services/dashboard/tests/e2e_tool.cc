// dashboard_e2e_tool: what a provincial system and a national reviewer do,
// for the browser tests (and the benchmark's report pushers):
//   push   --org 14 --period 2026H1 --revision 1 [--achievements TEXT]
//   accept --org 14 --period 2026H1 --revision 1
// Both talk gRPC to --aggregator with tokens minted with --issuer_key.
// Prints the resulting state; exit 1 on failure.
#include <iostream>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "federation/v1/aggregator.grpc.pb.h"
#include "services/common/auth.h"
#include "services/common/client.h"
#include "services/common/status.h"
#include "services/common/topology.h"
#include "services/common/transport.h"

ABSL_FLAG(std::string, aggregator, fed::DefaultAddress("aggregator"), "aggregator address");
ABSL_FLAG(std::string, issuer_key, "", "the token issuer's private key <kid>.key");
ABSL_FLAG(std::string, org, "", "organisation code");
ABSL_FLAG(std::string, period, "", "period, e.g. 2026H1");
ABSL_FLAG(int, revision, 1, "report revision");
ABSL_FLAG(std::string, achievements, "Hoàn thành kế hoạch.", "narrative: achievements");

namespace v1 = federation::v1;

namespace {

std::unique_ptr<grpc::ClientContext> As(const fed::TokenIssuer& issuer, v1::Role role,
                                        const std::string& org) {
  fed::TokenRequest request;
  request.subject = "dashboard-e2e";
  request.organization_code = org;
  request.role = role;
  request.lifetime = absl::Minutes(10);
  absl::StatusOr<fed::IssuedToken> issued = issuer.Issue(request, absl::Now());
  return fed::OutgoingContext(issued.ok() ? issued->token : "", absl::Seconds(20));
}

v1::IndicatorValue Count(const std::string& code, int64_t value) {
  v1::IndicatorValue v;
  v.set_code(code);
  v.set_count(value);
  return v;
}

int Push(v1::AggregatorService::Stub& stub, const fed::TokenIssuer& signer) {
  v1::PushedReport pushed;
  pushed.set_client_ref(absl::StrCat("e2e-", absl::GetFlag(FLAGS_org), "-",
                                     absl::GetFlag(FLAGS_period), "-",
                                     absl::GetFlag(FLAGS_revision)));
  v1::Report* report = pushed.mutable_report();
  report->set_organization_code(absl::GetFlag(FLAGS_org));
  report->set_period(absl::GetFlag(FLAGS_period));
  report->set_revision(absl::GetFlag(FLAGS_revision));
  report->set_submitted_by("dashboard-e2e");
  report->mutable_submitted_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  *report->add_values() = Count("members", 21000);
  *report->add_values() = Count("intellectuals", 2100);
  *report->add_values() = Count("workshops", 7);
  report->mutable_narrative()->set_achievements(absl::GetFlag(FLAGS_achievements));
  auto ctx = As(signer, v1::ROLE_SERVICE, "VUSTA");
  auto stream = stub.PushReports(ctx.get());
  stream->Write(pushed);
  stream->WritesDone();
  v1::PushAck ack;
  bool got = stream->Read(&ack);
  grpc::Status status = stream->Finish();
  if (!status.ok() || !got) {
    std::cerr << "push failed: " << status.error_message() << "\n";
    return 1;
  }
  std::cout << v1::PushOutcome_Name(ack.outcome()) << " " << v1::ReportState_Name(ack.state())
            << "\n";
  for (const auto& v : ack.violations()) std::cerr << v.field() << ": " << v.description() << "\n";
  return ack.outcome() == v1::PUSH_OUTCOME_STORED || ack.outcome() == v1::PUSH_OUTCOME_DUPLICATE
             ? 0
             : 1;
}

int Accept(v1::AggregatorService::Stub& stub, const fed::TokenIssuer& signer) {
  v1::ReviewRequest req;
  req.set_organization_code(absl::GetFlag(FLAGS_org));
  req.set_period(absl::GetFlag(FLAGS_period));
  req.set_revision(absl::GetFlag(FLAGS_revision));
  req.set_comment("Đạt yêu cầu.");
  v1::Report out;
  auto ctx = As(signer, v1::ROLE_NATIONAL_REVIEWER, "VUSTA");
  const absl::Time start = absl::Now();
  grpc::Status status = stub.AcceptReport(ctx.get(), req, &out);
  const absl::Time done = absl::Now();
  if (!status.ok()) {
    std::cerr << "accept failed: " << status.error_message() << "\n";
    return 1;
  }
  std::cout << v1::ReportState_Name(out.state()) << "\n";
  // For the benchmark's accept-to-live-event latency (same machine clock).
  std::cerr << absl::StrFormat("accepted_at_unix_ms=%.3f call_ms=%.3f\n",
                               absl::ToDoubleMilliseconds(done - absl::UnixEpoch()),
                               absl::ToDoubleMilliseconds(done - start));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() != 2) {
    std::cerr << "usage: dashboard_e2e_tool push|accept --org CODE --period P [--revision N]\n";
    return 2;
  }
  auto signer = fed::TokenIssuer::FromKeyFile(absl::GetFlag(FLAGS_issuer_key));
  if (!signer.ok()) {
    std::cerr << signer.status() << "\n";
    return 2;
  }
  if (absl::Status transport = fed::ConfigureTransportFromFlags("operator"); !transport.ok()) {
    std::cerr << transport << "\n";
    return 2;
  }
  auto stub = v1::AggregatorService::NewStub(fed::OpenChannel(absl::GetFlag(FLAGS_aggregator)));
  std::string command = args[1];
  if (command == "push") return Push(*stub, *signer);
  if (command == "accept") return Accept(*stub, *signer);
  std::cerr << "unknown command " << command << "\n";
  return 2;
}
