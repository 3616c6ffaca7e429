// dashboard_server: the national office dashboard over HTTPS — the built page,
// a login that turns an access token into a session cookie, a JSON API made of
// the registry's, aggregator's, competition and ranking services' gRPC
// responses, and live updates as server-sent events fed by the aggregator's
// change feed.
// Holds no data.
#include <atomic>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/background_loop.h"
#include "services/common/client.h"
#include "services/common/identity.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/server.h"
#include "services/common/topology.h"
#include "services/common/transport.h"
#include "services/dashboard/backend.h"
#include "services/dashboard/change_feed.h"
#include "services/dashboard/http_api.h"
#include "services/dashboard/https_server.h"
#include "services/dashboard/session_store.h"

ABSL_FLAG(std::string, registry_target, fed::DefaultAddress("registry"),
          "Address of the registry service.");
ABSL_FLAG(std::string, aggregator_target, fed::DefaultAddress("aggregator"),
          "Address of the aggregator service.");
ABSL_FLAG(std::string, emulation_target, fed::DefaultAddress("emulation"),
          "Address of the emulation service (the clusters' emulation years, called as the "
          "signed-in person); empty: none.");
ABSL_FLAG(std::string, competition_target, fed::DefaultAddress("competition"),
          "Address of the competition service (contest statistics); empty: none.");
ABSL_FLAG(std::string, ranking_target, fed::DefaultAddress("ranking"),
          "Address of the ranking service (emulation-cluster rankings); empty: none.");
ABSL_FLAG(std::string, reporting_target, fed::DefaultAddress("reporting"),
          "Address of the reporting service (provinces write reports on the page); empty: none.");
ABSL_FLAG(std::string, web_root, "services/dashboard/web/dist",
          "Directory of the built page (index.html and assets/).");
ABSL_FLAG(bool, secure_cookie, false,
          "With --insecure: mark the session cookie Secure all the same (a TLS-terminating proxy "
          "in front). Over HTTPS it always is.");
ABSL_FLAG(int, max_sessions, 10000, "Sessions kept at most; the oldest is logged out first.");
ABSL_FLAG(int, max_streams_per_session, 4,
          "Live-update streams one session may hold at once; the next one is refused (429).");
ABSL_FLAG(int, http_threads, 1024,
          "HTTP worker threads; each open connection holds one while it lives (a live-update "
          "stream, a browser's kept-alive connections): 100 viewers hold several hundred.");

