#include "services/dashboard/http_api.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/catalog.h"
#include "services/common/client.h"
#include "services/common/dates.h"
#include "services/common/log.h"
#include "services/common/period.h"
#include "services/dashboard/csv.h"
#include "services/dashboard/session.h"

namespace dashboard {

namespace {

// The coverage figures on the board ("53/63 tỉnh tổ chức Hội thi STKT").
// The contest kinds the statistics are broken down by.
const v1::ContestKind kContestKinds[] = {
    v1::CONTEST_KIND_PROVINCIAL_TECH,
    v1::CONTEST_KIND_YOUTH,
    v1::CONTEST_KIND_NATIONAL,
    v1::CONTEST_KIND_VIFOTEC,
};

// "provincial_tech" for CONTEST_KIND_PROVINCIAL_TECH.
std::string KindName(v1::ContestKind kind) {
  std::string name = v1::ContestKind_Name(kind);
  const absl::string_view prefix = "CONTEST_KIND_";
  if (absl::StartsWith(name, prefix)) name = name.substr(prefix.size());
  return absl::AsciiStrToLower(name);
}

// The optional ?code= of the contest endpoints ("" when absent).
absl::StatusOr<std::string> OptionalCodeParam(const httplib::Request& req) {
  if (req.get_param_value("code").empty()) return std::string();
  std::string code = req.get_param_value("code");
  bool ok = code.size() <= 32;
  for (char c : code) ok = ok && (absl::ascii_isalnum(c) || c == '_' || c == '-');
  if (!ok) return absl::InvalidArgumentError("code: not an organisation code");
  return code;
}

const char* const kCoverageConditions[] = {
    "tech_contest_held",
    "tech_contest_by_union",
    "youth_contest_held",
    "has_bulletin AND has_website",
};

constexpr char kTypeUrlPrefix[] = "type.googleapis.com";
constexpr absl::Duration kBoardCacheMaxAge = absl::Seconds(30);
constexpr int kMaxSeriesPeriods = 40;

// `message` in protobuf's JSON mapping with every field printed (zero
// values, empty lists), so that the page never meets a missing number.
// Serialized deterministically first: map keys (the deadlines of /api/me)
// come sorted, the same each time, instead of in hash order.
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

// Answers `status` with a body ToJson printed (never cached: every answer
// depends on the session and on the live data).
void SendJsonText(httplib::Response& res, int status, std::string json) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(std::move(json), "application/json; charset=utf-8");
}

void SendJson(httplib::Response& res, int status, const google::protobuf::Message& message) {
  SendJsonText(res, status, ToJson(message));
}

void SendError(httplib::Response& res, const absl::Status& status) {
  v1::DashboardError error;
  error.set_error(std::string(status.message()));
  error.set_code(absl::StatusCodeToString(status.code()));
  SendJson(res, HttpStatusOf(status), error);
}

absl::StatusOr<std::string> PeriodParam(const httplib::Request& req, const char* name = "period") {
  std::string text = req.get_param_value(name);
  auto period = fed::Period::Parse(text);
  if (!period.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": not a period such as 2025H1"));
  }
  return period->ToString();
}

absl::StatusOr<std::string> CodeParam(const httplib::Request& req) {
  std::string code = req.get_param_value("code");
  bool ok = !code.empty() && code.size() <= 32;
  for (char c : code) ok = ok && (absl::ascii_isalnum(c) || c == '_' || c == '-');
  if (!ok) return absl::InvalidArgumentError("code: not an organisation code");
  return code;
}

absl::StatusOr<std::string> IndicatorParam(const httplib::Request& req) {
  std::string code = req.get_param_value("indicator");
  if (fed::FindIndicator(code) == nullptr) {
    return absl::InvalidArgumentError("indicator: not in the catalog");
  }
  return code;
}

std::string StateName(v1::ReportState state) {
  switch (state) {
    case v1::REPORT_STATE_DRAFT:
      return "draft";
    case v1::REPORT_STATE_SUBMITTED:
      return "submitted";
    case v1::REPORT_STATE_ACCEPTED:
      return "accepted";
    case v1::REPORT_STATE_RETURNED:
      return "returned";
    default:
      return "missing";
  }
}

int YearOf(const std::string& period) {
  auto p = fed::Period::Parse(period);
  return p.ok() ? p->year : 0;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
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

// A POST from another site must not log someone in (login CSRF).
bool SameOrigin(const httplib::Request& req) {
  std::string origin = req.get_header_value("Origin");
  if (origin.empty()) return true;  // non-browser clients
  std::string host = req.get_header_value("Host");
  return origin == "http://" + host || origin == "https://" + host;
}

}  // namespace

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

