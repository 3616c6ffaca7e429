#include "services/dashboard/person_calls.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/client.h"
#include "services/common/status.h"
#include "services/dashboard/http_util.h"

namespace dashboard {

namespace v1 = federation::v1;

namespace {

// A person waits at a screen: long enough for a submission's transaction,
// short enough to say "try again" before they give up.
constexpr absl::Duration kPersonCallDeadline = absl::Seconds(10);

absl::Status ParseBody(absl::string_view json, google::protobuf::Message* request) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;  // a misspelt field must not vanish silently
  auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), request, options);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("body: not a ", request->GetDescriptor()->name(),
                                                   " in JSON (", std::string(parsed.message()),
                                                   ")"));
  }
  return absl::OkStatus();
}

// What the person sees of a service's answer. Unlike a service calling a
// service (client.h's DependencyError), a refusal of the person's token
// stays UNAUTHENTICATED (their login ended) and ABORTED stays a conflict to
// resolve (a draft saved by someone else, a newer revision under review);
// only "no answer now" turns into UNAVAILABLE.
absl::Status PersonCallError(absl::string_view dependency, absl::string_view method,
                             const grpc::Status& status) {
  absl::Status cause = fed::FromGrpcStatus(status);
  if (cause.ok()) return cause;
  if (cause.code() != absl::StatusCode::kAborted && fed::IsTransient(cause.code())) {
    return absl::UnavailableError(
        absl::StrCat(dependency, " unavailable (", method, "); try again in a moment"));
  }
  absl::Status named(cause.code(), absl::StrCat(dependency, ": ", cause.message()));
  cause.ForEachPayload(
      [&](absl::string_view url, const absl::Cord& payload) { named.SetPayload(url, payload); });
  return named;
}

template <typename Stub, typename Request, typename Response>
PersonCalls::Method Bind(std::string dependency, std::string method, Stub* stub,
                         grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&,
                                                   Response*)) {
  return [=](absl::string_view token, absl::string_view json) -> absl::StatusOr<std::string> {
    Request request;
    RETURN_IF_ERROR(ParseBody(json, &request));
    if (stub == nullptr) {
      return absl::UnavailableError(
          absl::StrCat("this dashboard is not connected to the ", dependency, " service"));
    }
    Response response;
    auto context = fed::OutgoingContext(token, kPersonCallDeadline);
    RETURN_IF_ERROR(
        PersonCallError(dependency, method, (stub->*rpc)(context.get(), request, &response)));
    return ToJson(response);
  };
}

}  // namespace

