// The dashboard's sessions, kept on the server: an opaque random id (the
// cookie's value) -> who logged in and until when. Logging out deletes the
// session, so its cookie opens nothing afterwards; expired sessions are
// swept; the store holds at most `max_sessions` (the oldest goes first) and
// lets each session hold at most `max_streams` live-update streams.
//
// Ids are kept by their SHA-256, so a lookup's timing says nothing about
// which ids exist, and what the process holds cannot be replayed as cookies.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/auth.h"
#include "services/dashboard/session.h"

namespace dashboard {

class SessionStore {
 public:
  struct Limits {
    size_t max_sessions = 10000;
    int max_streams = 4;
    absl::Duration max_lifetime = kMaxSession;
  };

  // What a live session holds: who, the token their calls carry, and the
  // anti-forgery token their page must send with each change.
  struct Session {
    fed::Principal principal;
    std::string token;
    std::string csrf_token;
  };
  struct Opened {
    std::string id;  // the cookie's value: 32 random bytes, base64url
    absl::Time expires;
    int64_t max_age_seconds = 0;
  };

  SessionStore() : SessionStore(Limits()) {}
  explicit SessionStore(Limits limits);

  // A new session for `grant`, ending with the token or after max_lifetime,
  // whichever is first. Evicts the oldest session when the store is full.
  Opened Open(const LoginGrant& grant, absl::Time now);

  // Who session `id` belongs to; UNAUTHENTICATED when there is no such
  // session (never opened, logged out, evicted) or it has expired.
  absl::StatusOr<fed::Principal> Find(absl::string_view id, absl::Time now) const;
  // The same with the session's tokens.
  absl::StatusOr<Session> FindSession(absl::string_view id, absl::Time now) const;

  // Logs session `id` out; false when there was none.
  bool Close(absl::string_view id);

  // Removes the sessions expired at `now`; returns how many.
  size_t Sweep(absl::Time now);

  // A live-update stream of session `id` starts: UNAUTHENTICATED as Find,
  // RESOURCE_EXHAUSTED when it already holds max_streams. Every successful
  // call is paired with one EndStream.
  absl::Status BeginStream(absl::string_view id, absl::Time now);
  void EndStream(absl::string_view id);

  size_t size() const;

 private:
  struct Entry {
    fed::Principal principal;
    std::string token;
    std::string csrf_token;
    absl::Time expires;
    uint64_t opened;  // key of by_age_
    int streams = 0;
  };
  using Map = absl::flat_hash_map<std::string, Entry>;

  static std::string KeyOf(absl::string_view id);
  const Entry* Live(const std::string& key, absl::Time now) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void EraseLocked(Map::iterator it) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Limits limits_;
  mutable absl::Mutex mu_;
  Map sessions_ ABSL_GUARDED_BY(mu_);
  // Open order -> key, to evict the oldest when full.
  std::map<uint64_t, std::string> by_age_ ABSL_GUARDED_BY(mu_);
  uint64_t next_ ABSL_GUARDED_BY(mu_) = 0;
};

// 32 bytes from OpenSSL's RAND_bytes, base64url without padding (43 chars).
std::string NewSessionId();

}  // namespace dashboard