absl::StatusOr<std::string> ContestStatisticsScope(const fed::Principal& who,
                                                   const std::string& requested) {
  if (SeesNationalBoard(who)) return requested;
  if (who.role == v1::ROLE_PROVINCE_REPORTER && !who.organization_code.empty()) {
    if (requested.empty() || requested == who.organization_code) return who.organization_code;
    return absl::PermissionDeniedError("you may see your own province's contest figures only");
  }
  return absl::PermissionDeniedError("contest figures are for the national office and provinces");
}

absl::Status ScopeRankings(const fed::Principal& who, int requested,
                           v1::GetRankingResponse* rankings) {
  auto& list = *rankings->mutable_rankings();
  if (SeesNationalBoard(who)) {
    if (requested != 0) {
      list.erase(std::remove_if(
                     list.begin(), list.end(),
                     [&](const v1::ClusterRanking& r) { return r.cluster_number() != requested; }),
                 list.end());
    }
    return absl::OkStatus();
  }
  if (who.role != v1::ROLE_PROVINCE_REPORTER || who.organization_code.empty()) {
    return absl::PermissionDeniedError("rankings are for the national office and provinces");
  }
  int own = 0;
  for (const auto& r : list) {
    for (const auto& e : r.entries()) {
      if (e.organization_code() == who.organization_code) own = r.cluster_number();
    }
  }
  if (own == 0 || (requested != 0 && requested != own)) {
    return absl::PermissionDeniedError(absl::StrCat("organisation ", who.organization_code,
                                                    " may read only its own cluster's ranking"));
  }
  list.erase(std::remove_if(list.begin(), list.end(),
                            [&](const v1::ClusterRanking& r) { return r.cluster_number() != own; }),
             list.end());
  return absl::OkStatus();
}

std::vector<std::string> HalfYearsUpTo(absl::CivilDay today) {
  std::vector<std::string> out;
  int last_half = today.month() <= 6 ? 1 : 2;
  for (int year = 2019; year <= today.year(); ++year) {
    for (int half = 1; half <= 2; ++half) {
      if (year == today.year() && half > last_half) break;
      out.push_back(absl::StrCat(year, "H", half));
    }
  }
  return out;
}

std::string DefaultBoardPeriod(absl::CivilDay today) {
  std::string best;
  absl::civil_diff_t best_distance = 0;
  for (const std::string& text : HalfYearsUpTo(today)) {
    const fed::Period period = *fed::Period::Parse(text);
    if (period.LastDay() >= today) continue;
    const absl::civil_diff_t distance = std::abs(period.DueDate() - today);
    if (best.empty() || distance <= best_distance) {
      best = text;
      best_distance = distance;
    }
  }
  return best.empty() ? HalfYearsUpTo(today).front() : best;
}

HttpApi::HttpApi(Backend* backend, ChangeFeed* feed, const fed::TokenSigner* signer,
                 HttpOptions options)
    : backend_(backend), feed_(feed), signer_(signer), options_(std::move(options)) {}

httplib::Server::Handler HttpApi::Guard(bool national, Handler handler) {
  return [this, national, handler](const httplib::Request& req, httplib::Response& res) {
    SecurityHeaders(res);
    auto who = FromCookieHeader(*signer_, req.get_header_value("Cookie"), absl::Now());
    if (!who.ok()) return SendError(res, who.status());
    if (national && !SeesNationalBoard(*who)) {
      return SendError(res,
                       absl::PermissionDeniedError("the national board is for national roles"));
    }
    handler(req, res, *who);
  };
}

