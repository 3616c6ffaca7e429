// Ranking benchmark: at --orgs organisations in --clusters clusters x
// --periods half-years (every year with a scheme and clusters), the time to
// load, to recompute every ranking after one report changes, latency and
// throughput of a ranking query and a comparison query against a trivial
// gRPC call (health Check) on the same server, and the time until an
// accepted report's effect is visible through the change feed.
//
//   build/tests/bench/ranking_bench [--orgs 10000 --clusters 100 --periods 20]
//
// Prints its figures; asserts nothing about time (machines are shared).
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <random>
#include <thread>

#include <google/protobuf/arena.h>
#include <grpcpp/grpcpp.h>
#include <pqxx/pqxx>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "federation/v1/aggregator.grpc.pb.h"
#include "federation/v1/ranking.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/aggregator/aggregator.h"
#include "services/aggregator/feed_tail.h"
#include "services/aggregator/grpc_service.h"
#include "services/aggregator/intake.h"
#include "services/aggregator/migrations.h"
#include "services/common/client.h"
#include "services/common/log.h"
#include "services/common/server.h"
#include "services/ranking/engine.h"
#include "services/ranking/grpc_service.h"
#include "services/ranking/migrations.h"
#include "services/ranking/ranking.h"
#include "services/ranking/storage.h"
#include "services/registry/grpc_service.h"
#include "services/registry/migrations.h"
#include "services/registry/registry.h"
#include "tests/bench/bench_registry.h"
#include "tests/bench/bench_util.h"
#include "tests/support/test_env.h"

ABSL_FLAG(int, orgs, 10000, "Organisations in clusters.");
ABSL_FLAG(int, clusters, 99, "Clusters per year (the registry numbers clusters 1-99).");
ABSL_FLAG(int, periods, 20, "Half-years, ending with 2025H2 (every year gets a scheme).");
ABSL_FLAG(int, clients, 64, "Concurrent query clients.");
ABSL_FLAG(int, connections, 4,
          "Connections the query clients share (client i uses connection i mod n).");
ABSL_FLAG(int, seconds, 5, "Duration of each query measurement.");
ABSL_FLAG(int, paced_rate, 5000, "Calls per second of the steady-load GetRanking measurement.");

