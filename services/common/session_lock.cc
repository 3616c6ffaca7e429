#include "services/common/session_lock.h"

#include "services/common/log.h"

namespace fed {

SessionLock::SessionLock(std::string url, int64_t key, std::string what)
    : url_(std::move(url)), key_(key), what_(std::move(what)) {}

SessionLock::~SessionLock() = default;

bool SessionLock::Connect() {
  if (connection_ && connection_->is_open()) return true;
  try {
    connection_ = std::make_unique<pqxx::connection>(url_);
    return true;
  } catch (const std::exception& e) {
    connection_.reset();
    spdlog::warn("event=session_lock_connect_failed lock={} error={}", what_, LogQuoted(e.what()));
    return false;
  }
}

bool SessionLock::TryTake() {
  if (!Connect()) return false;
  try {
    pqxx::nontransaction txn(*connection_);
    held_ = txn.exec_params1("SELECT pg_try_advisory_lock($1)", key_)[0].as<bool>();
  } catch (const std::exception& e) {
    spdlog::warn("event=session_lock_failed lock={} error={}", what_, LogQuoted(e.what()));
    Release();
  }
  return held_;
}

bool SessionLock::StillHeld() {
  if (!held_ || !connection_) return false;
  try {
    pqxx::nontransaction txn(*connection_);
    // The session's own granted advisory locks: a connection that was cut
    // and silently replaced would hold none.
    held_ = txn.exec_params1(
                   "SELECT count(*) > 0 FROM pg_locks WHERE locktype = 'advisory'"
                   " AND pid = pg_backend_pid() AND granted AND objsubid = 1"
                   " AND ((classid::bigint << 32) | objid::bigint) = $1",
                   key_)[0]
                .as<bool>();
  } catch (const std::exception& e) {
    spdlog::warn("event=session_lock_lost lock={} error={}", what_, LogQuoted(e.what()));
    held_ = false;
  }
  if (!held_) Release();
  return held_;
}

void SessionLock::Release() {
  held_ = false;
  connection_.reset();
}

bool SessionLock::Hold() { return held_ ? StillHeld() : TryTake(); }

}  // namespace fed