void HttpApi::Register(httplib::Server& server) {
  using namespace std::placeholders;
  server.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    v1::DashboardHealth health;
    health.set_status("SERVING");
    health.set_change_feed_ready(feed_->ready());
    for (const fed::DependencyState& dependency : fed::DependencyStates()) {
      if (!dependency.healthy) health.add_unavailable(dependency.name);
    }
    SendJson(res, 200, health);
  });
  server.Post("/api/login", [this](const httplib::Request& req, httplib::Response& res) {
    SecurityHeaders(res);
    Login(req, res);
  });
  server.Post("/api/logout", [this](const httplib::Request& req, httplib::Response& res) {
    SecurityHeaders(res);
    if (!SameOrigin(req)) return SendError(res, absl::PermissionDeniedError("cross-site request"));
    res.set_header("Set-Cookie", ClearCookie(options_.secure_cookie));
    SendJson(res, 200, v1::LogoutResponse());
  });
  server.Get("/api/me", Guard(false, std::bind(&HttpApi::Me, this, _1, _2, _3)));
  server.Get("/api/board", Guard(true, std::bind(&HttpApi::Board, this, _1, _2, _3)));
  server.Get("/api/totals", Guard(true, std::bind(&HttpApi::Totals, this, _1, _2, _3)));
  server.Get("/api/national-series",
             Guard(true, std::bind(&HttpApi::NationalSeries, this, _1, _2, _3)));
  server.Get("/api/coverage", Guard(true, std::bind(&HttpApi::Coverage, this, _1, _2, _3)));
  server.Get("/api/province", Guard(false, std::bind(&HttpApi::Province, this, _1, _2, _3)));
  server.Get("/api/province-series",
             Guard(false, std::bind(&HttpApi::ProvinceSeries, this, _1, _2, _3)));
  server.Get("/api/events", Guard(false, std::bind(&HttpApi::Events, this, _1, _2, _3)));
  server.Get("/api/export/board.csv", Guard(true, std::bind(&HttpApi::BoardCsv, this, _1, _2, _3)));
  server.Get("/api/export/totals.csv",
             Guard(true, std::bind(&HttpApi::TotalsCsv, this, _1, _2, _3)));
  server.Get("/api/contests", Guard(false, std::bind(&HttpApi::Contests, this, _1, _2, _3)));
  server.Get("/api/export/contests.csv",
             Guard(false, std::bind(&HttpApi::ContestsCsv, this, _1, _2, _3)));
  server.Get("/api/rankings", Guard(false, std::bind(&HttpApi::Rankings, this, _1, _2, _3)));
  server.Get("/api/export/rankings.csv",
             Guard(false, std::bind(&HttpApi::RankingsCsv, this, _1, _2, _3)));
  server.Get("/api/province-ranking",
             Guard(false, std::bind(&HttpApi::ProvinceRanking, this, _1, _2, _3)));
  server.Get("/", [this](const httplib::Request& req, httplib::Response& res) {
    auto who = FromCookieHeader(*signer_, req.get_header_value("Cookie"), absl::Now());
    if (!who.ok()) {
      res.set_redirect("/login");
      return;
    }
    Page(req, res);
  });
  server.Get("/login",
             [this](const httplib::Request& req, httplib::Response& res) { Page(req, res); });
  server.Get("/favicon.ico",
             [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
  server.set_mount_point("/assets", options_.web_root + "/assets");
  server.set_file_request_handler([](const httplib::Request&, httplib::Response& res) {
    // Vite names assets by content hash: they never change.
    res.set_header("Cache-Control", "public, max-age=31536000, immutable");
    res.set_header("X-Content-Type-Options", "nosniff");
  });
}

void HttpApi::Page(const httplib::Request&, httplib::Response& res) {
  SecurityHeaders(res);
  std::string html = ReadFile(options_.web_root + "/index.html");
  if (html.empty()) {
    res.status = 503;
    res.set_content("The dashboard page is not built: run tools/dev build.\n", "text/plain");
    return;
  }
  res.set_header("Cache-Control", "no-cache");
  res.set_content(html, "text/html; charset=utf-8");
}

void HttpApi::Login(const httplib::Request& req, httplib::Response& res) {
  if (!SameOrigin(req)) return SendError(res, absl::PermissionDeniedError("cross-site request"));
  // The token comes as JSON {"token": "..."} (the page) or a form field.
  std::string token;
  if (req.has_param("token")) {
    token = req.get_param_value("token");
  } else {
    v1::LoginRequest body;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    if (google::protobuf::util::JsonStringToMessage(req.body, &body, options).ok()) {
      token = body.token();
    }
  }
  if (token.empty()) return SendError(res, absl::InvalidArgumentError("token: must not be empty"));
  auto session = dashboard::Login(*signer_, token, absl::Now());
  if (!session.ok()) {
    spdlog::info("event=login_refused error=\"{}\"", session.status().message());
    return SendError(res, session.status());
  }
  spdlog::info("event=login subject=\"{}\" org={} role={}", session->principal.subject,
               session->principal.organization_code, fed::RoleName(session->principal.role));
  res.set_header("Set-Cookie", SetCookie(*session, options_.secure_cookie));
  v1::LoginResponse response;
  response.set_subject(session->principal.subject);
  SendJson(res, 200, response);
}

void HttpApi::Me(const httplib::Request&, httplib::Response& res, const fed::Principal& who) {
  const absl::CivilDay today = fed::DayInVietnam(options_.clock());
  v1::MeResponse me;
  me.set_subject(who.subject);
  me.set_organization_code(who.organization_code);
  me.set_role(who.role);
  me.set_national(SeesNationalBoard(who));
  me.set_today(fed::FormatDate(today));
  for (const auto& p : HalfYearsUpTo(today)) {
    me.add_periods(p);
    // The page says how far each deadline is from today.
    (*me.mutable_due_dates())[p] = fed::FormatDate(fed::Period::Parse(p)->DueDate());
  }
  me.set_default_period(DefaultBoardPeriod(today));
  me.mutable_features()->set_rankings(backend_->HasRanking());
  me.mutable_features()->set_contests(backend_->HasCompetition());
  *me.mutable_catalog() = fed::LatestCatalog();
  SendJson(res, 200, me);
}

absl::StatusOr<v1::ListClustersResponse> HttpApi::ClustersFor(
    const std::string& period, const v1::CompletenessResponse& board) {
  // Clusters are constituted per year; after the 2025 merger the successors'
  // clusters start the next year. Take the first year whose clusters cover
  // most of the expected reporters.
  int year = YearOf(period);
  v1::ListClustersResponse best;
  for (int y : {year, year + 1, year - 1}) {
    auto clusters = backend_->Clusters(y);
    if (!clusters.ok()) return clusters.status();
    std::set<std::string> members;
    for (const auto& c : clusters->clusters())
      members.insert(c.member_codes().begin(), c.member_codes().end());
    int covered = 0;
    for (const auto& r : board.reporters()) covered += members.count(r.organization_code());
    if (board.reporters_size() > 0 && covered * 2 > board.reporters_size()) return *clusters;
    if (best.clusters_size() == 0) best = *clusters;
  }
  return best;
}

absl::StatusOr<std::string> HttpApi::BoardJson(const std::string& period) {
  int64_t sequence = feed_->head();
  bool ready = feed_->ready();
  {
    absl::MutexLock lock(&cache_mu_);
    auto it = board_cache_.find(period);
    if (ready && it != board_cache_.end() && it->second.sequence == sequence &&
        absl::Now() - it->second.built < kBoardCacheMaxAge) {
      return it->second.json;
    }
  }
  auto board = backend_->Completeness(period);
  if (!board.ok()) return board.status();
  auto clusters = ClustersFor(period, *board);
  if (!clusters.ok()) return clusters.status();
  v1::BoardResponse response;
  response.set_period(period);
  response.set_sequence(sequence);
  *response.mutable_completeness() = *std::move(board);
  *response.mutable_clusters() = *std::move(clusters);
  std::string json = ToJson(response);
  if (ready) {
    absl::MutexLock lock(&cache_mu_);
    board_cache_[period] = CachedBoard{sequence, absl::Now(), json};
    if (board_cache_.size() > 64) board_cache_.erase(board_cache_.begin());
  }
  return json;
}

void HttpApi::Board(const httplib::Request& req, httplib::Response& res, const fed::Principal&) {
  auto period = PeriodParam(req);
  if (!period.ok()) return SendError(res, period.status());
  auto json = BoardJson(*period);
  if (!json.ok()) return SendError(res, json.status());
  SendJsonText(res, 200, *std::move(json));
}

void HttpApi::Totals(const httplib::Request& req, httplib::Response& res, const fed::Principal&) {
  auto period = PeriodParam(req);
  if (!period.ok()) return SendError(res, period.status());
  auto totals = backend_->Totals(*period, {}, req.get_param_value("include_submitted") == "1");
  if (!totals.ok()) return SendError(res, totals.status());
  SendJson(res, 200, *totals);
}

void HttpApi::NationalSeries(const httplib::Request& req, httplib::Response& res,
                             const fed::Principal&) {
  auto indicator = IndicatorParam(req);
  auto from = PeriodParam(req, "from");
  auto to = PeriodParam(req, "to");
  for (const absl::Status& s : {indicator.status(), from.status(), to.status()}) {
    if (!s.ok()) return SendError(res, s);
  }
  auto range = fed::Period::Range(*fed::Period::Parse(*from), *fed::Period::Parse(*to));
  if (range.empty() || static_cast<int>(range.size()) > kMaxSeriesPeriods) {
    return SendError(res, absl::InvalidArgumentError(absl::StrCat(
                              "from, to: one kind of period, at most ", kMaxSeriesPeriods)));
  }
  v1::NationalSeriesResponse series;
  series.set_indicator(*indicator);
  for (const auto& p : range) {
    auto totals = backend_->Totals(p.ToString(), {*indicator}, false);
    if (!totals.ok()) return SendError(res, totals.status());
    *series.add_totals() = *std::move(totals);
  }
  SendJson(res, 200, series);
}

void HttpApi::Coverage(const httplib::Request& req, httplib::Response& res, const fed::Principal&) {
  auto period = PeriodParam(req);
  if (!period.ok()) return SendError(res, period.status());
  v1::CoverageFiguresResponse figures;
  figures.set_period(*period);
  for (const char* condition : kCoverageConditions) {
    auto coverage = backend_->Coverage(*period, condition);
    if (!coverage.ok()) return SendError(res, coverage.status());
    v1::CoverageFigure* item = figures.add_items();
    item->set_condition(condition);
    *item->mutable_coverage() = *std::move(coverage);
  }
  SendJson(res, 200, figures);
}

void HttpApi::Province(const httplib::Request& req, httplib::Response& res,
                       const fed::Principal& who) {
  auto code = CodeParam(req);
  if (!code.ok()) return SendError(res, code.status());
  if (!MaySeeOrganization(who, *code)) {
    return SendError(res, absl::PermissionDeniedError("you may see your own province only"));
  }
  auto period = PeriodParam(req);
  if (!period.ok()) return SendError(res, period.status());
  auto profile = backend_->Profile(*code, YearOf(*period));
  if (!profile.ok()) return SendError(res, profile.status());
  // Its reports of the chosen period and the five before it, every revision
  // with its review outcome.
  v1::ProvinceResponse page;
  *page.mutable_profile() = *std::move(profile);
  fed::Period p = *fed::Period::Parse(*period);
  for (int i = 0; i < 6; ++i, p = p.Previous()) {
    auto revisions = backend_->Revisions(*code, p.ToString());
    if (!revisions.ok() && revisions.status().code() != absl::StatusCode::kNotFound) {
      return SendError(res, revisions.status());
    }
    v1::ProvinceReports* reports = page.add_reports();
    reports->set_period(p.ToString());
    // Set even when nothing was received: the page reads an empty list.
    v1::ListRevisionsResponse* list = reports->mutable_revisions();
    if (revisions.ok()) *list = *std::move(revisions);
  }
  SendJson(res, 200, page);
}

void HttpApi::ProvinceSeries(const httplib::Request& req, httplib::Response& res,
                             const fed::Principal& who) {
  auto code = CodeParam(req);
  auto indicator = IndicatorParam(req);
  auto from = PeriodParam(req, "from");
  auto to = PeriodParam(req, "to");
  for (const absl::Status& s : {code.status(), indicator.status(), from.status(), to.status()}) {
    if (!s.ok()) return SendError(res, s);
  }
  if (!MaySeeOrganization(who, *code)) {
    return SendError(res, absl::PermissionDeniedError("you may see your own province only"));
  }
  auto own = backend_->Series(*code, {*indicator}, *from, *to);
  if (!own.ok()) return SendError(res, own.status());
  v1::ProvinceSeriesResponse response;
  *response.mutable_own() = *std::move(own);
  // The cluster of the last year of the range, compared by period: the
  // members' average and best (counted reports only).
  auto profile = backend_->Profile(*code, YearOf(*to));
  std::map<std::string, std::vector<double>> values;
  if (profile.ok() && profile->has_cluster()) {
    const auto& cluster = profile->cluster().cluster();
    *response.mutable_cluster() = cluster;
    for (const auto& member : cluster.member_codes()) {
      auto series = backend_->Series(member, {*indicator}, *from, *to);
      if (!series.ok()) continue;
      for (const auto& point : series->points()) {
        if (point.present()) values[point.period()].push_back(point.value());
      }
    }
  }
  for (const auto& [period, list] : values) {
    double sum = 0, top = list.front();
    for (double v : list) sum += v, top = std::max(top, v);
    v1::ClusterAveragePoint* average = response.add_cluster_average();
    average->set_period(period);
    average->set_value(sum / list.size());
    average->set_members(static_cast<int32_t>(list.size()));
    v1::ClusterBestPoint* best = response.add_cluster_best();
    best->set_period(period);
    best->set_value(top);
  }
  SendJson(res, 200, response);
}

void HttpApi::Events(const httplib::Request& req, httplib::Response& res,
                     const fed::Principal& who) {
  int64_t after = 0;
  std::string last_id = req.get_header_value("Last-Event-ID");
  if (!absl::SimpleAtoi(last_id, &after) &&
      !absl::SimpleAtoi(req.get_param_value("after"), &after)) {
    after = feed_->head();
  }
  auto cursor = std::make_shared<int64_t>(std::max<int64_t>(0, after));
  auto started = std::make_shared<bool>(false);
  const bool national = SeesNationalBoard(who);
  const std::string own = who.organization_code;
  const absl::Duration heartbeat = options_.heartbeat;
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      "text/event-stream",
      [this, cursor, started, national, own, heartbeat](size_t, httplib::DataSink& sink) {
        std::string out;
        if (!*started) {
          *started = true;
          v1::EventsHello hello;
          hello.set_sequence(*cursor);
          out = absl::StrCat("retry: 2000\nevent: hello\ndata: ", ToJson(hello), "\n\n");
          return sink.write(out.data(), out.size());
        }
        ChangeFeed::Batch batch = feed_->WaitAfter(*cursor, heartbeat);
        if (batch.stopping) {
          sink.done();
          return true;
        }
        if (batch.gap) {
          *cursor = feed_->head();
          out = absl::StrCat("id: ", *cursor, "\nevent: reset\ndata: ", ToJson(v1::EventsReset()),
                             "\n\n");
        } else if (batch.changes.empty()) {
          out = ": keep-alive\n\n";
        }
        for (const auto& change : batch.changes) {
          *cursor = change.sequence();
          if (!national && change.organization_code() != own) continue;
          out += absl::StrCat("id: ", change.sequence(), "\nevent: change\ndata: ", ToJson(change),
                              "\n\n");
        }
        if (out.empty()) out = ": skipped\n\n";
        return sink.write(out.data(), out.size());
      });
}