namespace {

using fedbench::Latencies;
using fedbench::Measure;
using fedbench::Percentile;
using fedbench::Print;

namespace v1 = federation::v1;

std::string Org(int i) { return absl::StrFormat("P%05d", i); }

v1::ScoringScheme SchemeFor(int year) {
  v1::ScoringScheme s;
  s.set_year(year);
  s.set_version(1);
  s.set_name("bench");
  s.set_total_points(100);
  auto add = [&](const char* code, const char* indicator, double max, v1::Normalisation n) {
    auto* c = s.add_criteria();
    c->set_code(code);
    c->set_name(code);
    c->set_source(*indicator ? v1::CRITERION_SOURCE_INDICATOR : v1::CRITERION_SOURCE_TIMELINESS);
    c->set_indicator_code(indicator);
    c->set_max_points(max);
    c->set_normalisation(n);
    c->set_lower(0);
    c->set_upper(*indicator ? 20 : 1);
    return c;
  };
  add("consultancy", "consultancy_tasks", 25, v1::NORMALISATION_SHARE_OF_BEST);
  add("workshops", "workshops", 25, v1::NORMALISATION_LINEAR);
  add("honoured", "intellectuals_honoured", 30, v1::NORMALISATION_SHARE_OF_BEST);
  add("timeliness", "", 20, v1::NORMALISATION_LINEAR);
  auto* late = s.add_rules();
  late->set_code("late");
  late->set_name("late");
  late->set_kind(v1::SCORING_RULE_KIND_LATE_REPORT_PENALTY);
  late->set_points(5);
  return s;
}

void Seed(const std::string& url, int orgs, int clusters, int first_year, int last_year) {
  pqxx::connection conn(url);
  pqxx::work txn(conn);
  txn.exec(
      "INSERT INTO registry.organizations (code, kind, name, status, active_from, updated_by)"
      " VALUES ('VUSTA', 1, 'VUSTA', 1, '1983-03-26', 'bench')");
  txn.exec_params(
      "INSERT INTO registry.organizations (code, kind, name, parent_id, status, active_from, "
      "updated_by)"
      " SELECT 'P' || lpad(g::text, 5, '0'), 2, 'LHH ' || g, 1, 1, '2008-08-01', 'bench'"
      " FROM generate_series(0, $1 - 1) g",
      orgs);
  txn.exec_params(
      "INSERT INTO registry.clusters (year, number, name, updated_by) SELECT y, n, 'Cụm ' || n, "
      "'bench'"
      " FROM generate_series($1::int, $2::int) y, generate_series(1, $3) n",
      first_year, last_year, clusters);
  txn.exec_params(
      "INSERT INTO registry.cluster_members (cluster_id, year, organization_id)"
      " SELECT c.id, c.year, o.id FROM registry.organizations o JOIN registry.clusters c"
      " ON c.number = 1 + (substr(o.code, 2)::int % $1) WHERE o.kind = 2",
      clusters);
  // Accepted half-year reports: one in a hundred organisations late.
  txn.exec_params(
      "INSERT INTO aggregator.reports (organization_code, period, state, latest_revision,"
      " accepted_revision, first_submitted_at, due_date, timely, last_sequence)"
      " SELECT 'P' || lpad(g::text, 5, '0'), y || 'H' || h, 3, 1, 1, now(),"
      " CASE h WHEN 1 THEN make_date(y, 7, 15) ELSE make_date(y + 1, 1, 15) END, g % 100 <> 0, 1"
      " FROM generate_series(0, $1 - 1) g, generate_series($2::int, $3::int) y, generate_series(1, "
      "2) h",
      orgs, first_year, last_year);
  txn.exec(
      "INSERT INTO aggregator.report_values (organization_code, period, revision, indicator, value)"
      " SELECT r.organization_code, r.period, 1, i.code,"
      " (abs(hashtext(r.organization_code || r.period || i.code)) % 30)::float8"
      " FROM aggregator.reports r, (VALUES ('consultancy_tasks'), ('workshops'),"
      " ('intellectuals_honoured')) AS i(code)");
  txn.exec("SELECT setval('aggregator.changes_sequence_seq', 1)");
  txn.commit();
}

// The second baseline: GetRanking answered with one fixed ranking's bytes
// and nothing behind it (no authentication, no lookup), which is what gRPC
// itself costs for an answer of that size on this machine.
class FixedRankingService final : public ranking::RankingServiceBase {
 public:
  explicit FixedRankingService(grpc::ByteBuffer bytes) : bytes_(std::move(bytes)) {}
  grpc::ServerUnaryReactor* GetRanking(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer*,
                                       grpc::ByteBuffer* response) override {
    *response = bytes_;
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  grpc::ByteBuffer bytes_;
};

// One stub per connection to `address`, and the one the calling client
// thread uses (client threads are spread over them in turn).
template <typename Service>
class Connections {
 public:
  Connections(const std::string& address, int n) {
    for (int i = 0; i < n; ++i) {
      grpc::ChannelArguments args;
      args.SetInt("fed.bench_connection", i);  // distinct arguments: a connection of its own
      stubs_.push_back(Service::NewStub(fed::OpenChannel(address, args)));
    }
  }
  typename Service::Stub& Mine() {
    thread_local const int index = next_++;
    return *stubs_[index % stubs_.size()];
  }

