// What a browser sends the dashboard, and what it renders from the backends'
// answers, without an HTTP server. The fuzz bytes are read as: a query
// string (the period, code, indicator and cluster parameters every page area
// takes), a login body ({"token": "..."}), a Cookie header (the session),
// cells of a CSV download, and a backend answer rendered as JSON.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <google/protobuf/util/json_util.h>
#include <httplib.h>

#include "federation/v1/dashboard.pb.h"
#include "services/common/period.h"
#include "services/dashboard/csv.h"
#include "services/dashboard/http_util.h"
#include "services/dashboard/session.h"
#include "services/dashboard/session_store.h"
#include "tests/fuzz/fuzz_tokens.h"

namespace {

namespace v1 = federation::v1;

void CheckQuery(const httplib::Request& req) {
  for (const char* name : {"period", "from", "to"}) {
    auto period = dashboard::PeriodParam(req, name);
    // What the routes pass on is a canonical period they parse again with `*`.
    if (period.ok() && (!fed::Period::Parse(*period).ok() || dashboard::YearOf(*period) == 0)) {
      std::abort();
    }
  }
  for (auto code : {dashboard::CodeParam(req), dashboard::OptionalCodeParam(req)}) {
    if (code.ok() && code->size() > 32) std::abort();
  }
  (void)dashboard::IndicatorParam(req);
  auto cluster = dashboard::ClusterParam(req);
  if (cluster.ok() && (*cluster < 0 || *cluster > 99)) std::abort();
}

// A session opened by a login is found again from its own cookie, and its
// id is no token.
dashboard::SessionStore& Sessions() {
  static auto* const store = new dashboard::SessionStore();
  return *store;
}

void CheckLogin(const httplib::Request& req) {
  const std::string token = dashboard::LoginToken(req);
  if (token.empty()) return;
  auto grant =
      dashboard::VerifyLogin(fedfuzz::FuzzVerifier("dashboard"), token, fedfuzz::FuzzNow());
  if (!grant.ok()) return;
  const auto session = Sessions().Open(*grant, fedfuzz::FuzzNow());
  const std::string cookie = dashboard::SetCookie(session.id, session.max_age_seconds, true);
  auto who = Sessions().Find(
      dashboard::CookieValue(cookie.substr(0, cookie.find(';')), dashboard::kSessionCookie),
      fedfuzz::FuzzNow());
  if (!who.ok() || who->subject != grant->principal.subject) std::abort();
  if (fedfuzz::FuzzVerifier("dashboard").Verify(session.id, fedfuzz::FuzzNow()).ok()) std::abort();
  Sessions().Close(session.id);
}

// Any other cookie opens no session.
void CheckCookie(absl::string_view header) {
  auto who = Sessions().Find(dashboard::CookieValue(header, dashboard::kSessionCookie),
                             fedfuzz::FuzzNow());
  if (who.ok() || who.status().code() != absl::StatusCode::kUnauthenticated) std::abort();
}

// RFC 4180 read back: the row's cells, or abort when it is not well formed.
std::vector<std::string> ReadCsvRow(const std::string& row) {
  if (row.size() < 2 || row.compare(row.size() - 2, 2, "\r\n") != 0) std::abort();
  const std::string line = row.substr(0, row.size() - 2);
  std::vector<std::string> cells(1);
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == ',') {
      cells.emplace_back();
    } else if (line[i] == '"' && cells.back().empty()) {
      for (++i;; ++i) {
        if (i >= line.size()) std::abort();  // unterminated quote
        if (line[i] == '"' && (i + 1 >= line.size() || line[i + 1] != '"')) break;
        if (line[i] == '"') ++i;
        cells.back().push_back(line[i]);
      }
      if (i + 1 < line.size() && line[i + 1] != ',') std::abort();
    } else if (line[i] == '"' || line[i] == '\r' || line[i] == '\n') {
      std::abort();  // unquoted special character
    } else {
      cells.back().push_back(line[i]);
    }
  }
  return cells;
}

// Each cell reads back as written, or with the quote that disarms a formula.
void CheckCsv(const std::vector<std::string>& cells) {
  const std::vector<std::string> read = ReadCsvRow(dashboard::CsvRow(cells));
  if (read.size() != std::max<size_t>(cells.size(), 1)) std::abort();
  for (size_t i = 0; i < cells.size(); ++i) {
    if (read[i] != cells[i] && read[i] != "'" + cells[i]) std::abort();
    if (!read[i].empty() && std::string("=+@\t\r").find(read[i][0]) != std::string::npos) {
      std::abort();  // a formula a spreadsheet would run
    }
    if (read[i].size() > 1 && read[i][0] == '-' &&
        read[i].find_first_not_of("0123456789.", 1) != std::string::npos) {
      std::abort();  // only a plain negative number may start with '-'
    }
  }
}

// A backend answer that parses renders as JSON the page can read back: a
// province's page, which holds reports, their timestamps and the profile
// (one message type: ToJson resolves its whole type graph on every call,
// the costliest step here). ToJson answers "null" for one that JSON cannot
// hold (a Timestamp outside years 1-9999: protobuf's JSON printer refuses
// it); every timestamp the backends send is their clock or checked at the
// edge, so that is left to ToJson.
void CheckJson(const uint8_t* data, size_t size) {
  v1::ProvinceResponse province;
  if (!province.ParseFromArray(data, static_cast<int>(size))) return;
  const std::string json = dashboard::ToJson(province);
  v1::ProvinceResponse back;
  if (json != "null" && !google::protobuf::util::JsonStringToMessage(json, &back).ok()) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  httplib::Request query;
  httplib::detail::parse_query_text(text, query.params);
  CheckQuery(query);
  CheckLogin(query);
  httplib::Request login;
  login.body = text;
  CheckLogin(login);
  CheckCookie(text);
  std::vector<std::string> cells;
  for (const auto& [name, value] : query.params) cells.push_back(value);
  cells.push_back(text);
  CheckCsv(cells);
  CheckJson(data, size);
  return 0;
}
