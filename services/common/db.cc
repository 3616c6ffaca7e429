#include "services/common/db.h"

#include <chrono>
#include <map>
#include <thread>
#include "absl/strings/string_view.h"

#include "services/common/digest.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/log.h"
#include "services/common/metrics.h"

namespace fed {

namespace {

// Errors that say the server is going away, starting, or out of room rather
// than that the statement is wrong: class 08 (connection exception), class
// 57P (the server was shut down or is not accepting connections yet: what a
// PostgreSQL restart sends to statements in flight) and 53300 (too many
// connections). libpqxx 6 reports them as plain sql_errors.
bool IsServerUnavailable(const std::exception& e) {
  auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
  if (sql == nullptr) return false;
  const std::string& state = sql->sqlstate();
  return state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0 || state == "53300";
}

}  // namespace

absl::Status StatusFromDbException(const std::exception& e) {
  if (dynamic_cast<const pqxx::broken_connection*>(&e) ||
      dynamic_cast<const pqxx::in_doubt_error*>(&e) || IsServerUnavailable(e)) {
    spdlog::warn("event=db_unavailable error={}", LogQuoted(e.what()));
    return absl::UnavailableError("database unavailable, try again");
  }
  if (dynamic_cast<const pqxx::transaction_rollback*>(&e)) {
    return absl::AbortedError("concurrent change, try again");
  }
  if (dynamic_cast<const pqxx::unique_violation*>(&e)) {
    return absl::AlreadyExistsError("already exists");
  }
  if (dynamic_cast<const pqxx::integrity_constraint_violation*>(&e)) {
    spdlog::warn("event=db_constraint error={}", LogQuoted(e.what()));
    return absl::FailedPreconditionError("the change conflicts with existing data");
  }
  if (auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    spdlog::error("event=db_error sqlstate={} error={} query={}", sql->sqlstate(),
                  LogQuoted(e.what()), LogQuoted(sql->query()));
    return absl::InternalError("database error");
  }
  spdlog::error("event=db_error error={}", LogQuoted(e.what()));
  return absl::InternalError("database error");
}

bool IsRetryableDbException(const std::exception& e) {
  return dynamic_cast<const pqxx::transaction_rollback*>(&e) != nullptr ||
         dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr || IsServerUnavailable(e);
}

DbPool::DbPool(std::string url, std::string schema, int size)
    : url_(std::move(url)),
      schema_(std::move(schema)),
      wait_metric_(metrics::Histogram("fed_db_pool_wait_seconds",
                                      "Time a transaction waited to lease a PostgreSQL connection.",
                                      metrics::LatencyBuckets())),
      in_use_metric_(metrics::Gauge("fed_db_connections_in_use",
                                    "PostgreSQL connections leased by transactions now.")),
      free_slots_(size) {}

DbPool::~DbPool() = default;

std::unique_ptr<pqxx::connection> DbPool::Connect() {
  auto conn = std::make_unique<pqxx::connection>(url_);
  pqxx::nontransaction setup(*conn);
  setup.exec(absl::StrCat("SET search_path TO ", conn->quote_name(schema_), ", public"));
  setup.exec("SET TIME ZONE 'Asia/Ho_Chi_Minh'");
  // No JIT: the services' queries are short, and PostgreSQL decides on JIT
  // from a plan's whole cost, not its LIMIT's. The aggregator's catch-up
  // slice (5,000 rows, 10 ms) was estimated as if it read every standing
  // and spent 430 ms compiling itself, at every slice.
  setup.exec("SET jit = off");
  return conn;
}

std::unique_ptr<pqxx::connection> DbPool::Acquire() {
  std::unique_ptr<pqxx::connection> conn;
  const absl::Time asked = absl::Now();
  {
    absl::MutexLock lock(&mu_, absl::Condition(this, &DbPool::CanLease));
    wait_metric_.Observe(absl::ToDoubleSeconds(absl::Now() - asked));
    in_use_metric_.Increment();
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    } else {
      --free_slots_;
    }
  }
  // A pooled connection may have died with a PostgreSQL restart: reconnect.
  if (!conn || !conn->is_open()) conn = Connect();
  return conn;
}

void DbPool::Release(std::unique_ptr<pqxx::connection> conn, bool healthy) {
  absl::MutexLock lock(&mu_);
  in_use_metric_.Decrement();
  if (conn && healthy) {
    idle_.push_back(std::move(conn));
  } else {
    ++free_slots_;
  }
}

std::string PgTextArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

