// Competition benchmark: a national round of --entries entries and --judges
// judges. Prints the time of automatic judge assignment and of the final
// ranking (closing judging), both through the real service on PostgreSQL and
// as pure computation, and the latency/throughput of score sheets sent at
// --rate sheets per second by each of --clients concurrent judges, against a
// trivial gRPC call (grpc.health Check) at the same pace on the same server.
//
//   build/tests/bench/competition_bench [--entries 5000 --judges 200 ...]
//
// Prints its figures; asserts nothing about time (machines are shared).
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <pqxx/pqxx>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "federation/v1/competition.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/common/db.h"
#include "services/common/log.h"
#include "services/common/server.h"
#include "services/competition/competition.h"
#include "services/competition/grpc_service.h"
#include "services/competition/migrations.h"
#include "services/competition/scoring.h"
#include "services/registry/grpc_service.h"
#include "services/registry/migrations.h"
#include "services/registry/registry.h"
#include "tests/bench/bench_registry.h"
#include "tests/bench/bench_util.h"
#include "tests/support/test_env.h"

ABSL_FLAG(int, entries, 5000, "Entries of the national round.");
ABSL_FLAG(int, judges, 200, "Judges of the national round.");
ABSL_FLAG(int, min_judges, 3, "Judges per entry.");
ABSL_FLAG(int, clients, 50, "Concurrent judges scoring.");
ABSL_FLAG(double, rate, 10, "Sheets per second per judge.");
ABSL_FLAG(int, seconds, 10, "Duration of each paced measurement.");

namespace {

using fedbench::Latencies;
using fedbench::Paced;
using fedbench::PacedWarm;
using fedbench::Percentile;
using fedbench::Print;

namespace v1 = federation::v1;
using Stub = v1::CompetitionService::Stub;

const char* kFields[] = {"Nông nghiệp", "Công nghiệp", "Y tế", "Môi trường", "Công nghệ thông tin"};

std::unique_ptr<grpc::ClientContext> As(v1::Role role, const std::string& org,
                                        const std::string& subject) {
  return fed::OutgoingContext(fedtest::TestToken(role, org, subject), absl::Minutes(10));
}

std::string Province(int i) { return absl::StrFormat("%02d", 10 + i % 63); }

// The seeded registry's tree as the service's directory reads it: provincial
// unions under the national union.
competition::Lineage BenchLineage(const std::string& code) {
  return {{code}, code == "VUSTA" ? "" : code};
}

void SeedRegistry(const std::string& url) {
  pqxx::connection conn(url);
  pqxx::work txn(conn);
  txn.exec(
      "INSERT INTO registry.organizations (code, kind, name, status, active_from, updated_by)"
      " VALUES ('VUSTA', 1, 'Liên hiệp các Hội KH&KT Việt Nam', 1, '1983-03-26', 'bench')");
  txn.exec(
      "INSERT INTO registry.organizations (code, kind, name, parent_id, status, active_from,"
      " updated_by) SELECT lpad(g::text, 2, '0'), 2, 'LHH ' || g, 1, 1, '2008-08-01', 'bench'"
      " FROM generate_series(10, 72) g");
  txn.commit();
}

}  // namespace

// What a durable commit alone costs at the judges' pace: each client inserts
// one row and commits it on a connection of its own, with no gRPC and no
// service around it. A sheet's tail cannot be shorter than this one's.
Latencies DurableCommits(const std::string& url, int clients, double rate, int seconds) {
  {
    pqxx::connection conn(url);
    pqxx::work txn(conn);
    txn.exec(
        "CREATE TABLE bench_commits (id bigserial PRIMARY KEY, client int NOT NULL,"
        " at timestamptz NOT NULL DEFAULT now())");
    txn.commit();
  }
  std::vector<std::unique_ptr<pqxx::connection>> conns;
  for (int t = 0; t < clients; ++t) conns.push_back(std::make_unique<pqxx::connection>(url));
  return PacedWarm(clients, rate, seconds, [&](int t, int) {
    pqxx::work txn(*conns[t]);
    txn.exec_params("INSERT INTO bench_commits (client) VALUES ($1)", t);
    txn.commit();
    return true;
  });
}

