// dashboard_server: the national office dashboard over HTTP — the built page,
// a login that turns an access token into a session cookie, a JSON API made of
// the registry's, aggregator's, competition and ranking services' gRPC
// responses, and live updates as server-sent events fed by the aggregator's
// change feed.
// Holds no data.
#include <atomic>
#include <csignal>
#include <thread>

#include <httplib.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "services/common/client.h"
#include "services/common/identity.h"
#include "services/common/log.h"
#include "services/common/server.h"
#include "services/common/topology.h"
#include "services/common/transport.h"
#include "services/dashboard/backend.h"
#include "services/dashboard/change_feed.h"
#include "services/dashboard/http_api.h"

ABSL_FLAG(std::string, registry_target, fed::DefaultAddress("registry"),
          "Address of the registry service.");
ABSL_FLAG(std::string, aggregator_target, fed::DefaultAddress("aggregator"),
          "Address of the aggregator service.");
ABSL_FLAG(std::string, competition_target, fed::DefaultAddress("competition"),
          "Address of the competition service (contest statistics); empty: none.");
ABSL_FLAG(std::string, ranking_target, fed::DefaultAddress("ranking"),
          "Address of the ranking service (emulation-cluster rankings); empty: none.");
ABSL_FLAG(std::string, web_root, "services/dashboard/web/dist",
          "Directory of the built page (index.html and assets/).");
ABSL_FLAG(bool, secure_cookie, false,
          "Mark the session cookie Secure (when served over HTTPS by a proxy).");
ABSL_FLAG(int, http_threads, 256, "HTTP worker threads; each open live-update stream holds one.");

namespace {
std::atomic<bool> g_stop{false};
void OnStopSignal(int) { g_stop.store(true); }
}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  fed::InitLogging("dashboard");

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
    spdlog::critical("event=start_failed error=\"{}\"", verifier.status().message());
    return 1;
  }
  // Its gRPC calls to the other services: TLS with its own certificate
  // (dashboard.crt) unless --insecure. Its own HTTP port is not TLS yet.
  if (absl::Status transport = fed::ConfigureTransportFromFlags("dashboard"); !transport.ok()) {
    spdlog::critical("event=start_failed error=\"{}\"", transport.message());
    return 1;
  }

  dashboard::Backend backend(fed::OpenChannel(absl::GetFlag(FLAGS_registry_target)),
                             fed::OpenChannel(absl::GetFlag(FLAGS_aggregator_target)),
                             absl::GetFlag(FLAGS_competition_target).empty()
                                 ? nullptr
                                 : fed::OpenChannel(absl::GetFlag(FLAGS_competition_target)),
                             absl::GetFlag(FLAGS_ranking_target).empty()
                                 ? nullptr
                                 : fed::OpenChannel(absl::GetFlag(FLAGS_ranking_target)));
  dashboard::ChangeFeed feed(&backend, 5000);
  feed.Start();

  dashboard::HttpOptions options;
  options.web_root = absl::GetFlag(FLAGS_web_root);
  options.secure_cookie = absl::GetFlag(FLAGS_secure_cookie);
  dashboard::HttpApi api(&backend, &feed, verifier->get(), options);

  httplib::Server server;
  const int threads = std::max(8, absl::GetFlag(FLAGS_http_threads));
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_keep_alive_timeout(5);
  server.set_payload_max_length(64 * 1024);
  api.Register(server);

  if (!server.bind_to_port(host.c_str(), port)) {
    spdlog::critical("event=start_failed error=\"cannot listen on {}\"", listen);
    feed.Stop();
    return 1;
  }
  std::thread serving([&] { server.listen_after_bind(); });
  spdlog::info("event=serving address={} web_root={}", listen, options.web_root);

  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  while (!g_stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));

  spdlog::info("event=stopping");
  feed.Stop();  // ends every live-update stream
  server.stop();
  serving.join();
  return 0;
}
