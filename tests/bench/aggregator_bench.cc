// Aggregator benchmark: ingest rate of the push stream against a raw libpqxx
// insert of the same rows, and latency/throughput of the national queries
// against a trivial gRPC call (health check) on the same server, at
// --orgs organisations x --periods half-years x the full catalog.
//
//   tools/dev bench            (or build/tests/bench/aggregator_bench --help)
//
// Prints its figures; asserts nothing about time (machines are shared).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <thread>

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <pqxx/pqxx>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "federation/v1/aggregator.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/aggregator/aggregator.h"
#include "services/aggregator/feed_tail.h"
#include "services/aggregator/grpc_service.h"
#include "services/aggregator/intake.h"
#include "services/aggregator/leadership.h"
#include "services/aggregator/migrations.h"
#include "services/aggregator/storage.h"
#include "services/common/catalog.h"
#include "services/common/dates.h"
#include "services/common/db.h"
#include "services/common/log.h"
#include "services/common/period.h"
#include "services/common/server.h"
#include "services/common/transport.h"
#include "services/registry/grpc_service.h"
#include "services/registry/migrations.h"
#include "services/registry/registry.h"
#include "tests/bench/bench_registry.h"
#include "tests/bench/bench_util.h"
#include "tests/support/test_env.h"

ABSL_FLAG(int, orgs, 10000, "Reporting organisations (member associations).");
ABSL_FLAG(int, periods, 20, "Half-years per organisation, ending with 2025H2.");
ABSL_FLAG(int, push_streams, 8, "Concurrent PushReports streams.");
ABSL_FLAG(int, raw_reports, 20000,
          "Reports written by each ingest baseline (INSERT, COPY, every row), shared out "
          "over the rounds.");
ABSL_FLAG(int, ingest_rounds, 4,
          "Rounds in which the push and its baselines take turns (see the ingest section).");
ABSL_FLAG(int, clients, 64, "Concurrent query clients.");
ABSL_FLAG(int, seconds, 8, "Duration of each query measurement.");
ABSL_FLAG(int, restart_copies, 9,
          "For the second restart figure, the stored standings are copied this many times "
          "into earlier years (0 = no second restart).");

