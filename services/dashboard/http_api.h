// The dashboard's HTTP surface: the built page, the login, a small JSON API
// whose bodies are the messages of federation/v1/dashboard.proto in
// protobuf's JSON mapping, CSV downloads, and server-sent events fed by the
// aggregator's change feed. The routes of each page area live in their own
// file (named at each group below); http_util.h holds what they share.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <httplib.h>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "federation/v1/dashboard.pb.h"
#include "services/common/auth.h"
#include "services/dashboard/backend.h"
#include "services/dashboard/change_feed.h"
#include "services/dashboard/session_store.h"
#include "services/dashboard/view_cache.h"

namespace dashboard {

struct HttpOptions {
  // The built page (services/dashboard/web/dist).
  std::string web_root;
  // Add "Secure" to the session cookie: served over TLS (or behind a
  // TLS-terminating proxy).
  bool secure_cookie = false;
  // How long a server-sent events connection stays quiet before a keep-alive.
  absl::Duration heartbeat = absl::Seconds(15);
  // What time it is, for the board's calendar (today in Vietnam, the default
  // period and its deadline); tests set their own.
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

class HttpApi {
 public:
  // `verifier` checks login tokens (and nothing else: sessions live in
  // `sessions`).
  HttpApi(Backend* backend, ChangeFeed* feed, const fed::TokenVerifier* verifier,
          SessionStore* sessions, HttpOptions options);

  // Registers every route on `server` (http_api.cc, with /healthz and the
  // logout).
  void Register(httplib::Server& server);

  // Drops the sessions expired at `now` and closes their live-update
  // streams (main.cc runs it in the background).
  void SweepSessions(absl::Time now);

 private:
  using Handler =
      std::function<void(const httplib::Request&, httplib::Response&, const fed::Principal&)>;
  // Authenticates the session cookie (401 JSON otherwise), checks national
  // access when `national` (403 otherwise), then runs `handler`.
  httplib::Server::Handler Guard(bool national, Handler handler);

  // http_api.cc: the page, signing in and out, who is signed in.
  void Page(const httplib::Request& req, httplib::Response& res);
  void Login(const httplib::Request& req, httplib::Response& res);
  void Logout(const httplib::Request& req, httplib::Response& res);
  void Me(const httplib::Request& req, httplib::Response& res, const fed::Principal& who);

  // call_routes.cc: POST /api/call/<service>/<Method>, the page's calls made
  // as the signed-in person (person_calls.h), each with the session's
  // anti-forgery token.
  void CallAsPerson(const httplib::Request& req, httplib::Response& res);

  // board_routes.cc: the national board, its figures and charts, and their CSVs.
  void Board(const httplib::Request& req, httplib::Response& res, const fed::Principal& who);
  void Totals(const httplib::Request& req, httplib::Response& res, const fed::Principal& who);
  void NationalSeries(const httplib::Request& req, httplib::Response& res,
                      const fed::Principal& who);
  void Coverage(const httplib::Request& req, httplib::Response& res, const fed::Principal& who);
  void BoardCsv(const httplib::Request& req, httplib::Response& res, const fed::Principal& who);
  void TotalsCsv(const httplib::Request& req, httplib::Response& res, const fed::Principal& who);
  // The board of `period` (completeness with every reporter + the clusters)
  // as JSON, kept in views_ until the change feed moves.
  absl::StatusOr<std::string> BoardJson(const std::string& period);
  absl::StatusOr<v1::ListClustersResponse> ClustersFor(const std::string& period,
                                                       const v1::CompletenessResponse& board);

  // province_routes.cc: one province's page and its chart against its cluster.
  void Province(const httplib::Request& req, httplib::Response& res, const fed::Principal& who);
  void ProvinceSeries(const httplib::Request& req, httplib::Response& res,
                      const fed::Principal& who);

  // contest_routes.cc: contest statistics and their CSV.
  void Contests(const httplib::Request& req, httplib::Response& res, const fed::Principal& who);
  void ContestsCsv(const httplib::Request& req, httplib::Response& res, const fed::Principal& who);

  // ranking_routes.cc: emulation-cluster rankings, their CSV, a province
  // against its cluster.
  void Rankings(const httplib::Request& req, httplib::Response& res, const fed::Principal& who);
  void RankingsCsv(const httplib::Request& req, httplib::Response& res, const fed::Principal& who);
  void ProvinceRanking(const httplib::Request& req, httplib::Response& res,
                       const fed::Principal& who);
  // The rankings of the request's period (and ?cluster=) that `who` may see.
  absl::StatusOr<v1::GetRankingResponse> ScopedRankings(const httplib::Request& req,
                                                        const fed::Principal& who,
                                                        std::string* period);

  // event_routes.cc: live updates as server-sent events.
  void Events(const httplib::Request& req, httplib::Response& res, const fed::Principal& who);

  Backend* backend_;
  ChangeFeed* feed_;
  const fed::TokenVerifier* verifier_;
  SessionStore* sessions_;
  HttpOptions options_;

  // The board, totals and coverage JSON, rebuilt once per move of the feed
  // (30 s at most: clusters and names change outside it).
  ViewCache views_{absl::Seconds(30), 64};
};

// Helpers exposed for tests, each in its page area's file.

// contest_routes.cc. Whose contest statistics `who` may read when asking for
// `requested` ("": all they may see): "" (every organisation) for national
// roles, their own organisation for a province's staff (PERMISSION_DENIED for
// another one), PERMISSION_DENIED for anyone else. Mirrors the competition
// service's rule for statistics, which the dashboard's service identity would
// bypass.
absl::StatusOr<std::string> ContestStatisticsScope(const fed::Principal& who,
                                                   const std::string& requested);

// ranking_routes.cc. Narrows `rankings` (every cluster, or cluster
// `requested`) to what `who` may see of cluster `requested` (0: all they may
// see): everything for national roles; a province's staff their own cluster
// only — the ranking that lists their province (PERMISSION_DENIED when they
// ask for another cluster or their province is in none); PERMISSION_DENIED
// for anyone else. Mirrors the ranking service's rule, which the dashboard's
// service identity would bypass.
absl::Status ScopeRankings(const fed::Principal& who, int requested,
                           v1::GetRankingResponse* rankings);

// http_api.cc. The session id of the request's cookie ("" without one).
std::string SessionIdOf(const httplib::Request& req);
// http_api.cc. "2025H1", ... the half-years from 2019H1 to the one containing `today`.
std::vector<std::string> HalfYearsUpTo(absl::CivilDay today);
// The half-year the board opens on when `today` (in Vietnam) comes: of the
// half-years that have ended, the one whose deadline is nearest, past or
// coming. One still running is never chosen: nothing is due for it yet, so
// its board would show every province "missing".
std::string DefaultBoardPeriod(absl::CivilDay today);

}  // namespace dashboard