void HttpApi::BoardCsv(const httplib::Request& req, httplib::Response& res, const fed::Principal&) {
  auto period = PeriodParam(req);
  if (!period.ok()) return SendError(res, period.status());
  auto board = backend_->Completeness(*period);
  if (!board.ok()) return SendError(res, board.status());
  auto clusters = ClustersFor(*period, *board);
  if (!clusters.ok()) return SendError(res, clusters.status());
  std::map<std::string, int> cluster_of;
  for (const auto& c : clusters->clusters()) {
    for (const auto& m : c.member_codes()) cluster_of[m] = c.number();
  }
  int only_cluster = 0;
  absl::SimpleAtoi(req.get_param_value("cluster"), &only_cluster);
  std::string csv = kCsvBom;
  csv += CsvRow(
      {"period", "code", "name", "cluster", "state", "late", "revision", "first_submitted_at"});
  for (const auto& r : board->reporters()) {
    auto it = cluster_of.find(r.organization_code());
    int number = it == cluster_of.end() ? 0 : it->second;
    if (only_cluster > 0 && number != only_cluster) continue;
    std::string submitted;
    if (r.has_first_submitted_at()) {
      submitted = absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                                   absl::FromUnixSeconds(r.first_submitted_at().seconds()),
                                   absl::UTCTimeZone());
    }
    csv += CsvRow({*period, r.organization_code(), r.organization_name(),
                   number > 0 ? absl::StrCat(number) : "", StateName(r.state()),
                   r.late() ? "yes" : "no", absl::StrCat(r.latest_revision()), submitted});
  }
  res.set_header("Content-Disposition",
                 absl::StrCat("attachment; filename=\"board-", *period, ".csv\""));
  res.set_header("Cache-Control", "no-store");
  res.set_content(csv, "text/csv; charset=utf-8");
}