namespace {

using fedbench::Latencies;
using fedbench::Measure;

namespace v1 = federation::v1;

std::string OrgCode(int i) { return absl::StrFormat("A%05d", i); }

std::vector<std::string> PeriodNames(int count) {
  std::vector<std::string> names;
  fed::Period p{2025, fed::Period::Kind::kHalf, 2};
  for (int i = 0; i < count; ++i, p = p.Previous()) names.push_back(p.ToString());
  std::reverse(names.begin(), names.end());
  return names;
}

// A full-catalog report with values that pass validation.
v1::Report MakeReport(int org, const std::string& period) {
  v1::Report report;
  report.set_organization_code(OrgCode(org));
  report.set_period(period);
  report.set_revision(1);
  report.set_submitted_by("bench");
  // Submitted a few days before the deadline; one organisation in a hundred late.
  const absl::CivilDay due = fed::Period::Parse(period)->DueDate();
  const absl::CivilDay day = org % 100 == 0 ? due + 3 : due - 1 - org % 10;
  report.mutable_submitted_at()->set_seconds(
      absl::ToUnixSeconds(absl::FromCivil(day, absl::FixedTimeZone(7 * 3600))));
  const uint64_t seed = static_cast<uint64_t>(org) * 7919 + period.size() * 31 + period.back();
  for (const auto& indicator : fed::LatestCatalog().indicators()) {
    auto* v = report.add_values();
    v->set_code(indicator.code());
    if (indicator.type() == v1::INDICATOR_TYPE_BOOLEAN) {
      v->set_flag(indicator.code() != "tech_contest_by_union" &&
                  (seed + indicator.code().size()) % 3 != 0);
    } else {
      int64_t base = static_cast<int64_t>((seed * 131 + indicator.code().size() * 17) % 50) + 5;
      if (indicator.code() == "members") base = 10000 + static_cast<int64_t>(seed % 5000);
      if (indicator.code() == "intellectuals") base = 1000 + static_cast<int64_t>(seed % 500);
      if (indicator.code() == "contest_prizes") base = 1;
      v->set_count(base);
    }
  }
  return report;
}

// One token per role for the whole run, as a real client keeps its token.
std::unique_ptr<grpc::ClientContext> Context(v1::Role role) {
  static const std::string viewer = fedtest::BearerFor(v1::ROLE_VIEWER, "VUSTA");
  static const std::string service = fedtest::BearerFor(v1::ROLE_SERVICE, "VUSTA");
  static const std::string admin = fedtest::BearerFor(v1::ROLE_NATIONAL_ADMIN, "VUSTA");
  return fedtest::ContextWith(role == v1::ROLE_VIEWER    ? viewer
                              : role == v1::ROLE_SERVICE ? service
                                                         : admin);
}

void SeedRegistry(const std::string& url, int orgs) {
  pqxx::connection conn(url);
  pqxx::work txn(conn);
  txn.exec(
      "INSERT INTO registry.organizations (code, kind, name, status, active_from, updated_by)"
      " VALUES ('VUSTA', 1, 'Liên hiệp các Hội KH&KT Việt Nam', 1, '1983-03-26', 'bench')");
  txn.exec(
      "INSERT INTO registry.organizations (code, kind, name, parent_id, status, active_from,"
      " updated_by) SELECT lpad(g::text, 2, '0'), 2, 'LHH ' || g, 1, 1, '2008-08-01', 'bench'"
      " FROM generate_series(10, 72) g");
  txn.exec_params(
      "INSERT INTO registry.organizations (code, kind, name, parent_id, status, active_from,"
      " updated_by) SELECT 'A' || lpad(g::text, 5, '0'), 3, 'Hội ' || g, 2 + g % 63, 1,"
      " '2010-01-01', 'bench' FROM generate_series(0, $1 - 1) g",
      orgs);
  txn.commit();
}

// <prefix>_revisions and <prefix>_values: the intake's two tables, with
// their keys and no triggers, for a baseline to write into.
void CreateTablesLikeTheIntakes(pqxx::connection& conn, const std::string& prefix) {
  pqxx::work txn(conn);
  txn.exec(absl::StrCat("CREATE TABLE ", prefix,
                        "_revisions (LIKE aggregator.report_revisions INCLUDING DEFAULTS)"));
  txn.exec(absl::StrCat("CREATE TABLE ", prefix,
                        "_values (LIKE aggregator.report_values INCLUDING ALL)"));
  txn.exec(absl::StrCat("ALTER TABLE ", prefix,
                        "_revisions ADD PRIMARY KEY (organization_code, period, revision)"));
  txn.commit();
}

// A baseline for the intake: the rows it writes for `reports`, written by
// one plain connection into tables of their own (with the intake's keys and
// indexes, no triggers), batched like the group commit and committed per
// batch, with nothing else: no validation, no idempotency checks, no
// figures, no acknowledgements.
class BaselineWriter {
 public:
  enum class Kind {
    kInsert,    // the revision and its values, by INSERT of unnest()ed arrays
    kCopy,      // the same rows by COPY (libpqxx's stream_to)
    kEveryRow,  // by COPY, also the report's standing and its line of the feed
  };

  // Into tables named after `prefix` (made here unless `tables_exist`).
  BaselineWriter(const std::string& url, Kind kind, std::string prefix, bool tables_exist = false)
      : conn_(url), kind_(kind), prefix_(std::move(prefix)) {
    if (tables_exist) return;
    CreateTablesLikeTheIntakes(conn_, Prefix());
    if (kind_ == Kind::kEveryRow) {
      pqxx::work txn(conn_);
      txn.exec(absl::StrCat("CREATE TABLE ", Prefix(),
                            "_reports (LIKE aggregator.reports INCLUDING ALL)"));
      txn.exec(absl::StrCat("CREATE TABLE ", Prefix(),
                            "_changes (LIKE aggregator.changes INCLUDING INDEXES)"));
      txn.commit();
    }
  }

  // Writes reports [first, last) in batches of `batch`; returns the seconds taken.
  double Write(const std::vector<v1::Report>& reports, size_t first, size_t last, size_t batch) {
    const absl::Time start = absl::Now();
    for (size_t from = first; from < last; from += batch) {
      const size_t to = std::min(last, from + batch);
      pqxx::work txn(conn_);
      if (kind_ == Kind::kInsert) {
        Insert(txn, reports, from, to);
      } else {
        if (kind_ == Kind::kEveryRow) CopyStandingsAndFeed(txn, reports, from, to);
        Copy(txn, reports, from, to);
      }
      txn.commit();
    }
    return absl::ToDoubleSeconds(absl::Now() - start);
  }

