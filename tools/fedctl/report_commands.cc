// Reports against the reporting service: `report draft|save|validate|submit|
// list|outbox`. A draft travels as a protobuf JSON file: `report draft`
// writes it, a person (or a script) fills it in, `report validate` checks it
// without storing anything, `report save` stores it, `report submit` sends it.
//
// The reporting service is a different server from the registry, so these
// commands take their own address: --reporting HOST:PORT, else the
// environment variable FED_REPORTING_TARGET, else fed::DefaultAddress("reporting")
// (127.0.0.1 and the port in deploy/topology.txt). (The
// global --target stays the registry's.)
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "federation/v1/reporting.grpc.pb.h"
#include "services/common/catalog.h"
#include "services/common/enum_names.h"
#include "services/common/status.h"
#include "services/common/topology.h"
#include "tools/fedctl/commands.h"
#include "tools/fedctl/credentials.h"
#include "tools/fedctl/registry_client.h"

namespace fedctl {
namespace {

namespace v1 = federation::v1;

std::string ReportingTarget(const Invocation& invocation) {
  return ServiceTarget(invocation, "reporting", "FED_REPORTING_TARGET",
                       fed::DefaultAddress("reporting"));
}

class ReportingClient : public ServiceClient<v1::ReportingService> {
 public:
  using ServiceClient::ServiceClient;
  static ReportingClient Connect(const Invocation& invocation) {
    return ReportingClient(fed::OpenChannel(ReportingTarget(invocation)),
                           ResolveAccessToken(invocation.global()));
  }
};

std::string StateLabel(v1::ReportState state) {
  const std::string word = fed::EnumWordLower(state);
  return word.empty() ? "-" : word;
}

// "12 of 30 indicators".
std::string FilledText(const v1::Report& report) {
  return absl::StrCat(report.values_size(), " of ", fed::LatestCatalog().indicators_size(),
                      " indicators");
}

// A report as protobuf JSON, from a file or "-" (standard input).
v1::Report ReadReportFile(const std::string& path) {
  std::stringstream buffer;
  if (path == "-") {
    buffer << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError(absl::StrCat("cannot read report file ", path));
    buffer << in.rdbuf();
  }
  v1::Report report;
  auto status = google::protobuf::util::JsonStringToMessage(buffer.str(), &report);
  if (!status.ok()) {
    throw UsageError(absl::StrCat(path,
                                  " is not a report in protobuf JSON (as `fedctl report "
                                  "draft` writes): ",
                                  status.ToString()));
  }
  return report;
}

void WriteReportFile(const std::string& path, const v1::Report& report) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw UsageError(absl::StrCat("cannot write ", path));
  PrintJson(out, report);
  if (!out.flush()) throw UsageError(absl::StrCat("cannot write ", path));
}

int RunReportDraft(const Invocation& invocation) {
  v1::CreateDraftRequest request;
  request.set_organization_code(invocation.Get("org"));
  request.set_period(invocation.Get("period"));
  request.set_prefill(invocation.Switch("prefill"));
  v1::Report draft;
  auto client = ReportingClient::Connect(invocation);
  if (auto status = client.Call(&ReportingClient::Stub::CreateDraft, request, &draft);
      !status.ok()) {
    return ReportRpcError(
        absl::StrCat("creating the draft of ", request.organization_code(), " ", request.period()),
        status);
  }
  if (!invocation.Has("out")) {
    PrintJson(std::cout, draft);
    return 0;
  }
  WriteReportFile(invocation.Get("out"), draft);
  std::cout << "wrote the draft of " << draft.organization_code() << " " << draft.period() << " ("
            << StateLabel(draft.state()) << ", " << FilledText(draft) << " filled) to "
            << invocation.Get("out") << "\n";
  return 0;
}

int RunReportSave(const Invocation& invocation) {
  v1::SaveDraftRequest request;
  *request.mutable_report() = ReadReportFile(invocation.Get("file"));
  v1::Report saved;
  auto client = ReportingClient::Connect(invocation);
  if (auto status = client.Call(&ReportingClient::Stub::SaveDraft, request, &saved); !status.ok()) {
    return ReportRpcError(absl::StrCat("saving ", invocation.Get("file")), status);
  }
  return Show(invocation, saved, [&] {
    std::cout << "saved the draft of " << saved.organization_code() << " " << saved.period() << ": "
              << FilledText(saved) << " filled\n";
  });
}

int RunReportValidate(const Invocation& invocation) {
  v1::ValidateReportRequest request;
  *request.mutable_report() = ReadReportFile(invocation.Get("file"));
  v1::ValidationResult result;
  auto client = ReportingClient::Connect(invocation);
  if (auto status = client.Call(&ReportingClient::Stub::ValidateReport, request, &result);
      !status.ok()) {
    return ReportRpcError(absl::StrCat("validating ", invocation.Get("file")), status);
  }
  Show(invocation, result, [&] {
    const v1::Report& report = request.report();
    std::cout << report.organization_code() << " " << report.period() << ": "
              << (result.valid() ? "valid" : "INVALID") << " ("
              << CountOf(result.violations_size(), "problem", "problems") << ", "
              << CountOf(result.warnings_size(), "warning", "warnings") << ")\n";
    for (const auto& violation : result.violations()) {
      std::cout << "  error   " << violation.field() << ": " << violation.description() << "\n";
    }
    for (const auto& warning : result.warnings()) {
      std::cout << "  warning " << warning.field() << ": " << warning.description() << "\n";
    }
  });
  return result.valid() ? 0 : 1;
}

int RunReportSubmit(const Invocation& invocation) {
  v1::SubmitReportRequest request;
  request.set_organization_code(invocation.Get("org"));
  request.set_period(invocation.Get("period"));
  v1::Report submitted;
  auto client = ReportingClient::Connect(invocation);
  if (auto status = client.Call(&ReportingClient::Stub::SubmitReport, request, &submitted);
      !status.ok()) {
    return ReportRpcError(
        absl::StrCat("submitting ", request.organization_code(), " ", request.period()), status);
  }
  return Show(invocation, submitted, [&] {
    std::cout << "submitted " << submitted.organization_code() << " " << submitted.period()
              << " as revision " << submitted.revision() << " at "
              << FormatTimestamp(submitted.submitted_at()) << " (due " << submitted.due_date()
              << ")\n"
              << "it travels to the national office by itself: see `fedctl report outbox`\n";
  });
}

int RunReportList(const Invocation& invocation) {
  v1::ListReportsRequest request;
  request.set_organization_code(invocation.Get("org"));
  request.set_period(invocation.Get("period"));
  v1::ListReportsResponse response;
  auto client = ReportingClient::Connect(invocation);
  if (auto status = client.Call(&ReportingClient::Stub::ListReports, request, &response);
      !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, response, [&] {
    Table table({"org", "period", "rev", "state", "submitted_at", "submitted_by", "due", "timely",
                 "values", "review"});
    for (const auto& report : response.reports()) {
      const bool submitted = report.revision() > 0;
      table.AddRow({report.organization_code(), report.period(),
                    submitted ? absl::StrCat(report.revision()) : "-", StateLabel(report.state()),
                    FormatTimestamp(report.submitted_at()), report.submitted_by(),
                    report.due_date(), submitted ? (report.timely() ? "yes" : "late") : "",
                    absl::StrCat(report.values_size()), report.review_comment()});
    }
    table.Print(std::cout);
    std::cout << CountOf(response.reports_size(), "revision", "revisions")
              << " (revision - is a draft never submitted)\n";
  });
}

int RunReportOutbox(const Invocation& invocation) {
  v1::OutboxStatus status_message;
  auto client = ReportingClient::Connect(invocation);
  if (auto status = client.Call(&ReportingClient::Stub::GetOutboxStatus,
                                v1::GetOutboxStatusRequest(), &status_message);
      !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, status_message, [&] {
    PrintFields(std::cout, {{"pending", absl::StrCat(status_message.pending())},
                            {"delivered", absl::StrCat(status_message.delivered())},
                            {"last_error", status_message.last_error()}});
  });
}

}  // namespace

