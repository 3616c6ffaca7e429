#include "services/dashboard/http_util.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "federation/v1/dashboard.pb.h"
#include "services/common/catalog.h"
#include "services/common/period.h"
#include "services/common/status.h"

namespace dashboard {

namespace v1 = federation::v1;

namespace {

constexpr char kTypeUrlPrefix[] = "type.googleapis.com";

// Organisation codes are short ASCII words: anything else never reaches a
// backend call or a file name.
bool IsOrganizationCode(const std::string& code) {
  bool ok = !code.empty() && code.size() <= 32;
  for (char c : code) ok = ok && (absl::ascii_isalnum(c) || c == '_' || c == '-');
  return ok;
}

}  // namespace

std::string ToJson(const google::protobuf::Message& message) {
  static google::protobuf::util::TypeResolver* const resolver =
      google::protobuf::util::NewTypeResolverForDescriptorPool(
          kTypeUrlPrefix, google::protobuf::DescriptorPool::generated_pool());
  std::string binary;
  {
    google::protobuf::io::StringOutputStream stream(&binary);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    if (!message.SerializeToCodedStream(&coded)) return "null";
  }
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string out;
  if (!google::protobuf::util::BinaryToJsonString(
           resolver, absl::StrCat(kTypeUrlPrefix, "/", message.GetDescriptor()->full_name()),
           binary, &out, options)
           .ok()) {
    return "null";
  }
  return out;
}

void SendJsonText(httplib::Response& res, int status, std::string json) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(std::move(json), "application/json; charset=utf-8");
}

void SendJson(httplib::Response& res, int status, const google::protobuf::Message& message) {
  SendJsonText(res, status, ToJson(message));
}

// The README's status-code table; the JSON body also names the code, which
// tells apart the two meanings of 400 and of 409.
int HttpStatusOf(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    case absl::StatusCode::kInternal:
      return 500;
    default:
      return 502;
  }
}

void SendError(httplib::Response& res, const absl::Status& status) {
  v1::DashboardError error;
  error.set_error(std::string(status.message()));
  error.set_code(absl::StatusCodeToString(status.code()));
  // A service's INVALID_ARGUMENT carries every problem by field: the page
  // shows each beside its field, not one sentence for the whole form.
  if (auto payload = status.GetPayload(fed::kValidationErrorsUrl)) {
    v1::ValidationErrors errors;
    if (errors.ParseFromString(std::string(*payload))) {
      *error.mutable_violations() = std::move(*errors.mutable_violations());
    }
  }
  SendJson(res, HttpStatusOf(status), error);
}

absl::StatusOr<std::string> PeriodParam(const httplib::Request& req, const char* name) {
  auto period = fed::Period::Parse(req.get_param_value(name));
  if (!period.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": not a period such as 2025H1"));
  }
  return period->ToString();
}

absl::StatusOr<std::string> CodeParam(const httplib::Request& req) {
  std::string code = req.get_param_value("code");
  if (!IsOrganizationCode(code))
    return absl::InvalidArgumentError("code: not an organisation code");
  return code;
}

absl::StatusOr<std::string> OptionalCodeParam(const httplib::Request& req) {
  if (req.get_param_value("code").empty()) return std::string();
  return CodeParam(req);
}

absl::StatusOr<std::string> IndicatorParam(const httplib::Request& req) {
  std::string code = req.get_param_value("indicator");
  if (fed::FindIndicator(code) == nullptr) {
    return absl::InvalidArgumentError("indicator: not in the catalog");
  }
  return code;
}

int YearOf(const std::string& period) {
  auto p = fed::Period::Parse(period);
  return p.ok() ? p->year : 0;
}

std::string LoginToken(const httplib::Request& req) {
  v1::LoginRequest body;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(req.body, &body, options).ok()) return "";
  return body.token();
}

void SecurityHeaders(httplib::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                 "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; "
                 "base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
}

bool SameOrigin(const httplib::Request& req) {
  std::string origin = req.get_header_value("Origin");
  if (origin.empty()) return true;  // non-browser clients
  std::string host = req.get_header_value("Host");
  return origin == "http://" + host || origin == "https://" + host;
}

absl::StatusOr<int> ClusterParam(const httplib::Request& req) {
  int cluster = 0;
  const std::string text = req.get_param_value("cluster");
  if (!text.empty() && (!absl::SimpleAtoi(text, &cluster) || cluster < 1 || cluster > 99)) {
    return absl::InvalidArgumentError("cluster: a cluster number 1-99");
  }
  return cluster;
}

}  // namespace dashboard
