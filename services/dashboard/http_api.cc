#include "services/dashboard/http_api.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/catalog.h"
#include "services/common/client.h"
#include "services/common/dates.h"
#include "services/common/log.h"
#include "services/common/period.h"
#include "services/dashboard/http_util.h"
#include "services/dashboard/session.h"

namespace dashboard {

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

std::string SessionIdOf(const httplib::Request& req) {
  return CookieValue(req.get_header_value("Cookie"), kSessionCookie);
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

HttpApi::HttpApi(Backend* backend, ChangeFeed* feed, const fed::TokenVerifier* verifier,
                 SessionStore* sessions, HttpOptions options)
    : backend_(backend),
      feed_(feed),
      verifier_(verifier),
      sessions_(sessions),
      options_(std::move(options)) {}

void HttpApi::SweepSessions(absl::Time now) {
  const size_t swept = sessions_->Sweep(now);
  if (swept == 0) return;
  spdlog::info("event=sessions_swept expired={} left={}", swept, sessions_->size());
  feed_->Kick();
}

httplib::Server::Handler HttpApi::Guard(bool national, Handler handler) {
  return [this, national, handler](const httplib::Request& req, httplib::Response& res) {
    SecurityHeaders(res);
    auto who = sessions_->Find(SessionIdOf(req), absl::Now());
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
    Logout(req, res);
  });
  server.Get("/api/me", Guard(false, std::bind(&HttpApi::Me, this, _1, _2, _3)));
  server.Post(
      R"(/api/call/([a-z]+)/([A-Za-z]+))",
      [this](const httplib::Request& req, httplib::Response& res) { CallAsPerson(req, res); });
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
    auto who = sessions_->Find(SessionIdOf(req), absl::Now());
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
  const std::string token = LoginToken(req);
  if (token.empty()) return SendError(res, absl::InvalidArgumentError("token: must not be empty"));
  const absl::Time now = absl::Now();
  auto grant = VerifyLogin(*verifier_, token, now);
  if (!grant.ok()) {
    spdlog::info("event=login_refused error={}", fed::LogQuoted(grant.status().message()));
    return SendError(res, grant.status());
  }
  // The browser's cookie jar keeps one session: the one it replaces ends
  // here rather than lingering until it expires.
  if (sessions_->Close(SessionIdOf(req))) feed_->Kick();
  const SessionStore::Opened session = sessions_->Open(*grant, now);
  spdlog::info("event=login subject={} org={} role={} expires={}",
               fed::LogQuoted(grant->principal.subject),
               fed::LogQuoted(grant->principal.organization_code),
               fed::RoleName(grant->principal.role), absl::FormatTime(session.expires));
  res.set_header("Set-Cookie",
                 SetCookie(session.id, session.max_age_seconds, options_.secure_cookie));
  v1::LoginResponse response;
  response.set_subject(grant->principal.subject);
  SendJson(res, 200, response);
}

void HttpApi::Logout(const httplib::Request& req, httplib::Response& res) {
  if (!SameOrigin(req)) return SendError(res, absl::PermissionDeniedError("cross-site request"));
  if (sessions_->Close(SessionIdOf(req))) {
    // Its live-update streams end now, not at their next heartbeat.
    feed_->Kick();
  }
  res.set_header("Set-Cookie", ClearCookie(options_.secure_cookie));
  SendJson(res, 200, v1::LogoutResponse());
}

void HttpApi::Me(const httplib::Request& req, httplib::Response& res, const fed::Principal& who) {
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
  me.mutable_features()->set_emulation(backend_->person_calls().HasEmulation());
  *me.mutable_catalog() = fed::LatestCatalog();
  if (auto session = sessions_->FindSession(SessionIdOf(req), absl::Now()); session.ok()) {
    me.set_csrf_token(session->csrf_token);
  }
  SendJson(res, 200, me);
}

}  // namespace dashboard