 private:
  const std::string& Prefix() const { return prefix_; }

  void Insert(pqxx::work& txn, const std::vector<v1::Report>& reports, size_t from, size_t to) {
    std::vector<std::string> orgs, periods, payloads, v_orgs, v_periods, v_codes;
    std::vector<int> v_revs;
    std::string values = "{";
    for (size_t i = from; i < to; ++i) {
      orgs.push_back(reports[i].organization_code());
      periods.push_back(reports[i].period());
      std::string json;
      (void)google::protobuf::util::MessageToJsonString(reports[i], &json);
      payloads.push_back(json);
      for (const auto& v : reports[i].values()) {
        v_orgs.push_back(reports[i].organization_code());
        v_periods.push_back(reports[i].period());
        v_codes.push_back(v.code());
        v_revs.push_back(1);
        absl::StrAppend(&values, values.size() > 1 ? "," : "", fed::NumericValue(v));
      }
    }
    values += "}";
    txn.exec_params("INSERT INTO " + Prefix() +
                        "_revisions (organization_code, period, revision, content_hash, payload,"
                        " submitted_at, submitted_by, received_from) SELECT o, p, 1, 'h', "
                        "j::jsonb, now(), 'b', 'b'"
                        " FROM unnest($1::text[], $2::text[], $3::text[]) AS t(o, p, j)",
                    fed::PgTextArray(orgs), fed::PgTextArray(periods), fed::PgTextArray(payloads));
    txn.exec_params("INSERT INTO " + Prefix() +
                        "_values SELECT * FROM unnest($1::text[], $2::text[], $3::int[],"
                        " $4::text[], $5::float8[])",
                    fed::PgTextArray(v_orgs), fed::PgTextArray(v_periods),
                    fed::PgNumberArray(v_revs), fed::PgTextArray(v_codes), values);
  }

  void Copy(pqxx::work& txn, const std::vector<v1::Report>& reports, size_t from, size_t to) {
    {
      pqxx::stream_to revisions(
          txn, Prefix() + "_revisions",
          std::vector<std::string>{"organization_code", "period", "revision", "content_hash",
                                   "payload", "submitted_at", "submitted_by", "received_from"});
      for (size_t i = from; i < to; ++i) {
        std::string json;
        (void)google::protobuf::util::MessageToJsonString(reports[i], &json);
        revisions << std::make_tuple(reports[i].organization_code(), reports[i].period(), 1,
                                     std::string("h"), json, now_, std::string("b"),
                                     std::string("b"));
      }
      revisions.complete();
    }
    pqxx::stream_to values(
        txn, Prefix() + "_values",
        std::vector<std::string>{"organization_code", "period", "revision", "indicator", "value"});
    for (size_t i = from; i < to; ++i) {
      for (const auto& v : reports[i].values()) {
        values << std::make_tuple(reports[i].organization_code(), reports[i].period(), 1, v.code(),
                                  fed::NumericValue(v));
      }
    }
    values.complete();
  }

  void CopyStandingsAndFeed(pqxx::work& txn, const std::vector<v1::Report>& reports, size_t from,
                            size_t to) {
    // A snapshot of 30 values as the standing keeps it: 8 bytes each.
    static const std::string snapshot = "\\x" + std::string(16 * 30, '0');
    const int64_t first_sequence = sequence_ + 1;
    {
      pqxx::stream_to standings(
          txn, Prefix() + "_reports",
          std::vector<std::string>{"organization_code", "period", "state", "latest_revision",
                                   "first_submitted_at", "due_date", "timely", "last_sequence",
                                   "latest_values", "values_sequence"});
      for (size_t i = from; i < to; ++i) {
        ++sequence_;
        standings << std::make_tuple(reports[i].organization_code(), reports[i].period(), 1, 1,
                                     now_, std::string("2026-01-15"), std::string("t"), sequence_,
                                     snapshot, sequence_);
      }
      standings.complete();
    }
    pqxx::stream_to changes(
        txn, Prefix() + "_changes",
        std::vector<std::string>{"sequence", "organization_code", "period", "revision", "state",
                                 "event", "comment", "at", "actor"});
    for (size_t i = from; i < to; ++i) {
      changes << std::make_tuple(first_sequence + static_cast<int64_t>(i - from),
                                 reports[i].organization_code(), reports[i].period(), 1, 1,
                                 std::string("received"), std::string(), now_, std::string("b"));
    }
    changes.complete();
  }