void HttpApi::TotalsCsv(const httplib::Request& req, httplib::Response& res,
                        const fed::Principal&) {
  auto period = PeriodParam(req);
  if (!period.ok()) return SendError(res, period.status());
  auto totals = backend_->Totals(*period, {}, false);
  if (!totals.ok()) return SendError(res, totals.status());
  std::string csv = kCsvBom;
  csv += CsvRow(
      {"period", "indicator_code", "label_vi", "label_en", "value", "reporting_organizations"});
  for (const auto& t : totals->totals()) {
    const v1::Indicator* indicator = fed::FindIndicator(t.indicator_code());
    csv += CsvRow({*period, t.indicator_code(), indicator ? indicator->label_vi() : "",
                   indicator ? indicator->label_en() : "", absl::StrCat(t.value()),
                   absl::StrCat(t.reporting_organizations())});
  }
  res.set_header("Content-Disposition",
                 absl::StrCat("attachment; filename=\"totals-", *period, ".csv\""));
  res.set_header("Cache-Control", "no-store");
  res.set_content(csv, "text/csv; charset=utf-8");
}

void HttpApi::Contests(const httplib::Request& req, httplib::Response& res,
                       const fed::Principal& who) {
  auto period = PeriodParam(req);
  auto requested = OptionalCodeParam(req);
  for (const absl::Status& s : {period.status(), requested.status()}) {
    if (!s.ok()) return SendError(res, s);
  }
  auto scope = ContestStatisticsScope(who, *requested);
  if (!scope.ok()) return SendError(res, scope.status());
  const int year = YearOf(*period);
  auto all = backend_->ContestStatistics(year, *scope, v1::CONTEST_KIND_UNSPECIFIED);
  if (!all.ok()) {
    spdlog::warn("event=contest_statistics_failed year={} error=\"{}\"", year,
                 all.status().message());
    return SendError(res, all.status());
  }
  v1::ContestsResponse response;
  response.set_year(year);
  response.set_organization_code(*scope);
  *response.mutable_statistics() = *std::move(all);
  // Per kind, each organisation's contests counted once (the rows count a
  // contest once per field it has entries in).
  for (v1::ContestKind kind : kContestKinds) {
    auto one = backend_->ContestStatistics(year, *scope, kind);
    if (!one.ok()) return SendError(res, one.status());
    one->clear_rows();
    v1::ContestKindTotals* by_kind = response.add_by_kind();
    by_kind->set_kind(kind);
    *by_kind->mutable_totals() = *std::move(one);
  }
  SendJson(res, 200, response);
}

