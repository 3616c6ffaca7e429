// A PostgreSQL session-level advisory lock, held on a connection of its own
// (outside any pool): one process of several replicas does something (the
// active aggregator writes, one reporting replica forwards), and PostgreSQL
// hands the lock to another the moment the holder's session ends, because
// its process died or the database failed over. No election protocol of our
// own, no lease to renew.
//
// Not thread-safe: one thread (a BackgroundLoop's rounds) calls it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <pqxx/pqxx>

namespace fed {

class SessionLock {
 public:
  // `what` names the lock in the logs.
  SessionLock(std::string url, int64_t key, std::string what);
  ~SessionLock();
  SessionLock(const SessionLock&) = delete;
  SessionLock& operator=(const SessionLock&) = delete;

  // Takes the lock if no session holds it; false when another does or the
  // database cannot be reached.
  bool TryTake();
  // Whether the session that took the lock is alive and still holds it.
  bool StillHeld();
  // Ends the session, and with it the lock.
  void Release();

  // TryTake() unless held, StillHeld() if it was: whether it is held now.
  bool Hold();

 private:
  bool Connect();

  const std::string url_;
  const int64_t key_;
  const std::string what_;
  std::unique_ptr<pqxx::connection> connection_;
  bool held_ = false;
};

}  // namespace fed