 private:
  std::vector<std::unique_ptr<typename Service::Stub>> stubs_;
  std::atomic<int> next_{0};
};

// The token a dashboard holds for its session (minted once, sent with every call).
const std::string& ViewerBearer() {
  static const std::string bearer = fedtest::BearerFor(v1::ROLE_VIEWER, "VUSTA");
  return bearer;
}

// Calls GetRanking, parsing the ~30 KB answer (100 members with their
// breakdown) into an arena, as a client that cares does, so that its
// allocations do not swamp the two cores the server shares.
bool CallGetRanking(v1::RankingService::Stub& stub, const v1::GetRankingRequest& req) {
  thread_local std::vector<char> block(1 << 20);
  google::protobuf::ArenaOptions options;
  options.initial_block = block.data();
  options.initial_block_size = block.size();
  google::protobuf::Arena arena(options);
  auto* out = google::protobuf::Arena::CreateMessage<v1::GetRankingResponse>(&arena);
  auto ctx = fedtest::ContextWith(ViewerBearer());
  return stub.GetRanking(ctx.get(), req, out).ok() && out->rankings_size() == 1 &&
         out->rankings(0).entries_size() > 0;
}

}  // namespace

int main(int argc, char** argv) {
  fedbench::StartBenchmark(argc, argv);
  const int orgs = absl::GetFlag(FLAGS_orgs);
  const int clusters = absl::GetFlag(FLAGS_clusters);
  const int last_year = 2025;
  const int first_year = last_year - (absl::GetFlag(FLAGS_periods) + 1) / 2 + 1;

  fedtest::TestDatabase db("rankbench");
  if (!fed::ApplyMigrations(db.url(), "registry", registry::Migrations()).ok() ||
      !fed::ApplyMigrations(db.url(), "aggregator", aggregator::Migrations()).ok() ||
      !fed::ApplyMigrations(db.url(), "ranking", ranking::Migrations()).ok()) {
    std::fprintf(stderr, "migrations failed\n");
    return 1;
  }
  std::printf(
      "federation ranking benchmark: %d organisations in %d clusters x %d half-years (%d-%d)\n",
      orgs, clusters, 2 * (last_year - first_year + 1), first_year, last_year);
  std::printf("  machine: %u hardware threads\n", std::thread::hardware_concurrency());
  absl::Time t0 = absl::Now();
  Seed(db.url(), orgs, clusters, first_year, last_year);
  fed::DbPool rank_db(db.url(), "ranking", 4);
  (void)rank_db.InTransaction([&](pqxx::work& txn) -> absl::Status {
    for (int y = first_year; y <= last_year; ++y) ranking::storage::InsertScheme(txn, SchemeFor(y));
    return absl::OkStatus();
  });
  std::printf("  seeded (SQL) in %.1f s\n", absl::ToDoubleSeconds(absl::Now() - t0));

  fed::WorkerPool agg_workers(8), rank_workers(8);
  fedbench::InProcessRegistry registry_server(db.url());
  fed::DbPool agg_db(db.url(), "aggregator", 8);
  aggregator::Directory directory(registry_server.channel(), absl::Minutes(10));
  aggregator::Figures figures;
  aggregator::Aggregator agg_logic(agg_db, figures, directory);
  if (!agg_logic.LoadFigures().ok()) return 1;
  aggregator::Intake intake(agg_db, figures, directory, 200);
  aggregator::FeedTail feed_tail(agg_db, figures, aggregator::FeedTail::Options{});
  if (!feed_tail.Start().ok()) return 1;
  aggregator::AggregatorGrpcService agg_service(
      &agg_logic, &intake, &feed_tail, {&fedtest::TestVerifier("aggregator"), &agg_workers});
  fedtest::LoopbackServer agg_server({&agg_service});

  ranking::Sources sources(registry_server.channel(), agg_server.channel());
  const double heap_before_load = fedbench::HeapInUseMiB();
  ranking::Engine engine(sources, rank_db);
  t0 = absl::Now();
  if (absl::Status s = engine.Load(); !s.ok()) {
    std::fprintf(stderr, "load: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  std::printf(
      "\nstart-up: clusters, values and timeliness fetched, %zu rankings computed in %.1f s\n",
      engine.ranking_count(), absl::ToDoubleSeconds(absl::Now() - t0));
  std::printf("  the ranking store's memory: %.0f MiB\n",
              fedbench::HeapInUseMiB() - heap_before_load);
  engine.Start();
  ranking::Ranking logic(rank_db, engine);
  ranking::RankingGrpcService service(&logic, {&fedtest::TestVerifier("ranking"), &rank_workers});
  fedtest::LoopbackServer server({&service});
  auto stub = v1::RankingService::NewStub(server.channel());
  const int connections = absl::GetFlag(FLAGS_connections);
  Connections<v1::RankingService> rankings(server.address(), connections);
  Connections<grpc::health::v1::Health> healths(server.address(), connections);

  // --- recompute after one report changed -----------------------------------
  t0 = absl::Now();
  const int recomputed = engine.RecomputeAll();
  std::printf(
      "recompute everything kept from memory: %d rankings (and their comparison figures) in %.1f "
      "ms\n",
      recomputed, absl::ToDoubleMilliseconds(absl::Now() - t0));

  // --- freshness: resubmitted reports accepted at the aggregator --------------
  {
    auto agg = v1::AggregatorService::NewStub(agg_server.channel());
    const std::string org = Org(7);
    const std::string period = absl::StrCat(last_year, "H1");
    v1::GetRankingRequest req;
    req.set_period(period);
    req.set_cluster_number(1 + 7 % clusters);
    // Its entry in its cluster's ranking, as a viewer sees it.
    auto entry_of_org = [&]() -> std::string {
      v1::GetRankingResponse out;
      auto rctx = fedtest::ContextAs(v1::ROLE_VIEWER, "VUSTA");
      if (!stub->GetRanking(rctx.get(), req, &out).ok() || out.rankings_size() != 1) return "";
      for (const auto& e : out.rankings(0).entries()) {
        if (e.organization_code() == org) return e.SerializeAsString();
      }
      return "";
    };
    constexpr int kSamples = 21;
    std::vector<double> visible_ms, accept_ms;
    for (int revision = 2; revision < 2 + kSamples; ++revision) {
      v1::Report report;
      report.set_organization_code(org);
      report.set_period(period);
      report.set_revision(revision);
      report.set_submitted_by("bench");
      for (const char* code : {"consultancy_tasks", "workshops", "intellectuals_honoured"}) {
        auto* v = report.add_values();
        v->set_code(code);
        v->set_count(500 + 50 * revision);  // a different standing each time
      }
      auto ctx = fedtest::ContextAs(v1::ROLE_SERVICE, "VUSTA");
      auto stream = agg->PushReports(ctx.get());
      v1::PushedReport pushed;
      *pushed.mutable_report() = report;
      stream->Write(pushed);
      stream->WritesDone();
      v1::PushAck ack;
      while (stream->Read(&ack)) {
      }
      (void)stream->Finish();
      const std::string before = entry_of_org();
      v1::ReviewRequest review;
      review.set_organization_code(org);
      review.set_period(period);
      review.set_revision(revision);
      v1::Report accepted;
      const absl::Time accept_start = absl::Now();
      grpc::Status s = agg->AcceptReport(
          fedtest::ContextAs(v1::ROLE_NATIONAL_REVIEWER, "VUSTA").get(), review, &accepted);
      const absl::Time accepted_at = absl::Now();
      if (!s.ok()) {
        std::fprintf(stderr, "accept: %s (ack %d)\n", s.error_message().c_str(), ack.outcome());
        continue;
      }
      accept_ms.push_back(absl::ToDoubleMilliseconds(accepted_at - accept_start));
      while (absl::Now() - accepted_at < absl::Seconds(30)) {
        if (entry_of_org() != before) {
          visible_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - accepted_at));
          break;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(500));
      }
    }
    const ranking::Engine::Refresh refresh = engine.last_refresh();
    std::printf(
        "one accepted report: %d of %zu kept rankings recomputed in %.1f ms (values carried by "
        "the change stream, then recomputed)\n",
        refresh.recomputed, engine.ranking_count(), absl::ToDoubleMilliseconds(refresh.took));
    std::printf(
        "accepted report -> its cluster's ranking (%zu of %d reports, one at a time): median %.1f "
        "ms  p90 %.1f ms  max %.1f ms\n",
        visible_ms.size(), kSamples, Percentile(visible_ms, 0.5), Percentile(visible_ms, 0.9),
        visible_ms.empty() ? 0.0 : *std::max_element(visible_ms.begin(), visible_ms.end()));
    std::printf("  baseline (the AcceptReport call itself): median %.1f ms  max %.1f ms\n",
                Percentile(accept_ms, 0.5),
                accept_ms.empty() ? 0.0 : *std::max_element(accept_ms.begin(), accept_ms.end()));
  }