void HttpApi::ContestsCsv(const httplib::Request& req, httplib::Response& res,
                          const fed::Principal& who) {
  auto period = PeriodParam(req);
  auto requested = OptionalCodeParam(req);
  for (const absl::Status& s : {period.status(), requested.status()}) {
    if (!s.ok()) return SendError(res, s);
  }
  auto scope = ContestStatisticsScope(who, *requested);
  if (!scope.ok()) return SendError(res, scope.status());
  const int year = YearOf(*period);
  auto stats = backend_->ContestStatistics(year, *scope, v1::CONTEST_KIND_UNSPECIFIED);
  if (!stats.ok()) return SendError(res, stats.status());
  std::string csv = kCsvBom;
  csv += CsvRow({"year", "organization_code", "kind", "field", "contests", "entries", "prizes",
                 "national_awards"});
  for (const auto& r : stats->rows()) {
    csv += CsvRow({absl::StrCat(r.year()), r.organization_code(), KindName(r.kind()), r.field(),
                   absl::StrCat(r.contests()), absl::StrCat(r.entries()), absl::StrCat(r.prizes()),
                   absl::StrCat(r.national_awards())});
  }
  res.set_header("Content-Disposition", absl::StrCat("attachment; filename=\"contests-", year,
                                                     scope->empty() ? "" : "-", *scope, ".csv\""));
  res.set_header("Cache-Control", "no-store");
  res.set_content(csv, "text/csv; charset=utf-8");
}

