// Transport benchmark: what TLS costs the suite, against plaintext measured
// in the same run on the same machine.
//
//   - trivial calls (grpc.health Check) from --clients threads over one
//     connection: throughput and p99 over mutual TLS and over plaintext, and
//     the ratio;
//   - a new connection (TCP connect + handshake, until the channel is READY,
//     then its first call): mutual TLS as between services, server-side TLS
//     as a provincial system without a certificate, and plaintext; the
//     difference is the handshake's cost.
//
//   tools/dev bench            (or build/tests/bench/transport_bench --help)
//
// Needs no database. Prints its figures; asserts nothing about time.
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <utility>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/common/server.h"
#include "services/common/transport.h"
#include "tests/bench/bench_util.h"
#include "tests/support/test_env.h"
#include "tests/support/test_tls.h"

ABSL_FLAG(int, clients, 16, "Concurrent trivial-call clients (one connection).");
ABSL_FLAG(int, seconds, 5, "Duration of each throughput measurement.");
ABSL_FLAG(int, connections, 300, "New connections opened for each handshake measurement.");

namespace {

using fedbench::Latencies;
namespace health = grpc::health::v1;

struct Server {
  Server(const fed::Transport& transport) {
    int port = 0;
    auto started = fed::StartGrpcServerWith(transport, "127.0.0.1:0", {}, &port);
    if (!started.ok()) {
      std::fprintf(stderr, "server: %s\n", std::string(started.status().message()).c_str());
      std::exit(1);
    }
    server = *std::move(started);
    address = absl::StrCat("127.0.0.1:", port);
  }
  ~Server() { server->Shutdown(std::chrono::system_clock::now()); }
  std::unique_ptr<grpc::Server> server;
  std::string address;
};

bool Check(health::Health::Stub& stub) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  health::HealthCheckResponse response;
  return stub.Check(&ctx, health::HealthCheckRequest(), &response).ok();
}

Latencies TrivialCalls(const fed::Transport& client, const std::string& address) {
  auto stub = health::Health::NewStub(fed::OpenChannelWith(client, address));
  // Connected and warm before the clock starts.
  fedbench::Measure(absl::GetFlag(FLAGS_clients), 1, [&](uint64_t) { return Check(*stub); });
  return fedbench::Measure(absl::GetFlag(FLAGS_clients), absl::GetFlag(FLAGS_seconds),
                           [&](uint64_t) { return Check(*stub); });
}

// Each sample: a channel of its own (a local subchannel pool, or gRPC would
// hand every channel to the same address the one connection it already
// has), connected, then called once.
Latencies NewConnections(const fed::Transport& client, const std::string& address) {
  Latencies result;
  const int n = absl::GetFlag(FLAGS_connections);
  const absl::Time start = absl::Now();
  for (int i = 0; i < n; ++i) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    const absl::Time before = absl::Now();
    auto channel = fed::OpenChannelWith(client, address, args);
    const bool connected =
        channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5));
    auto stub = health::Health::NewStub(channel);
    if (!connected || !Check(*stub)) result.errors++;
    result.ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - before));
  }
  result.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return result;
}

// What a service pays per call to know its caller by token: an Ed25519
// verification the first time it sees a token, a cache lookup afterwards
// (tokens.h). One thread, so the figures are per core.
void PrintTokenVerification() {
  constexpr int kTokens = 2000;
  const fed::TokenVerifier& verifier = fedtest::TestVerifier("aggregator");
  std::vector<std::string> tokens;
  for (int i = 0; i < kTokens; ++i) {
    tokens.push_back(fedtest::TestToken(federation::v1::ROLE_PROVINCE_REPORTER, "14",
                                        absl::StrCat("clerk-", i)));
  }
  auto time_each = [&](auto&& token_of) {
    const absl::Time start = absl::Now();
    int refused = 0;
    for (int i = 0; i < kTokens; ++i) refused += !verifier.Verify(token_of(i), absl::Now()).ok();
    return std::make_pair(absl::ToDoubleMicroseconds(absl::Now() - start) / kTokens, refused);
  };
  auto [fresh_us, fresh_refused] = time_each([&](int i) { return tokens[i]; });
  auto [cached_us, cached_refused] = time_each([&](int i) { return tokens[i]; });
  std::printf("\ntoken verification (%d distinct tokens, one thread)\n", kTokens);
  std::printf("  first sight (Ed25519 + JSON)       %8.1f us each  (%.0f/s)  refused %d\n",
              fresh_us, 1e6 / fresh_us, fresh_refused);
  std::printf("  again (cache hit)                  %8.1f us each  (%.0f/s)  refused %d\n",
              cached_us, 1e6 / cached_us, cached_refused);
}

}  // namespace

int main(int argc, char** argv) {
  fedbench::StartBenchmark(argc, argv);
  const fed::Transport tls_server = fedtest::TestTransport("registry");
  const fed::Transport tls_client = fedtest::TestTransport("aggregator");
  fed::Transport token_only_client = fedtest::TestTransport("operator");
  token_only_client.cert_pem.clear();
  token_only_client.key_pem.clear();
  const fed::Transport plaintext = fed::Transport::Plaintext();

  Server secure(tls_server);
  Server plain_server(plaintext);

  std::printf("federation transport benchmark: TLS (ECDSA P-256 certificates) against plaintext\n");
  std::printf("  machine: %u hardware threads\n", std::thread::hardware_concurrency());

  std::printf("\ntrivial calls (grpc.health Check, %d clients, one connection, %d s each)\n",
              absl::GetFlag(FLAGS_clients), absl::GetFlag(FLAGS_seconds));
  Latencies plain = TrivialCalls(plaintext, plain_server.address);
  Latencies mutual = TrivialCalls(tls_client, secure.address);
  const double plain_p99 = fedbench::Percentile(plain.ms, 0.99);
  const double mutual_p99 = fedbench::Percentile(mutual.ms, 0.99);
  fedbench::Print("plaintext", plain);
  fedbench::Print("mutual TLS", mutual);
  std::printf("  TLS / plaintext: throughput %.2fx, p99 %.2fx\n",
              mutual.CallsPerSecond() / plain.CallsPerSecond(), mutual_p99 / plain_p99);

  std::printf("\nnew connection (connect + handshake + first call, %d each, one at a time)\n",
              absl::GetFlag(FLAGS_connections));
  Latencies plain_connect = NewConnections(plaintext, plain_server.address);
  Latencies mutual_connect = NewConnections(tls_client, secure.address);
  Latencies server_tls_connect = NewConnections(token_only_client, secure.address);
  auto print_connect = [](const char* name, Latencies& l) {
    std::printf("  %-40s p50 %6.2f ms  p99 %6.2f ms  errors %d\n", name,
                fedbench::Percentile(l.ms, 0.50), fedbench::Percentile(l.ms, 0.99), l.errors);
  };
  print_connect("plaintext", plain_connect);
  print_connect("mutual TLS (service to service)", mutual_connect);
  print_connect("server-side TLS (client without cert)", server_tls_connect);
  const double plain_p50 = fedbench::Percentile(plain_connect.ms, 0.50);
  std::printf("  handshake cost (p50 over plaintext): mutual %.2f ms, server-side %.2f ms\n",
              fedbench::Percentile(mutual_connect.ms, 0.50) - plain_p50,
              fedbench::Percentile(server_tls_connect.ms, 0.50) - plain_p50);

  PrintTokenVerification();
  return 0;
}