PersonCalls::PersonCalls(std::shared_ptr<grpc::Channel> reporting,
                         std::shared_ptr<grpc::Channel> aggregator,
                         std::shared_ptr<grpc::Channel> competition,
                         std::shared_ptr<grpc::Channel> emulation)
    : reporting_(reporting ? v1::ReportingService::NewStub(reporting) : nullptr),
      aggregator_(v1::AggregatorService::NewStub(aggregator)),
      competition_(competition ? v1::CompetitionService::NewStub(competition) : nullptr),
      emulation_(emulation ? v1::EmulationService::NewStub(emulation) : nullptr) {
  using R = v1::ReportingService::Stub;
  using A = v1::AggregatorService::Stub;
  R* r = reporting_.get();
  A* a = aggregator_.get();
  // The province's side of a report: its form, drafts, submission, outbox.
  methods_["reporting/GetCatalog"] = Bind("reporting", "GetCatalog", r, &R::GetCatalog);
  methods_["reporting/CreateDraft"] = Bind("reporting", "CreateDraft", r, &R::CreateDraft);
  methods_["reporting/GetDraft"] = Bind("reporting", "GetDraft", r, &R::GetDraft);
  methods_["reporting/SaveDraft"] = Bind("reporting", "SaveDraft", r, &R::SaveDraft);
  methods_["reporting/ValidateReport"] = Bind("reporting", "ValidateReport", r, &R::ValidateReport);
  methods_["reporting/SubmitReport"] = Bind("reporting", "SubmitReport", r, &R::SubmitReport);
  methods_["reporting/ListReports"] = Bind("reporting", "ListReports", r, &R::ListReports);
  methods_["reporting/GetOutboxStatus"] =
      Bind("reporting", "GetOutboxStatus", r, &R::GetOutboxStatus);
  // The national office's side: what arrived, and the review decisions.
  methods_["aggregator/GetReport"] = Bind("aggregator", "GetReport", a, &A::GetReport);
  methods_["aggregator/ListRevisions"] = Bind("aggregator", "ListRevisions", a, &A::ListRevisions);
  methods_["aggregator/AcceptReport"] = Bind("aggregator", "AcceptReport", a, &A::AcceptReport);
  methods_["aggregator/ReturnReport"] = Bind("aggregator", "ReturnReport", a, &A::ReturnReport);
  methods_["aggregator/ReopenReport"] = Bind("aggregator", "ReopenReport", a, &A::ReopenReport);
  methods_["aggregator/GetCountedValues"] =
      Bind("aggregator", "GetCountedValues", a, &A::GetCountedValues);
  methods_["aggregator/GetCompleteness"] =
      Bind("aggregator", "GetCompleteness", a, &A::GetCompleteness);
  // Contests: organisers run them, provinces enter, judges score their
  // assignments (the competition service decides who may do which).
  using C = v1::CompetitionService::Stub;
  C* c = competition_.get();
  const std::pair<const char*, Method> contest_methods[] = {
      {"CreateContest", Bind("competition", "CreateContest", c, &C::CreateContest)},
      {"UpdateContest", Bind("competition", "UpdateContest", c, &C::UpdateContest)},
      {"GetContest", Bind("competition", "GetContest", c, &C::GetContest)},
      {"ListContests", Bind("competition", "ListContests", c, &C::ListContests)},
      {"TransitionContest", Bind("competition", "TransitionContest", c, &C::TransitionContest)},
      {"ListContestHistory", Bind("competition", "ListContestHistory", c, &C::ListContestHistory)},
      {"SubmitEntry", Bind("competition", "SubmitEntry", c, &C::SubmitEntry)},
      {"WithdrawEntry", Bind("competition", "WithdrawEntry", c, &C::WithdrawEntry)},
      {"GetEntry", Bind("competition", "GetEntry", c, &C::GetEntry)},
      {"ListEntries", Bind("competition", "ListEntries", c, &C::ListEntries)},
      {"AddJudge", Bind("competition", "AddJudge", c, &C::AddJudge)},
      {"ListJudges", Bind("competition", "ListJudges", c, &C::ListJudges)},
      {"AutoAssign", Bind("competition", "AutoAssign", c, &C::AutoAssign)},
      {"AssignJudge", Bind("competition", "AssignJudge", c, &C::AssignJudge)},
      {"ListAssignments", Bind("competition", "ListAssignments", c, &C::ListAssignments)},
      {"SubmitScoreSheet", Bind("competition", "SubmitScoreSheet", c, &C::SubmitScoreSheet)},
      {"ListScoreSheets", Bind("competition", "ListScoreSheets", c, &C::ListScoreSheets)},
      {"GetResults", Bind("competition", "GetResults", c, &C::GetResults)},
      {"NominateEntry", Bind("competition", "NominateEntry", c, &C::NominateEntry)},
      {"GetEntryHistory", Bind("competition", "GetEntryHistory", c, &C::GetEntryHistory)},
  };
  for (const auto& [name, method] : contest_methods) {
    methods_[absl::StrCat("competition/", name)] = method;
  }
  // The emulation year: members, the cluster's head and deputy, the council
  // and the national office each do their own steps (the emulation service
  // decides who may do which). Every method of the service is offered.
  using E = v1::EmulationService::Stub;
  E* e = emulation_.get();
  const std::pair<const char*, Method> emulation_methods[] = {
      {"CreateYear", Bind("emulation", "CreateYear", e, &E::CreateYear)},
      {"GetYear", Bind("emulation", "GetYear", e, &E::GetYear)},
      {"ListYears", Bind("emulation", "ListYears", e, &E::ListYears)},
      {"Register", Bind("emulation", "Register", e, &E::Register)},
      {"SignCovenant", Bind("emulation", "SignCovenant", e, &E::SignCovenant)},
      {"UploadFile", Bind("emulation", "UploadFile", e, &E::UploadFile)},
      {"GetFile", Bind("emulation", "GetFile", e, &E::GetFile)},
      {"SubmitSelfAssessment",
       Bind("emulation", "SubmitSelfAssessment", e, &E::SubmitSelfAssessment)},
      {"CloseSelfAssessment", Bind("emulation", "CloseSelfAssessment", e, &E::CloseSelfAssessment)},
      {"CrossCheck", Bind("emulation", "CrossCheck", e, &E::CrossCheck)},
      {"AnswerCrossCheck", Bind("emulation", "AnswerCrossCheck", e, &E::AnswerCrossCheck)},
      {"CloseCrossCheck", Bind("emulation", "CloseCrossCheck", e, &E::CloseCrossCheck)},
      {"RecordBallot", Bind("emulation", "RecordBallot", e, &E::RecordBallot)},
      {"CloseVoting", Bind("emulation", "CloseVoting", e, &E::CloseVoting)},
      {"GetDocuments", Bind("emulation", "GetDocuments", e, &E::GetDocuments)},
      {"SubmitDossier", Bind("emulation", "SubmitDossier", e, &E::SubmitDossier)},
      {"ReviewDossier", Bind("emulation", "ReviewDossier", e, &E::ReviewDossier)},
      {"Decide", Bind("emulation", "Decide", e, &E::Decide)},
      {"RecordGovernmentOutcome",
       Bind("emulation", "RecordGovernmentOutcome", e, &E::RecordGovernmentOutcome)},
      {"PresentAwards", Bind("emulation", "PresentAwards", e, &E::PresentAwards)},
      {"RevokeYear", Bind("emulation", "RevokeYear", e, &E::RevokeYear)},
      {"GetAssessment", Bind("emulation", "GetAssessment", e, &E::GetAssessment)},
      {"ListAwards", Bind("emulation", "ListAwards", e, &E::ListAwards)},
  };
  for (const auto& [name, method] : emulation_methods) {
    methods_[absl::StrCat("emulation/", name)] = method;
  }
}

absl::StatusOr<std::string> PersonCalls::Call(absl::string_view service, absl::string_view method,
                                              absl::string_view token,
                                              absl::string_view json) const {
  auto it = methods_.find(absl::StrCat(service, "/", method));
  if (it == methods_.end()) {
    return absl::NotFoundError(
        absl::StrCat("no method ", service, "/", method, " is offered to the page"));
  }
  return it->second(token, json);
}

std::vector<std::string> PersonCalls::Offered() const {
  std::vector<std::string> names;
  for (const auto& [name, method] : methods_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace dashboard
