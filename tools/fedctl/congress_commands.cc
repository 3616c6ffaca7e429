// Congress terms and their recognition by the national union:
// `congress list|show|record|submit|recognise|return|extend`.
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tools/fedctl/commands.h"
#include "tools/fedctl/members_file.h"
#include "tools/fedctl/names.h"
#include "tools/fedctl/registry_client.h"
#include "tools/fedctl/registry_printers.h"

namespace fedctl {
namespace {

using federation::v1::CongressTerm;
using Stub = RegistryClient::Stub;

int64_t TermId(const Invocation& invocation) {
  int64_t id = 0;
  if (!absl::SimpleAtoi(invocation.argument(0), &id) || id <= 0) {
    throw UsageError(absl::StrCat("ID must be a congress term id (see 'congress list'), got '",
                                  invocation.argument(0), "'"));
  }
  return id;
}

// The shared ending of every command that changes a term: show the term as
// it now stands.
int ShowChangedTerm(const Invocation& invocation, const absl::Status& status,
                    const CongressTerm& term, absl::string_view what_happened) {
  if (!status.ok()) return ReportRpcError(status);
  return Show(invocation, term, [&] {
    std::cout << what_happened << " congress term " << term.id() << " (" << term.organization_code()
              << ", term " << term.term_number() << "): " << RecognitionLabel(term.state())
              << "\n\n";
    PrintCongressTerm(std::cout, term, /*with_history=*/false);
  });
}

int RunCongressList(const Invocation& invocation) {
  federation::v1::ListCongressTermsRequest request;
  request.set_organization_code(invocation.argument(0));
  federation::v1::ListCongressTermsResponse response;
  auto client = RegistryClient::Connect(invocation.global());
  if (auto status = client.Call(&Stub::ListCongressTerms, request, &response); !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, response, [&] {
    Table table({"id", "term", "years", "held_on", "state", "decision", "people"});
    for (const auto& term : response.terms()) {
      table.AddRow({absl::StrCat(term.id()), absl::StrCat(term.term_number()), TermYears(term),
                    term.held_on(), RecognitionLabel(term.state()), term.decision_number(),
                    absl::StrCat(term.members_size())});
    }
    table.Print(std::cout);
  });
}

int RunCongressShow(const Invocation& invocation) {
  federation::v1::GetCongressTermRequest request;
  request.set_term_id(TermId(invocation));
  CongressTerm term;
  auto client = RegistryClient::Connect(invocation.global());
  if (auto status = client.Call(&Stub::GetCongressTerm, request, &term); !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, term, [&] { PrintCongressTerm(std::cout, term, /*with_history=*/true); });
}

int RunCongressRecord(const Invocation& invocation) {
  federation::v1::RecordCongressRequest request;
  CongressTerm& term = *request.mutable_term();
  term.set_organization_code(invocation.Get("org"));
  term.set_term_number(static_cast<int32_t>(invocation.GetCount("term", 0)));
  term.set_start_year(invocation.GetYear("start"));
  term.set_end_year(invocation.GetYear("end"));
  term.set_held_on(invocation.GetDate("held-on"));
  for (auto& member : ReadMembersFile(invocation.Get("members-file"))) {
    *term.add_members() = std::move(member);
  }

  CongressTerm recorded;
  auto client = RegistryClient::Connect(invocation.global());
  auto status = client.Call(&Stub::RecordCongress, request, &recorded);
  return ShowChangedTerm(invocation, status, recorded, "recorded");
}

int RunCongressSubmit(const Invocation& invocation) {
  federation::v1::SubmitCongressRequest request;
  request.set_term_id(TermId(invocation));
  CongressTerm term;
  auto client = RegistryClient::Connect(invocation.global());
  auto status = client.Call(&Stub::SubmitCongress, request, &term);
  return ShowChangedTerm(invocation, status, term, "submitted");
}

int RunCongressRecognise(const Invocation& invocation) {
  federation::v1::RecogniseCongressRequest request;
  request.set_term_id(TermId(invocation));
  request.set_decision_number(invocation.Get("decision"));
  request.set_decision_date(invocation.GetDate("date"));
  CongressTerm term;
  auto client = RegistryClient::Connect(invocation.global());
  auto status = client.Call(&Stub::RecogniseCongress, request, &term);
  return ShowChangedTerm(invocation, status, term, "recognised");
}

int RunCongressReturn(const Invocation& invocation) {
  federation::v1::ReturnCongressRequest request;
  request.set_term_id(TermId(invocation));
  request.set_reason(invocation.Get("reason"));
  CongressTerm term;
  auto client = RegistryClient::Connect(invocation.global());
  auto status = client.Call(&Stub::ReturnCongress, request, &term);
  return ShowChangedTerm(invocation, status, term, "returned");
}

int RunCongressExtend(const Invocation& invocation) {
  federation::v1::ExtendCongressTermRequest request;
  request.set_term_id(TermId(invocation));
  request.set_extended_to_year(invocation.GetYear("to"));
  request.set_reason(invocation.Get("reason"));
  CongressTerm term;
  auto client = RegistryClient::Connect(invocation.global());
  auto status = client.Call(&Stub::ExtendCongressTerm, request, &term);
  return ShowChangedTerm(invocation, status, term, "extended");
}

}  // namespace

std::vector<CommandSpec> CongressCommands() {
  return {
      Command("congress list", "List an organisation's congress terms, newest first.",
              RunCongressList)
          .Args("CODE", 1, 1),
      Command("congress show", "Show a congress term: leadership and history.", RunCongressShow)
          .Args("ID", 1, 1),
      Command("congress record", "Record a congress and the people it elected.", RunCongressRecord)
          .Required("org", "CODE", "organisation that held the congress")
          .Required("term", "N", "congress number (5 for Đại hội lần thứ V)")
          .Required("start", "YEAR", "first year of the term")
          .Required("end", "YEAR", "last year of the term")
          .Required("held-on", "DATE", "date of the congress")
          .Required("members-file", "FILE",
                    "CSV lines full_name,committee,position (executive|standing|inspection; "
                    "member|chair|vice_chair|general_secretary|head_of_inspection)"),
      Command("congress submit", "Send a congress's results to the national union.",
              RunCongressSubmit)
          .Args("ID", 1, 1),
      Command("congress recognise", "Recognise a submitted congress by a decision.",
              RunCongressRecognise)
          .Args("ID", 1, 1)
          .Required("decision", "NUM", "decision number, e.g. 123/QĐ-LHHVN")
          .Required("date", "DATE", "decision date"),
      Command("congress return", "Return a submitted congress for correction.", RunCongressReturn)
          .Args("ID", 1, 1)
          .Required("reason", "TEXT", "what must be fixed"),
      Command("congress extend", "Extend a congress term to a later year.", RunCongressExtend)
          .Args("ID", 1, 1)
          .Required("to", "YEAR", "new last year of the term")
          .Required("reason", "TEXT", "reason or decision allowing it"),
  };
}

}  // namespace fedctl
