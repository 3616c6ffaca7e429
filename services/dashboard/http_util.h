// What the dashboard's route files share (internal to services/dashboard):
// sending a message as JSON, refusing with the JSON error body and the HTTP
// status of each code, reading the login's token and the query parameters
// every page area takes, and the page's security headers. Apart from the
// catalog they read, these see only the request: http_util.cc links without
// the rest of the dashboard, which is how tests/fuzz builds it.
#pragma once

#include <string>

#include <google/protobuf/message.h>
#include <httplib.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace dashboard {

// `message` in protobuf's JSON mapping with every field printed (zero
// values, empty lists), so that the page never meets a missing number.
// Serialized deterministically first: map keys (the deadlines of /api/me)
// come sorted, the same each time, instead of in hash order.
std::string ToJson(const google::protobuf::Message& message);

// Answers `status` with `message` as its JSON body (never cached: every
// answer depends on the session and on the live data).
void SendJson(httplib::Response& res, int status, const google::protobuf::Message& message);
// The same with a body ToJson already printed (the board's cache keeps it).
void SendJsonText(httplib::Response& res, int status, std::string json);
// The HTTP status of an error (the README's status-code table).
int HttpStatusOf(const absl::Status& status);
// Answers HttpStatusOf(status) with {"error": message, "code": "NAME"}.
void SendError(httplib::Response& res, const absl::Status& status);

// Query parameter `name` as a canonical period ("2025H1").
absl::StatusOr<std::string> PeriodParam(const httplib::Request& req, const char* name = "period");
// ?code=, an organisation code (required).
absl::StatusOr<std::string> CodeParam(const httplib::Request& req);
// ?code= of the contest endpoints ("" when absent: all one may see).
absl::StatusOr<std::string> OptionalCodeParam(const httplib::Request& req);
// ?indicator=, a code of the latest catalog.
absl::StatusOr<std::string> IndicatorParam(const httplib::Request& req);
// ?cluster=: a cluster number 1-99, or 0 when absent.
absl::StatusOr<int> ClusterParam(const httplib::Request& req);
// The year of a period PeriodParam accepted (0 for anything else).
int YearOf(const std::string& period);

// The access token a login carries: {"token": "..."} as the JSON body (what
// the page sends; unknown fields ignored). "" when the body is not such JSON.
// Never a URL parameter: a token in a URL ends up in proxy logs and history.
std::string LoginToken(const httplib::Request& req);

// Content-Security-Policy and friends, on the page and on every API answer.
void SecurityHeaders(httplib::Response& res);
// A POST from another site must not log someone in or out (login CSRF).
bool SameOrigin(const httplib::Request& req);

}  // namespace dashboard