namespace {

absl::Status ChangedAfterApplied(const Migration& migration) {
  return absl::FailedPreconditionError(
      absl::StrCat("migration ", migration.version, " (", migration.name,
                   ") was changed after it was applied; add a new migration instead"));
}

// The migrations of `all` not recorded in <schema>.schema_migrations yet, read
// without writing anything: a role that may only read that table (a
// service's runtime role) learns there is nothing to do. An error when an
// applied migration's text has changed since.
absl::StatusOr<int> CountPending(pqxx::connection& conn, const std::string& schema,
                                 const std::vector<Migration>& all) {
  pqxx::read_transaction txn(conn);
  const bool recorded =
      txn.exec_params1("SELECT to_regclass(format('%I.schema_migrations', $1::text)) IS NOT NULL",
                       schema)[0]
          .as<bool>();
  std::map<int, std::string> applied;
  if (recorded) {
    for (const auto& row : txn.exec(absl::StrCat("SELECT version, checksum FROM ",
                                                 conn.quote_name(schema), ".schema_migrations"))) {
      applied[row[0].as<int>()] = row[1].as<std::string>();
    }
  }
  int pending = 0;
  for (const Migration& migration : all) {
    auto it = applied.find(migration.version);
    if (it == applied.end()) {
      ++pending;
    } else if (it->second != Sha256Hex(migration.sql)) {
      return ChangedAfterApplied(migration);
    }
  }
  return pending;
}

// Applies each of `all` not applied yet, in its own transaction under an
// advisory lock (a replica starting at the same time may have applied it
// meanwhile).
absl::Status ApplyPending(pqxx::connection& conn, const std::string& schema,
                          const std::vector<Migration>& all) {
  const std::string quoted = conn.quote_name(schema);
  for (const Migration& migration : all) {
    pqxx::work txn(conn);
    txn.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))", schema);
    // CREATE SCHEMA IF NOT EXISTS asks for CREATE on the database even when
    // the schema exists, which a schema's owner role need not have: the
    // administrator creates the schema for it (AUTHORIZATION <owner>).
    if (txn.exec_params("SELECT 1 FROM pg_namespace WHERE nspname = $1", schema).empty()) {
      txn.exec(absl::StrCat("CREATE SCHEMA ", quoted));
    }
    txn.exec(absl::StrCat("SET LOCAL search_path TO ", quoted, ", public"));
    txn.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version int PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
        " applied_at timestamptz NOT NULL DEFAULT now())");
    const std::string checksum = Sha256Hex(migration.sql);
    pqxx::result applied = txn.exec_params(
        "SELECT checksum FROM schema_migrations WHERE version = $1", migration.version);
    if (!applied.empty()) {
      if (applied[0][0].as<std::string>() != checksum) return ChangedAfterApplied(migration);
      continue;  // already applied; the transaction just ends
    }
    txn.exec(migration.sql);
    txn.exec_params("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    migration.version, migration.name, checksum);
    txn.commit();
    spdlog::info("event=migration_applied schema={} version={} name={}", schema, migration.version,
                 migration.name);
  }
  return absl::OkStatus();
}

}  // namespace

// When every migration is recorded this only reads schema_migrations, so a
// service's runtime role, which may not change the schema, passes too; where
// migrations are pending `url` must be the schema owner's (README, "Database
// roles").
absl::Status ApplyMigrations(const std::string& url, const std::string& schema,
                             const std::vector<Migration>& migrations) {
  try {
    // The connection lives only as long as this call: with the schema
    // owner's URL, nothing the service serves with can alter the schema.
    pqxx::connection conn(url);
    std::vector<Migration> all = shared::Migrations();
    all.insert(all.end(), migrations.begin(), migrations.end());
    absl::StatusOr<int> pending = CountPending(conn, schema, all);
    if (!pending.ok() || *pending == 0) return pending.status();
    return ApplyPending(conn, schema, all);
  } catch (const pqxx::insufficient_privilege& e) {
    spdlog::error("event=migration_failed schema={} error={}", schema, LogQuoted(e.what()));
    return absl::FailedPreconditionError(
        absl::StrCat("migrations failed: ", e.what(),
                     " (pending migrations are applied by the schema's owner role)"));
  } catch (const std::exception& e) {
    spdlog::error("event=migration_failed schema={} error={}", schema, LogQuoted(e.what()));
    // The server going away mid-way (a restart) is worth another try; a
    // migration that does not apply is not.
    const bool transient = StatusFromDbException(e).code() == absl::StatusCode::kUnavailable;
    return absl::Status(
        transient ? absl::StatusCode::kUnavailable : absl::StatusCode::kFailedPrecondition,
        absl::StrCat("migrations failed: ", e.what()));
  }
}

absl::Status WaitForDatabase(const std::string& url, int attempts) {
  for (int i = 1;; ++i) {
    try {
      pqxx::connection conn(url);
      return absl::OkStatus();
    } catch (const std::exception& e) {
      if (i >= attempts) {
        return absl::UnavailableError(absl::StrCat("cannot connect to the database: ", e.what()));
      }
      spdlog::warn("event=db_wait attempt={} error={}", i, LogQuoted(e.what()));
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
}

}  // namespace fed