// ---------------------------------------------------------------------------
// Emulation-cluster rankings (ranking service)

absl::StatusOr<v1::GetRankingResponse> HttpApi::ScopedRankings(const httplib::Request& req,
                                                               const fed::Principal& who,
                                                               std::string* period_out) {
  auto period = PeriodParam(req);
  if (!period.ok()) return period.status();
  int cluster = 0;
  const std::string cluster_text = req.get_param_value("cluster");
  if (!cluster_text.empty() &&
      (!absl::SimpleAtoi(cluster_text, &cluster) || cluster < 1 || cluster > 99)) {
    return absl::InvalidArgumentError("cluster: a cluster number 1-99");
  }
  // Refuse before asking: the service identity would be answered.
  if (!SeesNationalBoard(who) && who.role != v1::ROLE_PROVINCE_REPORTER) {
    return absl::PermissionDeniedError("rankings are for the national office and provinces");
  }
  auto ask = [&](int number, bool totals_only) {
    auto rankings = backend_->Rankings(*period, number, totals_only);
    if (!rankings.ok()) {
      spdlog::warn("event=rankings_failed period={} error=\"{}\"", *period,
                   rankings.status().message());
    }
    return rankings;
  };
  int number = cluster;
  if (!SeesNationalBoard(who)) {
    // A province's cluster is the one whose ranking lists it: find it among
    // every cluster's totals, then ask for that one with its breakdown.
    auto totals = ask(0, /*totals_only=*/true);
    if (!totals.ok()) return totals.status();
    if (absl::Status scoped = ScopeRankings(who, cluster, &*totals); !scoped.ok()) return scoped;
    number = totals->rankings(0).cluster_number();  // its own cluster, the only one left
  }
  auto rankings = ask(number, /*totals_only=*/false);
  if (!rankings.ok()) return rankings.status();
  if (absl::Status scoped = ScopeRankings(who, cluster, &*rankings); !scoped.ok()) return scoped;
  *period_out = *period;
  return rankings;
}

