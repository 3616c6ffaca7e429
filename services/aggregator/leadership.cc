#include "services/aggregator/leadership.h"

#include "absl/strings/str_cat.h"
#include "services/aggregator/storage.h"
#include "services/common/log.h"

namespace aggregator {
namespace {

// The session-level lock the active aggregator holds ("FEDLEAD").
constexpr int64_t kLeaderLockKey = 0x4645444c454144;
// Standings applied per catch-up transaction: a standby far behind (started
// during a storm) catches up in slices instead of one huge result.
constexpr int kCatchUpSlice = 5000;

}  // namespace

Leadership::Leadership(std::string url, fed::DbPool& db, Figures& figures, Options options)
    : url_(std::move(url)),
      db_(db),
      figures_(figures),
      options_(std::move(options)),
      loop_("leadership", [this]() -> fed::BackgroundLoop::Next {
        return {RunRound(), /*wakeable=*/false};
      }) {}

Leadership::~Leadership() { Stop(); }

void Leadership::Stop() {
  loop_.Stop();
  if (active()) StepDown("stopping");
  lock_connection_.reset();
}

absl::Duration Leadership::RunRound() {
  if (active()) {
    if (!LockSessionAlive()) StepDown("the lock's database session was lost");
    return active() ? options_.active_check : options_.standby_poll;
  }
  // A standby applies what the active one committed whether or not it can
  // take over now: it is warm when its turn comes.
  if (absl::Status caught_up = CatchUp(); !caught_up.ok()) {
    spdlog::warn("event=standby_catch_up_failed error={}", fed::LogQuoted(caught_up.message()));
    return options_.standby_poll;
  }
  if (!TryLock()) return options_.standby_poll;
  if (absl::Status taken = TakeOver(); !taken.ok()) {
    spdlog::warn("event=take_over_failed error={}", fed::LogQuoted(taken.message()));
    // Let another replica try: the lock goes with the session.
    lock_connection_.reset();
    return options_.standby_poll;
  }
  return options_.active_check;
}

bool Leadership::EnsureConnection() {
  if (lock_connection_ && lock_connection_->is_open()) return true;
  try {
    lock_connection_ = std::make_unique<pqxx::connection>(url_);
    return true;
  } catch (const std::exception& e) {
    lock_connection_.reset();
    spdlog::warn("event=leadership_connect_failed error={}", fed::LogQuoted(e.what()));
    return false;
  }
}

bool Leadership::TryLock() {
  if (!EnsureConnection()) return false;
  try {
    pqxx::nontransaction txn(*lock_connection_);
    return txn.exec_params1("SELECT pg_try_advisory_lock($1)", kLeaderLockKey)[0].as<bool>();
  } catch (const std::exception& e) {
    lock_connection_.reset();
    spdlog::warn("event=leadership_lock_failed error={}", fed::LogQuoted(e.what()));
    return false;
  }
}

bool Leadership::LockSessionAlive() {
  try {
    pqxx::nontransaction txn(*lock_connection_);
    // Still ours: a session that was cut and silently replaced would hold
    // no lock (pg_locks lists the session's own advisory locks).
    return txn
        .exec_params1("SELECT count(*) > 0 FROM pg_locks WHERE locktype = 'advisory'"
                      " AND pid = pg_backend_pid() AND granted"
                      " AND ((classid::bigint << 32) | objid::bigint) = $1",
                      kLeaderLockKey)[0]
        .as<bool>();
  } catch (const std::exception& e) {
    spdlog::warn("event=leadership_check_failed error={}", fed::LogQuoted(e.what()));
    return false;
  }
}

absl::Status Leadership::TakeOver() {
  int64_t epoch = -1;
  int64_t applied = 0;
  absl::Status status = db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    storage::LockFeed(txn);
    epoch = storage::TakeWriterEpoch(txn, options_.holder);
    // Under the feed's lock, after the epoch moved: nothing more can be
    // committed by anyone else, so this catch-up is complete.
    applied = 0;
    for (int64_t got = kCatchUpSlice; got == kCatchUpSlice;) {
      got = storage::LoadStandingsSince(txn, figures_.last_sequence(), kCatchUpSlice,
                                        [&](Standing s) { figures_.Apply(std::move(s)); });
      applied += got;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  epoch_.store(epoch, std::memory_order_release);
  active_.store(true, std::memory_order_release);
  spdlog::info("event=aggregator_active holder={} epoch={} caught_up={} last_sequence={}",
               fed::LogQuoted(options_.holder), epoch, applied, figures_.last_sequence());
  return absl::OkStatus();
}

absl::Status Leadership::CatchUp() {
  for (;;) {
    int64_t got = 0;
    absl::Status status = db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
      got = storage::LoadStandingsSince(txn, figures_.last_sequence(), kCatchUpSlice,
                                        [&](Standing s) { figures_.Apply(std::move(s)); });
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    if (got < kCatchUpSlice || loop_.stopping()) return absl::OkStatus();
  }
}

void Leadership::StepDown(const std::string& why) {
  active_.store(false, std::memory_order_release);
  lock_connection_.reset();
  spdlog::warn("event=aggregator_standby holder={} reason={}", fed::LogQuoted(options_.holder),
               fed::LogQuoted(why));
}

absl::Status Leadership::CheckStillActive(pqxx::work& txn) const {
  std::string holder;
  const int64_t current = storage::WriterEpoch(txn, &holder);
  if (active() && current == epoch_.load(std::memory_order_acquire)) return absl::OkStatus();
  return absl::UnavailableError(absl::StrCat(
      "this aggregator is on standby and writes nothing; the active one is ",
      holder.empty() ? "not known yet" : holder, ": try again (the other replica)"));
}

absl::Status LockFeedForWrite(pqxx::work& txn, const Leadership* leadership) {
  storage::LockFeed(txn);
  return leadership == nullptr ? absl::OkStatus() : leadership->CheckStillActive(txn);
}

}  // namespace aggregator