int main(int argc, char** argv) {
  fedbench::StartBenchmark(argc, argv);
  const int n_entries = absl::GetFlag(FLAGS_entries);
  const int n_judges = absl::GetFlag(FLAGS_judges);
  const int min_judges = absl::GetFlag(FLAGS_min_judges);

  fedtest::TestDatabase db("bench");
  if (!fed::ApplyMigrations(db.url(), "registry", registry::Migrations()).ok() ||
      !fed::ApplyMigrations(db.url(), "competition", competition::Migrations()).ok()) {
    std::fprintf(stderr, "migrations failed\n");
    return 1;
  }
  SeedRegistry(db.url());

  fedbench::InProcessRegistry registry_server(db.url());

  fed::WorkerPool workers(8);
  fed::DbPool comp_db(db.url(), "competition", 8);
  competition::Directory directory(registry_server.channel(), absl::Minutes(30));
  competition::Competition logic(comp_db, directory);
  competition::CompetitionGrpcService service(&logic,
                                              {&fedtest::TestVerifier("competition"), &workers});
  fedtest::LoopbackServer server({&service});
  auto stub = v1::CompetitionService::NewStub(server.channel());
  auto health = grpc::health::v1::Health::NewStub(server.channel());

  std::printf("federation competition benchmark: %d entries, %d judges, %d judges per entry\n",
              n_entries, n_judges, min_judges);
  std::printf("  machine: %u hardware threads; PostgreSQL via FED_TEST_PG_URL\n",
              std::thread::hardware_concurrency());

  // --- the national round: contest, entries, judges ----------------------------
  v1::CreateContestRequest create;
  v1::Contest& c = *create.mutable_contest();
  c.set_kind(v1::CONTEST_KIND_NATIONAL);
  c.set_level(v1::CONTEST_LEVEL_NATIONAL);
  c.set_organizer_code("VUSTA");
  c.set_edition(20);
  c.set_year(2025);
  c.set_title("Hội thi Sáng tạo Kỹ thuật Toàn quốc (benchmark)");
  for (const char* f : kFields) c.add_fields(f);
  c.set_registration_opens("2025-01-01");
  c.set_registration_closes("2025-12-31");
  c.set_judging_opens("2025-12-31");
  c.set_judging_closes("2025-12-31");
  c.mutable_prizes()->set_first(5);
  c.mutable_prizes()->set_second(10);
  c.mutable_prizes()->set_third(20);
  c.mutable_prizes()->set_consolation(50);
  const std::pair<const char*, double> criteria[] = {
      {"novelty", 30}, {"applicability", 40}, {"effectiveness", 30}};
  for (const auto& [code, max] : criteria) {
    auto* k = c.add_criteria();
    k->set_code(code);
    k->set_name(code);
    k->set_weight(1);
    k->set_max_points(max);
  }
  c.set_min_judges_per_entry(min_judges);
  v1::Contest contest;
  grpc::Status st =
      stub->CreateContest(As(v1::ROLE_NATIONAL_ADMIN, "VUSTA", "admin").get(), create, &contest);
  v1::TransitionContestRequest move;
  move.set_id(contest.id());
  move.set_to(v1::CONTEST_STATE_OPEN);
  v1::Contest moved;
  if (!st.ok() ||
      !stub->TransitionContest(As(v1::ROLE_NATIONAL_ADMIN, "VUSTA", "admin").get(), move, &moved)
           .ok()) {
    std::fprintf(stderr, "setup failed: %s\n", st.error_message().c_str());
    return 1;
  }

  absl::Time t0 = absl::Now();
  std::atomic<int> next{0}, failed{0};
  std::vector<std::thread> submitters;
  for (int t = 0; t < 8; ++t) {
    submitters.emplace_back([&] {
      for (int i = next++; i < n_entries; i = next++) {
        v1::SubmitEntryRequest req;
        v1::Entry& e = *req.mutable_entry();
        e.set_contest_id(contest.id());
        e.set_title(absl::StrCat("Giải pháp ", i));
        e.set_source_organization_code(Province(i));
        e.set_field(kFields[i % 5]);
        auto* a = e.add_authors();
        a->set_name(absl::StrCat("Tác giả ", i));
        e.mutable_submitted_at()->set_seconds(1750000000);
        v1::Entry out;
        if (!stub->SubmitEntry(As(v1::ROLE_NATIONAL_ADMIN, "VUSTA", "admin").get(), req, &out).ok())
          failed++;
      }
    });
  }
  for (auto& t : submitters) t.join();
  const double submit_s = absl::ToDoubleSeconds(absl::Now() - t0);
  std::vector<std::pair<std::string, std::string>> judge_ids;  // subject, org
  for (int j = 0; j < n_judges; ++j) {
    v1::AddJudgeRequest req;
    v1::Judge& judge = *req.mutable_judge();
    judge.set_contest_id(contest.id());
    judge.set_subject(absl::StrCat("judge-", j));
    judge.set_name(absl::StrCat("Giám khảo ", j));
    judge.set_organization_code(j % 4 == 0 ? "VUSTA" : Province(j * 7));
    judge.add_fields(kFields[j % 5]);
    if (j % 3 == 0) judge.add_fields(kFields[(j + 1) % 5]);
    v1::Judge out;
    if (!stub->AddJudge(As(v1::ROLE_NATIONAL_ADMIN, "VUSTA", "admin").get(), req, &out).ok())
      failed++;
    judge_ids.emplace_back(judge.subject(), judge.organization_code());
  }
  std::printf(
      "\nsetup: %d entries submitted in %.1f s (%.0f/s, 8 clients), %d judges; %d failures\n",
      n_entries, submit_s, n_entries / submit_s, n_judges, failed.load());

  // --- assignment ---------------------------------------------------------------
  std::vector<competition::JudgeSlot> slots;
  for (int j = 0; j < n_judges; ++j) {
    competition::JudgeSlot s{judge_ids[j].first,
                             judge_ids[j].second,
                             {kFields[j % 5]},
                             0,
                             BenchLineage(judge_ids[j].second)};
    if (j % 3 == 0) s.fields.push_back(kFields[(j + 1) % 5]);
    slots.push_back(s);
  }
  std::vector<competition::EntrySlot> entry_slots;
  for (int i = 0; i < n_entries; ++i)
    entry_slots.push_back({i + 1, kFields[i % 5], Province(i), {}, BenchLineage(Province(i))});
  t0 = absl::Now();
  auto plan = competition::PlanAssignment(entry_slots, slots, min_judges);
  const double plan_ms = absl::ToDoubleMilliseconds(absl::Now() - t0);

  v1::AutoAssignRequest assign;
  assign.set_contest_id(contest.id());
  v1::AutoAssignResponse assigned;
  t0 = absl::Now();
  st = stub->AutoAssign(As(v1::ROLE_NATIONAL_ADMIN, "VUSTA", "admin").get(), assign, &assigned);
  const double assign_ms = absl::ToDoubleMilliseconds(absl::Now() - t0);
  int lo = 1 << 30, hi = 0;
  for (const auto& j : assigned.judges())
    lo = std::min(lo, j.assigned()), hi = std::max(hi, j.assigned());
  std::printf("\nassignment (%d x %d judges per entry, conflicts of interest excluded)\n",
              n_entries, min_judges);
  std::printf(
      "  AutoAssign RPC (read, plan, write)   %8.1f ms  %s; %d assignments; load per judge "
      "%d..%d\n",
      assign_ms, st.ok() ? "ok" : st.error_message().c_str(), assigned.added(), lo, hi);
  std::printf("  of which the plan alone (in memory)  %8.1f ms  (%zu assignments)\n", plan_ms,
              plan.added.size());

  move.set_to(v1::CONTEST_STATE_JUDGING);
  (void)stub->TransitionContest(As(v1::ROLE_NATIONAL_ADMIN, "VUSTA", "admin").get(), move, &moved);

  // Who judges what (read once, as each judge's client would).
  std::vector<std::vector<int64_t>> work(n_judges);
  {
    pqxx::connection conn(db.url());
    pqxx::work txn(conn);
    std::map<std::string, int> index;
    for (int j = 0; j < n_judges; ++j) index[judge_ids[j].first] = j;
    for (const auto& r : txn.exec(
             "SELECT judge_subject, entry_id FROM competition.assignments ORDER BY entry_id")) {
      work[index[r[0].as<std::string>()]].push_back(r[1].as<int64_t>());
    }
  }

  // --- scoring against a trivial call --------------------------------------------
  const int clients = std::min(absl::GetFlag(FLAGS_clients), n_judges);
  const double rate = absl::GetFlag(FLAGS_rate);
  const int seconds = absl::GetFlag(FLAGS_seconds);
  std::printf(
      "\nscoring (%d judges each sending %.0f sheets/s for %d s, one channel; offered %.0f/s;\n"
      " each line after 1 s at the same pace, not counted)\n",
      clients, rate, seconds, clients * rate);
  Latencies trivial = PacedWarm(clients, rate, seconds, [&](int, int) {
    grpc::ClientContext ctx;
    grpc::health::v1::HealthCheckRequest req;
    grpc::health::v1::HealthCheckResponse resp;
    return health->Check(&ctx, req, &resp).ok();
  });
  Print("trivial call (grpc.health Check)", trivial);
  Latencies commits = DurableCommits(db.url(), clients, rate, seconds);
  Print("durable commit alone (INSERT, COMMIT)", commits);
  std::vector<size_t> done(n_judges, 0);
  // Each judge signs in once and its client sends that token with every
  // sheet, as a judge's screen does for the token's hour: a token signed per
  // call had the client signing and the service verifying a new signature
  // every time (libcrypto was a tenth of the machine).
  std::vector<std::string> judge_tokens;
  for (const auto& [subject, org] : judge_ids) {
    judge_tokens.push_back(fedtest::TestToken(v1::ROLE_JUDGE, org, subject));
  }
  Latencies scoring = PacedWarm(clients, rate, seconds, [&](int t, int i) {
    // Judge t scores its assignments in turn, revising from the start when done.
    if (work[t].empty()) return true;
    const int64_t entry = work[t][done[t]++ % work[t].size()];
    v1::SubmitScoreSheetRequest req;
    req.mutable_sheet()->set_entry_id(entry);
    const int64_t q = (entry * 37 + t * 11 + i) % 20;
    const double pts[] = {10.0 + q, 20.0 + q, 10.0 + (q * 3) % 20};
    for (int k = 0; k < 3; ++k) {
      auto* s = req.mutable_sheet()->add_scores();
      s->set_criterion_code(criteria[k].first);
      s->set_points(pts[k]);
    }
    v1::ScoreSheet out;
    return stub
        ->SubmitScoreSheet(fed::OutgoingContext(judge_tokens[t], absl::Minutes(10)).get(), req,
                           &out)
        .ok();
  });
  Print("SubmitScoreSheet (validated, audited)", scoring);
  if (!trivial.ms.empty()) {
    std::printf("  p50 of a sheet is %.1fx the trivial call's\n",
                Percentile(scoring.ms, 0.5) / Percentile(trivial.ms, 0.5));
  }
  if (!commits.ms.empty()) {
    std::printf("  p99 of a sheet is %.1fx a durable commit's alone\n",
                Percentile(scoring.ms, 0.99) / Percentile(commits.ms, 0.99));
  }

  // Every remaining sheet, straight into the table (setup, not measured).
  {
    pqxx::connection conn(db.url());
    pqxx::work txn(conn);
    txn.exec_params(
        "INSERT INTO competition.score_sheets (entry_id, judge_subject, contest_id, scores, "
        "total_hundredths)"
        " SELECT a.entry_id, a.judge_subject, a.contest_id, '{}'::jsonb,"
        "  (4000 + (a.entry_id * 7919 + length(a.judge_subject) * 31) % 5000)"
        " FROM competition.assignments a WHERE a.contest_id = $1 ON CONFLICT DO NOTHING",
        contest.id());
    txn.commit();
  }

  // --- final ranking ----------------------------------------------------------------
  std::vector<std::pair<int64_t, competition::FinalScore>> scores;
  for (int i = 0; i < n_entries; ++i) {
    scores.emplace_back(i + 1, competition::ComputeFinal(
                                   {4000 + (i * 7919) % 5000, 4500 + i % 300, 6000 - i % 700}));
  }
  t0 = absl::Now();
  auto ranked = competition::Rank(scores);
  competition::AssignPrizes(ranked, c.prizes());
  const double rank_mem_ms = absl::ToDoubleMilliseconds(absl::Now() - t0);
  move.set_to(v1::CONTEST_STATE_CLOSED);
  t0 = absl::Now();
  st = stub->TransitionContest(As(v1::ROLE_NATIONAL_ADMIN, "VUSTA", "admin").get(), move, &moved);
  const double close_ms = absl::ToDoubleMilliseconds(absl::Now() - t0);
  move.set_to(v1::CONTEST_STATE_AWARDED);
  t0 = absl::Now();
  grpc::Status st2 =
      stub->TransitionContest(As(v1::ROLE_NATIONAL_ADMIN, "VUSTA", "admin").get(), move, &moved);
  const double award_ms = absl::ToDoubleMilliseconds(absl::Now() - t0);
  v1::GetResultsRequest rreq;
  rreq.set_contest_id(contest.id());
  v1::GetResultsResponse results;
  t0 = absl::Now();
  grpc::Status st3 = stub->GetResults(As(v1::ROLE_VIEWER, "VUSTA", "viewer").get(), rreq, &results);
  const double results_ms = absl::ToDoubleMilliseconds(absl::Now() - t0);
  std::printf("\nfinal ranking (%d entries, %d sheets each)\n", n_entries, min_judges);
  std::printf("  close judging: final scores + ranks  %8.1f ms  %s\n", close_ms,
              st.ok() ? "ok" : st.error_message().c_str());
  std::printf("  award: prizes by structure           %8.1f ms  %s\n", award_ms,
              st2.ok() ? "ok" : st2.error_message().c_str());
  std::printf("  GetResults (all entries, ties)       %8.1f ms  %s; %d results, %d tie notes\n",
              results_ms, st3.ok() ? "ok" : st3.error_message().c_str(), results.results_size(),
              results.tie_notes_size());
  std::printf("  rank + prizes alone (in memory)      %8.1f ms\n", rank_mem_ms);
  return 0;
}