void HttpApi::Rankings(const httplib::Request& req, httplib::Response& res,
                       const fed::Principal& who) {
  std::string period;
  auto rankings = ScopedRankings(req, who, &period);
  if (!rankings.ok()) return SendError(res, rankings.status());
  v1::RankingsResponse response;
  response.set_period(period);
  // The scheme names the criteria and rules of the breakdown.
  if (rankings->rankings_size() > 0) {
    const auto& first = rankings->rankings(0);
    auto scheme = backend_->Scheme(first.year(), first.scheme_version());
    if (scheme.ok()) *response.mutable_scheme() = *std::move(scheme);
  }
  *response.mutable_rankings() = *std::move(rankings);
  SendJson(res, 200, response);
}

void HttpApi::RankingsCsv(const httplib::Request& req, httplib::Response& res,
                          const fed::Principal& who) {
  std::string period;
  auto rankings = ScopedRankings(req, who, &period);
  if (!rankings.ok()) return SendError(res, rankings.status());
  std::string csv = kCsvBom;
  csv +=
      CsvRow({"year", "cluster", "period", "scheme_version", "rank", "code", "name", "cluster_role",
              "total", "flag_proposal", "item_kind", "item_code", "raw", "normalised", "points"});
  for (const auto& r : rankings->rankings()) {
    for (const auto& e : r.entries()) {
      std::vector<std::string> head = {absl::StrCat(r.year()),
                                       absl::StrCat(r.cluster_number()),
                                       r.period(),
                                       absl::StrCat(r.scheme_version()),
                                       absl::StrCat(e.rank()),
                                       e.organization_code(),
                                       e.organization_name(),
                                       e.cluster_role(),
                                       absl::StrCat(e.total()),
                                       e.flag_proposal() ? "yes" : "no"};
      if (e.has_not_expected()) {
        // Listed, not ranked: no rank, no total, one row saying why.
        head[4] = "";
        head[8] = "";
        std::vector<std::string> row = head;
        row.insert(row.end(), {"not_expected", e.not_expected().note(), "", "", ""});
        csv += CsvRow(row);
        continue;
      }
      for (const auto& c : e.breakdown()) {
        std::vector<std::string> row = head;
        row.insert(row.end(),
                   {"criterion", c.criterion_code(), c.present() ? absl::StrCat(c.raw_value()) : "",
                    absl::StrCat(c.normalised()), absl::StrCat(c.points())});
        csv += CsvRow(row);
      }
      for (const auto& a : e.adjustments()) {
        std::vector<std::string> row = head;
        row.insert(row.end(),
                   {"rule", a.rule_code(), absl::StrCat(a.count()), "", absl::StrCat(a.points())});
        csv += CsvRow(row);
      }
    }
  }
  const std::string cluster = req.get_param_value("cluster");
  res.set_header("Content-Disposition",
                 absl::StrCat("attachment; filename=\"rankings-", period,
                              rankings->rankings_size() == 1
                                  ? absl::StrCat("-", rankings->rankings(0).cluster_number())
                                  : "",
                              ".csv\""));
  res.set_header("Cache-Control", "no-store");
  res.set_content(csv, "text/csv; charset=utf-8");
}

void HttpApi::ProvinceRanking(const httplib::Request& req, httplib::Response& res,
                              const fed::Principal& who) {
  auto code = CodeParam(req);
  auto period = PeriodParam(req);
  for (const absl::Status& s : {code.status(), period.status()}) {
    if (!s.ok()) return SendError(res, s);
  }
  if (!MaySeeOrganization(who, *code)) {
    return SendError(res, absl::PermissionDeniedError("you may see your own province only"));
  }
  // Without a scheme for the year there is nothing to rank (and nothing the
  // comparison would read by default).
  auto scheme = backend_->Scheme(YearOf(*period), 0);
  if (!scheme.ok()) return SendError(res, scheme.status());
  auto comparison = backend_->CompareProvince(*code, *period);
  if (!comparison.ok()) {
    spdlog::warn("event=compare_province_failed code={} period={} error=\"{}\"", *code, *period,
                 comparison.status().message());
    return SendError(res, comparison.status());
  }
  v1::ProvinceRankingResponse response;
  // Its own cluster's ranking: a province may see that one.
  auto ranking = backend_->Rankings(*period, comparison->cluster_number());
  if (ranking.ok() && ranking->rankings_size() == 1) {
    *response.mutable_ranking() = std::move(*ranking->mutable_rankings(0));
    if (response.ranking().scheme_version() != scheme->version()) {
      auto used = backend_->Scheme(response.ranking().year(), response.ranking().scheme_version());
      if (used.ok()) *scheme = *std::move(used);
    }
  }
  *response.mutable_comparison() = *std::move(comparison);
  *response.mutable_scheme() = *std::move(scheme);
  SendJson(res, 200, response);
}

}  // namespace dashboard
