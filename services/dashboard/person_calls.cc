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
                         std::shared_ptr<grpc::Channel> aggregator)
    : reporting_(reporting ? v1::ReportingService::NewStub(reporting) : nullptr),
      aggregator_(v1::AggregatorService::NewStub(aggregator)) {
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