namespace {
std::atomic<bool> g_stop{false};
void OnStopSignal(int) { g_stop.store(true); }

// The session limits the flags ask for; INVALID_ARGUMENT naming each bad flag.
absl::StatusOr<dashboard::SessionStore::Limits> SessionLimitsFromFlags() {
  std::vector<std::string> bad;
  const int sessions = absl::GetFlag(FLAGS_max_sessions);
  const int streams = absl::GetFlag(FLAGS_max_streams_per_session);
  if (sessions < 1)
    bad.push_back(absl::StrCat("--max_sessions must be at least 1, got ", sessions));
  if (streams < 1) {
    bad.push_back(absl::StrCat("--max_streams_per_session must be at least 1, got ", streams));
  }
  if (!bad.empty()) return absl::InvalidArgumentError(absl::StrJoin(bad, "; "));
  dashboard::SessionStore::Limits limits;
  limits.max_sessions = static_cast<size_t>(sessions);
  limits.max_streams = streams;
  return limits;
}
// The route a request counts under: the API's first two segments
// ("/api/board", "/api/call"), "static" for the page's files, "unmatched"
// for what no route answered, so that made-up paths cannot grow the
// metrics without bound.
std::string RouteOf(const httplib::Request& req, int status) {
  if (status == 404) return "unmatched";
  if (req.path.rfind("/api/", 0) != 0) return req.path == "/healthz" ? "/healthz" : "static";
  const size_t end = req.path.find('/', 5);
  return req.path.substr(0, end == std::string::npos ? req.path.size() : end);
}

// Each request's route, status and time (services/common/metrics.h):
// cpp-httplib handles a request on one thread from routing to logging, so
// its start is kept per thread.
void CountRequests(httplib::Server& server) {
  static thread_local absl::Time started;
  server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    started = absl::Now();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    fed::metrics::RecordHttpRequest(RouteOf(req, res.status), res.status, absl::Now() - started);
  });
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  fed::InitLogging("dashboard");
  fed::metrics::SetService("dashboard");

  const std::string listen = fed::ListenAddress("dashboard");
  size_t colon = listen.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(listen.substr(colon + 1), &port)) {
    spdlog::critical("event=start_failed error=\"--listen must be HOST:PORT, got {}\"", listen);
    return 1;
  }
  std::string host = listen.substr(0, colon);

  // Verifies login tokens (audience "dashboard"); it can make none.
  absl::StatusOr<std::unique_ptr<fed::TokenVerifier>> verifier =
      fed::IdentityFromFlags("dashboard");
  if (!verifier.ok()) {
    spdlog::critical("event=start_failed error={}", fed::LogQuoted(verifier.status().message()));
    return 1;
  }
  // Its gRPC calls to the other services and its own HTTPS port: TLS with
  // its own certificate (dashboard.crt) unless --insecure.
  if (absl::Status transport = fed::ConfigureTransportFromFlags("dashboard"); !transport.ok()) {
    spdlog::critical("event=start_failed error={}", fed::LogQuoted(transport.message()));
    return 1;
  }
  const fed::Transport transport = *fed::CurrentTransport();
  auto made = dashboard::NewHttpServer(transport);
  if (!made.ok()) {
    spdlog::critical("event=start_failed error={}", fed::LogQuoted(made.status().message()));
    return 1;
  }
  std::unique_ptr<httplib::Server> server = *std::move(made);
  auto limits = SessionLimitsFromFlags();
  if (!limits.ok()) {
    spdlog::critical("event=start_failed error={}", fed::LogQuoted(limits.status().message()));
    return 1;
  }

  // An empty target leaves that part of the page out.
  const auto channel_to = [](const std::string& target) {
    return target.empty() ? nullptr : fed::OpenChannel(target);
  };
  dashboard::Backend backend(
      fed::OpenChannel(absl::GetFlag(FLAGS_registry_target)),
      // Review decisions are writes: the active
      // aggregator's (a standby writes nothing).
      fed::OpenChannel(absl::GetFlag(FLAGS_aggregator_target), {}, fed::kAggregatorIntakeHealth),
      channel_to(absl::GetFlag(FLAGS_competition_target)),
      channel_to(absl::GetFlag(FLAGS_ranking_target)),
      channel_to(absl::GetFlag(FLAGS_reporting_target)),
      channel_to(absl::GetFlag(FLAGS_emulation_target)));
  dashboard::ChangeFeed feed(&backend, 5000);
  feed.Start();

  dashboard::HttpOptions options;
  options.web_root = absl::GetFlag(FLAGS_web_root);
  options.secure_cookie = !transport.insecure || absl::GetFlag(FLAGS_secure_cookie);
  dashboard::SessionStore sessions(*limits);
  dashboard::HttpApi api(&backend, &feed, verifier->get(), &sessions, options);
  fed::BackgroundLoop sweeper("session_sweeper", [&api] {
    api.SweepSessions(absl::Now());
    return fed::BackgroundLoop::Next{absl::Minutes(1)};
  });
  sweeper.Start();

  const int threads = std::max(8, absl::GetFlag(FLAGS_http_threads));
  server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server->set_keep_alive_timeout(5);
  // httplib closes a kept-alive connection after 5 requests by default; a
  // viewer then pays a new TLS handshake every few requests.
  server->set_keep_alive_max_count(1000);
  // httplib writes a response's headers and body (and each live event) in
  // separate small writes: with Nagle's algorithm the second waited for the
  // browser's delayed ACK, 40 ms on every request (issue 17's one-viewer
  // p50 was 41.7 ms of it).
  server->set_tcp_nodelay(true);
  // The largest body is an emulation year's evidence file: up to 3 MiB
  // (emulation.proto's UploadFile), 4 MiB once base64 encoded in JSON. A
  // whole report (three narrative parts of up to 20,000 characters and fifty
  // recommendations) is far less; spreadsheets are read in the browser.
  server->set_payload_max_length(5 * 1024 * 1024);
  api.Register(*server);

  CountRequests(*server);
  auto metrics_exposer = fed::MaybeServeMetrics();  // --metrics_listen
  if (!metrics_exposer.ok()) {
    spdlog::critical("event=start_failed error={}",
                     fed::LogQuoted(metrics_exposer.status().message()));
    feed.Stop();
    return 1;
  }

  if (!server->bind_to_port(host.c_str(), port)) {
    spdlog::critical("event=start_failed error=\"cannot listen on {}\"", listen);
    feed.Stop();
    return 1;
  }
  std::thread serving([&] { server->listen_after_bind(); });
  spdlog::info("event=serving address={}://{} web_root={} transport=\"{}\"",
               transport.insecure ? "http" : "https", listen, options.web_root,
               transport.description);

  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  while (!g_stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));

  spdlog::info("event=stopping");
  sweeper.Stop();
  feed.Stop();  // ends every live-update stream
  server->stop();
  serving.join();
  return 0;
}
