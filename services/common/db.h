// PostgreSQL access for every service: a small connection pool (a libpqxx
// connection is not thread-safe, so each worker borrows one at a time), one
// transaction per logical change, and the mapping of database failures to
// absl::Status in one place.
#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <pqxx/pqxx>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/common/blocking.h"

namespace prometheus {
class Gauge;
class Histogram;
}  // namespace prometheus

namespace fed {

// Maps a libpqxx/PostgreSQL failure to a status the caller can act on:
// lost connection -> UNAVAILABLE, conflict -> ABORTED, duplicate ->
// ALREADY_EXISTS, other constraint -> FAILED_PRECONDITION, anything else ->
// INTERNAL (details go to the log, not to the caller).
absl::Status StatusFromDbException(const std::exception& e);
bool IsRetryableDbException(const std::exception& e);

class DbPool {
 public:
  // `schema` becomes the search_path of every connection: each service owns
  // the tables of its own schema.
  DbPool(std::string url, std::string schema, int size);
  ~DbPool();

  // Runs `fn(pqxx::work&)` in one transaction and commits when it returns an
  // OK status (or StatusOr); otherwise rolls back. A serialization failure,
  // deadlock or a connection lost before commit is retried a few times.
  template <typename Fn>
  auto InTransaction(Fn&& fn) -> std::invoke_result_t<Fn, pqxx::work&>;

  const std::string& schema() const { return schema_; }

 private:
  struct Lease;
  std::unique_ptr<pqxx::connection> Acquire();
  void Release(std::unique_ptr<pqxx::connection> conn, bool healthy);
  std::unique_ptr<pqxx::connection> Connect();

  bool CanLease() const ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return !idle_.empty() || free_slots_ > 0;
  }

  std::string url_;
  std::string schema_;
  // fed_db_pool_wait_seconds and fed_db_connections_in_use (metrics.h).
  prometheus::Histogram& wait_metric_;
  prometheus::Gauge& in_use_metric_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_ ABSL_GUARDED_BY(mu_);
  int free_slots_ ABSL_GUARDED_BY(mu_);
};

namespace internal {
inline bool IsOk(const absl::Status& s) { return s.ok(); }
template <typename T>
bool IsOk(const absl::StatusOr<T>& s) {
  return s.ok();
}
}  // namespace internal

template <typename Fn>
auto DbPool::InTransaction(Fn&& fn) -> std::invoke_result_t<Fn, pqxx::work&> {
  using Result = std::invoke_result_t<Fn, pqxx::work&>;
  if (absl::Status may = CheckMayBlock(); !may.ok()) return Result(may);
  constexpr int kAttempts = 4;
  absl::Status last_error;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    std::unique_ptr<pqxx::connection> conn;
    try {
      conn = Acquire();
    } catch (const std::exception& e) {
      last_error = StatusFromDbException(e);
      Release(nullptr, false);
      continue;
    }
    try {
      std::optional<Result> result;
      {
        // The transaction ends (commit, or rollback when fn said no) before
        // the connection goes back to the pool: a rollback run by the
        // destructor after Release raced the next user of the connection,
        // and the two threads' statements left libpq waiting for ever.
        pqxx::work txn(*conn);
        result.emplace(fn(txn));
        if (internal::IsOk(*result)) {
          txn.commit();
        } else {
          txn.abort();
        }
      }
      Release(std::move(conn), true);
      return *std::move(result);
    } catch (const pqxx::in_doubt_error& e) {
      // The commit may or may not have happened: never retry blindly.
      Release(nullptr, false);
      return StatusFromDbException(e);
    } catch (const std::exception& e) {
      bool connection_ok = conn && conn->is_open();
      Release(connection_ok ? std::move(conn) : nullptr, connection_ok);
      last_error = StatusFromDbException(e);
      if (!IsRetryableDbException(e)) return last_error;
    }
  }
  return last_error;
}

// A PostgreSQL array literal ('{"a","b"}') for passing a list as ONE query
// parameter, e.g. `WHERE code = ANY($1::text[])` or `unnest($1::int[])`
// (libpqxx 6 has no array parameters).
std::string PgTextArray(const std::vector<std::string>& items);
template <typename Number>
std::string PgNumberArray(const std::vector<Number>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(items[i]);
  }
  return out + "}";
}

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

namespace shared {
// Applied to every schema before the service's own migrations: version 0,
// the audit log that AppendAudit writes (services/common/migrations/).
const std::vector<Migration>& Migrations();
}  // namespace shared

// Creates `schema` if needed and applies, in order, the shared migrations and
// then the service's, each not yet recorded in <schema>.schema_migrations, each
// in its own transaction under an advisory lock (so two replicas starting
// together do not race). Refuses to start if an applied migration's text has
// changed since.
absl::Status ApplyMigrations(const std::string& url, const std::string& schema,
                             const std::vector<Migration>& migrations);

// Waits (up to `attempts` × 1 s) for the database to accept connections, so a
// service started together with PostgreSQL does not die on its first try.
absl::Status WaitForDatabase(const std::string& url, int attempts);

}  // namespace fed