std::vector<CommandSpec> ReportCommands() {
  std::vector<CommandSpec> commands = {
      Command("report draft",
              "Create (or fetch) the draft of a report and write it as protobuf JSON.",
              RunReportDraft)
          .Required("org", "CODE", "reporting organisation, e.g. 14")
          .Required("period", "PERIOD", "2025H1, 2025H2, 2025 or 2025Q3")
          .Switch("prefill", "fill members, member associations and other stocks in")
          .Option("out", "FILE", "write the draft here (default: standard output)"),
      Command("report save", "Save a draft file (values and narrative replace the saved ones).",
              RunReportSave)
          .Required("file", "FILE", "the draft as protobuf JSON ('-' reads standard input)"),
      Command("report validate",
              "Check a draft file as if it were submitted; stores nothing. Exit 1 if invalid.",
              RunReportValidate)
          .Required("file", "FILE", "the draft as protobuf JSON ('-' reads standard input)"),
      Command("report submit",
              "Submit the saved draft as a new revision; it is queued for the national office.",
              RunReportSubmit)
          .Required("org", "CODE", "reporting organisation")
          .Required("period", "PERIOD", "the period"),
      Command("report list", "List every revision of reports, newest period first.", RunReportList)
          .Option("org", "CODE", "only this organisation (default: every one you may read)")
          .Option("period", "PERIOD", "only this period"),
      Command("report outbox", "How far submitted reports have got on their way to the aggregator.",
              RunReportOutbox),
  };
  // Every report command talks to the reporting service, not the registry.
  for (auto& command : commands) {
    command.Option("reporting", "HOST:PORT",
                   absl::StrCat("reporting service address (env FED_REPORTING_TARGET, default ",
                                fed::DefaultAddress("reporting"), ")"));
  }
  return commands;
}

}  // namespace fedctl