  pqxx::connection conn_;
  const Kind kind_;
  const std::string prefix_;
  const std::string now_ = absl::FormatTime(absl::Now());
  int64_t sequence_ = 0;
};

// Pushes reports [first, last) through `streams` PushReports streams at
// once, each stream sending every streams-th report and reading its
// acknowledgements as they come. Returns the seconds until the last is
// acknowledged.
double PushReports(const std::shared_ptr<grpc::Channel>& channel,
                   const std::vector<v1::Report>& reports, size_t first, size_t last, int streams,
                   std::atomic<long>& stored, std::atomic<long>& other) {
  const absl::Time start = absl::Now();
  std::vector<std::thread> pushers;
  for (int s = 0; s < streams; ++s) {
    pushers.emplace_back([&, s] {
      auto ctx = Context(v1::ROLE_NATIONAL_ADMIN);  // the stated submission times count
      ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(30));
      auto stub = v1::AggregatorService::NewStub(channel);
      auto stream = stub->PushReports(ctx.get());
      std::thread reader([&] {
        v1::PushAck ack;
        while (stream->Read(&ack)) {
          (ack.outcome() == v1::PUSH_OUTCOME_STORED ? stored : other)++;
        }
      });
      for (size_t i = first + s; i < last; i += streams) {
        v1::PushedReport pushed;
        pushed.set_client_ref(std::to_string(i));
        *pushed.mutable_report() = reports[i];
        if (!stream->Write(pushed)) break;
      }
      stream->WritesDone();
      reader.join();
      grpc::Status status = stream->Finish();
      if (!status.ok()) std::fprintf(stderr, "push stream: %s\n", status.error_message().c_str());
    });
  }
  for (auto& t : pushers) t.join();
  return absl::ToDoubleSeconds(absl::Now() - start);
}

// Restarts the aggregator's figures the way main.cc does: loads them, then
// takes over as the active aggregator (which catches up and repairs
// missing snapshots). Returns the seconds until intake could serve, or -1.
double TimeRestart(const std::string& url, fed::DbPool& db, aggregator::Aggregator& logic,
                   aggregator::Figures& figures) {
  const absl::Time start = absl::Now();
  if (!logic.LoadFigures().ok()) return -1;
  aggregator::Leadership leadership(url, db, figures, {.holder = "bench"});
  while (!leadership.active()) {
    if (absl::Now() - start > absl::Minutes(10)) return -1;
    (void)leadership.RunRound();
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  leadership.Stop();
  return seconds;
}

bool SameValues(const aggregator::Values& a, const aggregator::Values& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) != std::isnan(b[i]) || (!std::isnan(a[i]) && a[i] != b[i])) return false;
  }
  return true;
}

// How many of `recounted` the figures hold differently (or not at all).
size_t DifferingStandings(const std::vector<aggregator::Standing>& recounted,
                          const aggregator::Figures& figures) {
  size_t differing = 0;
  for (const auto& want : recounted) {
    auto got = figures.Find(want.organization_code, want.period);
    const bool same =
        got && got->state == want.state && got->latest_revision == want.latest_revision &&
        got->accepted_revision == want.accepted_revision && got->timely == want.timely &&
        got->first_submitted_at == want.first_submitted_at && got->sequence == want.sequence &&
        SameValues(got->latest_values, want.latest_values) &&
        SameValues(got->AcceptedValues(), want.AcceptedValues());
    if (!same) ++differing;
  }
  return differing;
}

// Copies every stored standing (with its snapshot, not its value rows) into
// `copies` earlier years, each copy's changes numbered after the last:
// what 2,000,000 reports look like to a restart without pushing them all.
// Returns how many standings there are then.
long CopyStandings(const std::string& url, int periods, int copies) {
  const std::vector<std::string> names = PeriodNames(periods * (copies + 1));
  pqxx::connection conn(url);
  pqxx::work txn(conn);
  const int64_t step =
      txn.exec1("SELECT coalesce(max(last_sequence), 0) + 1 FROM aggregator.reports")[0]
          .as<int64_t>();
  for (int c = 1; c <= copies; ++c) {
    for (int j = 0; j < periods; ++j) {
      const std::string& source = names[names.size() - periods + j];
      const std::string& target = names[names.size() - periods * (c + 1) + j];
      txn.exec_params(
          "INSERT INTO aggregator.reports (organization_code, period, state, latest_revision,"
          " accepted_revision, first_submitted_at, due_date, timely, last_sequence,"
          " latest_values, accepted_values, values_sequence)"
          " SELECT organization_code, $2, state, latest_revision, accepted_revision,"
          " first_submitted_at, $3::date, timely, last_sequence + $4, latest_values,"
          " accepted_values, values_sequence + $4 FROM aggregator.reports WHERE period = $1",
          source, target, fed::FormatDate(fed::Period::Parse(target)->DueDate()), step * c);
    }
  }
  const long total = txn.exec1("SELECT count(*) FROM aggregator.reports")[0].as<long>();
  txn.commit();
  pqxx::nontransaction(conn).exec("VACUUM ANALYZE aggregator.reports");
  return total;
}