  // --- idle: what following the feed costs PostgreSQL when nothing happens ---
  {
    const double idle = fedbench::IdleScansPerSecond(db.url(), absl::Seconds(10));
    std::printf(
        "PostgreSQL table scans per second at idle (registry, aggregator and ranking following "
        "the change stream, 10 s): %.2f\n",
        idle);
  }

  // --- queries -----------------------------------------------------------
  const int clients = absl::GetFlag(FLAGS_clients);
  const int seconds = absl::GetFlag(FLAGS_seconds);
  std::printf("\nqueries (%d concurrent clients over %d connections, %d s each)\n", clients,
              connections, seconds);
  Latencies trivial = Measure(clients, seconds, [&](uint64_t) {
    grpc::ClientContext ctx;
    grpc::health::v1::HealthCheckRequest req;
    grpc::health::v1::HealthCheckResponse resp;
    return healths.Mine().Check(&ctx, req, &resp).ok();
  });
  const double trivial_qps = trivial.ms.size() / trivial.seconds;
  Print("trivial call (grpc.health Check)", trivial, 0);
  const int years = last_year - first_year + 1;
  Latencies rank = Measure(clients, seconds, [&](uint64_t r) {
    v1::GetRankingRequest req;
    const int year = first_year + static_cast<int>(r % years);
    req.set_period(r / years % 3 == 2 ? absl::StrCat(year)
                                      : absl::StrCat(year, "H", 1 + r / years % 3));
    req.set_cluster_number(1 + static_cast<int>(r / 7 % clusters));
    return CallGetRanking(rankings.Mine(), req);
  });
  Print("GetRanking (one cluster of 100)", rank, trivial_qps);
  Latencies totals = Measure(clients, seconds, [&](uint64_t r) {
    v1::GetRankingRequest req;
    const int year = first_year + static_cast<int>(r % years);
    req.set_period(absl::StrCat(year, "H", 1 + r / years % 2));
    req.set_cluster_number(1 + static_cast<int>(r / 7 % clusters));
    req.set_totals_only(true);
    return CallGetRanking(rankings.Mine(), req);
  });
  Print("GetRanking, totals_only", totals, trivial_qps);
  {
    // Latency at a steady load rather than at saturation.
    const int rate = absl::GetFlag(FLAGS_paced_rate);
    Latencies paced = fedbench::Paced(16, rate / 16.0, seconds, [&](int t, int i) {
      v1::GetRankingRequest req;
      req.set_period(absl::StrCat(first_year + (t + i) % years, "H", 1 + i % 2));
      req.set_cluster_number(1 + (t * 31 + i) % clusters);
      return CallGetRanking(rankings.Mine(), req);
    });
    Print(absl::StrFormat("GetRanking paced at %d calls/s", rate).c_str(), paced, 0);
  }
  {
    // The same answer with nothing behind it, on a server of its own.
    auto year = engine.Clusters(last_year);
    auto period = fed::Period::Parse(absl::StrCat(last_year, "H1"));
    auto one = engine.Ranking((*year)->list.front(), *period, engine.Scheme(last_year, 0), false);
    const std::string& bytes = (*one)->Encoded(false);
    grpc::Slice slice(bytes.data(), bytes.size());
    FixedRankingService fixed(grpc::ByteBuffer(&slice, 1));
    fedtest::LoopbackServer fixed_server({&fixed});
    Connections<v1::RankingService> fixed_stubs(fixed_server.address(), connections);
    Latencies bare = Measure(clients, seconds, [&](uint64_t) {
      return CallGetRanking(fixed_stubs.Mine(), v1::GetRankingRequest());
    });
    Print(absl::StrFormat("same %zu-byte answer, nothing behind it", bytes.size()).c_str(), bare,
          trivial_qps);
    std::printf(
        "  one ranking of %d members: %zu bytes with the breakdown (%zu a member), %zu with totals "
        "only\n",
        (*one)->proto().entries_size(), bytes.size(),
        bytes.size() / std::max(1, (*one)->proto().entries_size()), (*one)->Encoded(true).size());
    std::printf("  GetRanking is %.0f%% of the bare answer's rate\n",
                100.0 * rank.CallsPerSecond() / bare.CallsPerSecond());
  }
  Latencies compare = Measure(clients, seconds, [&](uint64_t r) {
    v1::CompareProvinceRequest req;
    req.set_organization_code(Org(static_cast<int>(r % orgs)));
    req.set_period(absl::StrCat(first_year + static_cast<int>(r / 11 % years), "H", 1 + r / 3 % 2));
    v1::CompareProvinceResponse out;
    auto ctx = fedtest::ContextWith(ViewerBearer());
    return rankings.Mine().CompareProvince(ctx.get(), req, &out).ok() && out.scored();
  });
  Print("CompareProvince (scheme indicators)", compare, trivial_qps);
  engine.Stop();
  return 0;
}