// Whether each copied period's totals are its source period's.
bool CopiesMatchSources(const aggregator::Figures& figures, int periods, int copies) {
  const std::vector<std::string> names = PeriodNames(periods * (copies + 1));
  for (int c = 1; c <= copies; ++c) {
    for (int j = 0; j < periods; ++j) {
      for (auto scope : {aggregator::Scope::kAccepted, aggregator::Scope::kIncludingSubmitted}) {
        v1::TotalsResponse source = figures.Totals(names[names.size() - periods + j], scope, {});
        v1::TotalsResponse copy =
            figures.Totals(names[names.size() - periods * (c + 1) + j], scope, {});
        source.clear_period();
        copy.clear_period();
        if (source.SerializeAsString() != copy.SerializeAsString() || source.totals_size() == 0 ||
            source.totals(0).reporting_organizations() == 0) {
          return false;
        }
      }
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  fedbench::StartBenchmark(argc, argv);
  const int orgs = absl::GetFlag(FLAGS_orgs);
  const std::vector<std::string> periods = PeriodNames(absl::GetFlag(FLAGS_periods));

  fedtest::TestDatabase db("bench");
  if (!fed::ApplyMigrations(db.url(), "registry", registry::Migrations()).ok() ||
      !fed::ApplyMigrations(db.url(), "aggregator", aggregator::Migrations()).ok()) {
    std::fprintf(stderr, "migrations failed\n");
    return 1;
  }
  SeedRegistry(db.url(), orgs);

  // Separate worker pools, as separate processes would have: an aggregator
  // handler waiting on the registry must not hold the registry's threads.
  fed::WorkerPool workers(8);
  fedbench::InProcessRegistry registry_server(db.url());

  fed::DbPool agg_db(db.url(), "aggregator", 8);
  aggregator::Directory directory(registry_server.channel(), absl::Minutes(10));
  auto figures = std::make_unique<aggregator::Figures>();
  auto logic = std::make_unique<aggregator::Aggregator>(agg_db, *figures, directory);
  auto intake = std::make_unique<aggregator::Intake>(agg_db, *figures, directory, 200);
  auto tail =
      std::make_unique<aggregator::FeedTail>(agg_db, *figures, aggregator::FeedTail::Options{});
  if (!tail->Start().ok()) return 1;
  auto service = std::make_unique<aggregator::AggregatorGrpcService>(
      logic.get(), intake.get(), tail.get(),
      fed::CallContext{&fedtest::TestVerifier("aggregator"), &workers});
  auto server =
      std::make_unique<fedtest::LoopbackServer>(std::vector<grpc::Service*>{service.get()});

  std::printf("federation aggregator benchmark: %d organisations x %zu periods x %d indicators\n",
              orgs, periods.size(), fed::LatestCatalog().indicators_size());
  std::printf("  machine: %u hardware threads; PostgreSQL via %s\n",
              std::thread::hardware_concurrency(), "FED_TEST_PG_URL");

  // A fresh deployment's aggregator takes over before anything arrives
  // (which records the layout of the figures' snapshot).
  if (TimeRestart(db.url(), agg_db, *logic, *figures) < 0) return 1;

  // --- ingest -------------------------------------------------------------
  std::vector<v1::Report> reports;
  reports.reserve(static_cast<size_t>(orgs) * periods.size());
  for (const auto& period : periods) {
    for (int org = 0; org < orgs; ++org) reports.push_back(MakeReport(org, period));
  }
  // Warm the registry cache the way a real deadline day would after its
  // first minutes, so the figure is the steady intake rate.
  for (int org = 0; org < orgs; ++org) (void)directory.Organization(OrgCode(org));

  // The push and its baselines take turns, round by round, each baseline
  // writing a share of the round's reports: on a shared machine, what slows
  // one phase (a neighbour, a checkpoint, autovacuum after a big load) then
  // falls on both alike, and the tables grow alike.
  const int streams = absl::GetFlag(FLAGS_push_streams);
  const size_t rounds = std::max(1, absl::GetFlag(FLAGS_ingest_rounds));
  const size_t per_round = (reports.size() + rounds - 1) / rounds;
  const size_t baseline_per_round = std::min<size_t>(
      per_round, (std::max(1, absl::GetFlag(FLAGS_raw_reports)) + rounds - 1) / rounds);
  BaselineWriter insert_writer(db.url(), BaselineWriter::Kind::kInsert, "raw");
  BaselineWriter copy_writer(db.url(), BaselineWriter::Kind::kCopy, "copy");
  BaselineWriter every_writer(db.url(), BaselineWriter::Kind::kEveryRow, "every");
  // The intake writes on two connections at once (its two committers): so
  // may a baseline, each connection half of the rows.
  BaselineWriter copy_pair_a(db.url(), BaselineWriter::Kind::kCopy, "pair");
  BaselineWriter copy_pair_b(db.url(), BaselineWriter::Kind::kCopy, "pair", /*tables_exist=*/true);
  double pair_seconds = 0;
  std::atomic<long> stored{0}, other{0};
  double push_seconds = 0, insert_seconds = 0, copy_seconds = 0, every_seconds = 0;
  size_t baseline_reports = 0;
  std::vector<double> round_ratios;  // to the faster of INSERT and COPY
  for (size_t r = 0; r < rounds; ++r) {
    const size_t first = r * per_round, last = std::min(reports.size(), first + per_round);
    if (first >= last) break;
    const size_t sample_end = first + std::min(baseline_per_round, last - first);
    auto baselines = [&](double& insert, double& copy) {
      insert = insert_writer.Write(reports, first, sample_end, 200);
      copy = copy_writer.Write(reports, first, sample_end, 200);
      every_seconds += every_writer.Write(reports, first, sample_end, 200);
      const size_t middle = first + (sample_end - first) / 2;
      const absl::Time pair_start = absl::Now();
      std::thread other_half([&] { copy_pair_b.Write(reports, middle, sample_end, 200); });
      copy_pair_a.Write(reports, first, middle, 200);
      other_half.join();
      pair_seconds += absl::ToDoubleSeconds(absl::Now() - pair_start);
    };
    const long stored_before = stored;
    double insert = 0, copy = 0, push = 0;
    if (r % 2 == 1) baselines(insert, copy);  // every other round, the baselines first
    push = PushReports(server->channel(), reports, first, last, streams, stored, other);
    if (r % 2 == 0) baselines(insert, copy);
    push_seconds += push;
    insert_seconds += insert;
    copy_seconds += copy;
    baseline_reports += sample_end - first;
    const double sample = static_cast<double>(sample_end - first);
    round_ratios.push_back((stored - stored_before) / push /
                           std::max(sample / insert, sample / copy));
  }
  const double push_rate = stored / push_seconds;
  const double raw_rate = baseline_reports / insert_seconds;
  const double copy_rate = baseline_reports / copy_seconds;
  const double every_row_rate = baseline_reports / every_seconds;
  const double pair_rate = baseline_reports / pair_seconds;
  const double baseline = std::max(raw_rate, copy_rate);
  std::sort(round_ratios.begin(), round_ratios.end());

  std::printf(
      "\ningest (durable, one acknowledgement per report, %d streams; %zu rounds, each\n"
      "  pushing its share and then, or first, writing part of it by each baseline)\n",
      streams, round_ratios.size());
  std::printf(
      "  pushed into the aggregator          %9.0f reports/s  (%ld stored, %ld other, %.1f s)\n",
      push_rate, stored.load(), other.load(), push_seconds);
  std::printf("  raw libpqxx insert, same rows       %9.0f reports/s  (%zu reports, 200 per txn)\n",
              raw_rate, baseline_reports);
  std::printf(
      "  the same rows by COPY                %9.0f reports/s  (%zu reports, 200 per txn)\n",
      copy_rate, baseline_reports);
  std::printf(
      "  ratio to the faster of the two       %9.0f %%  (rounds: lowest %.0f %%, median %.0f %%,"
      " highest %.0f %%)\n",
      100.0 * push_rate / baseline, 100.0 * round_ratios.front(),
      100.0 * round_ratios[round_ratios.size() / 2], 100.0 * round_ratios.back());
  std::printf(
      "  every row the intake writes, by COPY %9.0f reports/s  (+ the standing and the feed's "
      "line)\n",
      every_row_rate);
  std::printf("  ratio to every row by COPY           %9.0f %%\n",
              100.0 * push_rate / every_row_rate);
  std::printf(
      "  the same rows by COPY, two connections %7.0f reports/s  (each half of them; the intake "
      "writes on two)\n",
      pair_rate);
  std::printf("  ratio to COPY on two connections     %9.0f %%\n", 100.0 * push_rate / pair_rate);

  // --- accept everything and restart, as after a review day ----------------
  {
    pqxx::connection conn(db.url());
    pqxx::work txn(conn);
    txn.exec("UPDATE aggregator.reports SET state = 3, accepted_revision = latest_revision");
    txn.commit();
  }
  server.reset();
  intake.reset();
  service.reset();
  tail.reset();
  logic.reset();
  figures.reset();
  const double heap_without_figures = fedbench::HeapInUseMiB();
  figures = std::make_unique<aggregator::Figures>();
  logic = std::make_unique<aggregator::Aggregator>(agg_db, *figures, directory);
  const double load_seconds = TimeRestart(db.url(), agg_db, *logic, *figures);
  if (load_seconds < 0) return 1;
  const double figures_mib = fedbench::HeapInUseMiB() - heap_without_figures;
  intake = std::make_unique<aggregator::Intake>(agg_db, *figures, directory, 200);
  tail = std::make_unique<aggregator::FeedTail>(agg_db, *figures, aggregator::FeedTail::Options{});
  if (!tail->Start().ok()) return 1;
  service = std::make_unique<aggregator::AggregatorGrpcService>(
      logic.get(), intake.get(), tail.get(),
      fed::CallContext{&fedtest::TestVerifier("aggregator"), &workers});
  server = std::make_unique<fedtest::LoopbackServer>(std::vector<grpc::Service*>{service.get()});
  std::printf(
      "\nrestart: serving intake after %.2f s (%ld reports: figures from their snapshot,"
      " then taking over)\n",
      load_seconds, stored.load());
  std::printf("  the figures' memory: %.0f MiB (%.0f bytes a report)\n", figures_mib,
              figures_mib * (1 << 20) / std::max<long>(1, stored.load()));
  {
    aggregator::Figures recounted;
    const absl::Time recount_start = absl::Now();
    std::vector<aggregator::Standing> all;
    (void)agg_db.InTransaction([&](pqxx::work& txn) {
      aggregator::storage::LoadAllStandings(
          txn,
          [&](aggregator::Standing s) {
            all.push_back(s);
            recounted.Apply(std::move(s));
          },
          aggregator::storage::ValuesFrom::kRecount);
      return absl::OkStatus();
    });
    const double recount_seconds = absl::ToDoubleSeconds(absl::Now() - recount_start);
    const size_t differing = DifferingStandings(all, *figures);
    std::printf(
        "  the same recounted from every value row (the start-up before the snapshot): %.2f s\n"
        "  figures identical to the recount: %s (%zu standings compared, %zu differ)\n",
        recount_seconds, differing == 0 && !all.empty() ? "yes" : "NO", all.size(), differing);
  }

  // --- queries ---------------------------------------------------------------
  const int clients = absl::GetFlag(FLAGS_clients);
  const int seconds = absl::GetFlag(FLAGS_seconds);
  auto health = grpc::health::v1::Health::NewStub(server->channel());
  auto stub = v1::AggregatorService::NewStub(server->channel());
  for (const auto& period : periods) {
    (void)directory.OrganizationsOn(v1::ORGANIZATION_KIND_MEMBER_ASSOCIATION,
                                    fed::FormatDate(fed::Period::Parse(period)->LastDay()));
  }

  std::printf("\nqueries (%d concurrent clients, %d s each, one channel)\n", clients, seconds);
  Latencies trivial = Measure(clients, seconds, [&](uint64_t) {
    grpc::ClientContext ctx;
    grpc::health::v1::HealthCheckRequest req;
    grpc::health::v1::HealthCheckResponse resp;
    return health->Check(&ctx, req, &resp).ok();
  });
  const double trivial_qps = trivial.ms.size() / trivial.seconds;
  fedbench::Print("trivial call (grpc.health Check)", trivial, 0);

  Latencies totals = Measure(clients, seconds, [&](uint64_t i) {
    v1::TotalsRequest req;
    req.set_period(periods[i % periods.size()]);
    v1::TotalsResponse resp;
    auto ctx = Context(v1::ROLE_VIEWER);
    return stub->GetTotals(ctx.get(), req, &resp).ok() && resp.totals_size() > 0;
  });
  fedbench::Print("GetTotals (full catalog)", totals, trivial_qps);

  Latencies completeness = Measure(clients, seconds, [&](uint64_t i) {
    v1::CompletenessRequest req;
    req.set_period(periods[i % periods.size()]);
    req.set_reporter_kind(v1::ORGANIZATION_KIND_MEMBER_ASSOCIATION);
    v1::CompletenessResponse resp;
    auto ctx = Context(v1::ROLE_VIEWER);
    return stub->GetCompleteness(ctx.get(), req, &resp).ok() && resp.expected() == orgs;
  });
  fedbench::Print("GetCompleteness (every organisation expected)", completeness, trivial_qps);

  // The same service on a second, plaintext port, measured right after: what
  // TLS costs the calls above (issue 11's "TLS against plaintext").
  int plain_port = 0;
  aggregator::AggregatorGrpcService plain_service(
      logic.get(), intake.get(), tail.get(),
      fed::CallContext{&fedtest::TestVerifier("aggregator"), &workers});
  auto plain_server = fed::StartGrpcServerWith(fed::Transport::Plaintext(), "127.0.0.1:0",
                                               {&plain_service}, &plain_port);
  if (!plain_server.ok()) return 1;
  auto plain_channel =
      fed::OpenChannelWith(fed::Transport::Plaintext(), absl::StrCat("127.0.0.1:", plain_port));
  auto plain_health = grpc::health::v1::Health::NewStub(plain_channel);
  auto plain_stub = v1::AggregatorService::NewStub(plain_channel);
  std::printf("\nthe same over plaintext (--insecure), for comparison\n");
  Latencies plain_trivial = Measure(clients, seconds, [&](uint64_t) {
    grpc::ClientContext ctx;
    grpc::health::v1::HealthCheckRequest req;
    grpc::health::v1::HealthCheckResponse resp;
    return plain_health->Check(&ctx, req, &resp).ok();
  });
  const double plain_trivial_qps = plain_trivial.CallsPerSecond();
  fedbench::Print("trivial call, plaintext", plain_trivial, 0);
  Latencies plain_totals = Measure(clients, seconds, [&](uint64_t i) {
    v1::TotalsRequest req;
    req.set_period(periods[i % periods.size()]);
    v1::TotalsResponse resp;
    auto ctx = Context(v1::ROLE_VIEWER);
    return plain_stub->GetTotals(ctx.get(), req, &resp).ok() && resp.totals_size() > 0;
  });
  fedbench::Print("GetTotals, plaintext", plain_totals, plain_trivial_qps);
  std::printf("  TLS / plaintext: trivial call %.2fx, GetTotals %.2fx (calls/s)\n",
              trivial_qps / std::max(1.0, plain_trivial_qps),
              totals.CallsPerSecond() / std::max(1.0, plain_totals.CallsPerSecond()));
  (*plain_server)->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));

  server.reset();
  intake.reset();
  tail.reset();

  const int copies = absl::GetFlag(FLAGS_restart_copies);
  if (copies > 0) {
    const long total = CopyStandings(db.url(), absl::GetFlag(FLAGS_periods), copies);
    aggregator::Figures big;
    aggregator::Aggregator big_logic(agg_db, big, directory);
    const double heap_before = fedbench::HeapInUseMiB();
    const double seconds = TimeRestart(db.url(), agg_db, big_logic, big);
    if (seconds < 0) return 1;
    const double mib = fedbench::HeapInUseMiB() - heap_before;
    std::printf("\nrestart at %ld reports (those above copied %d times into earlier years)\n",
                total, copies);
    std::printf("  serving intake after %.2f s; the figures' memory %.0f MiB\n", seconds, mib);
    std::printf("  every copy's totals identical to its source period's: %s\n",
                CopiesMatchSources(big, absl::GetFlag(FLAGS_periods), copies) ? "yes" : "NO");
  }
  return 0;
}
