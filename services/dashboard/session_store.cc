#include "services/dashboard/session_store.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstdlib>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace dashboard {

namespace {

absl::Status NoSession() { return absl::UnauthenticatedError("not logged in or session ended"); }

}  // namespace

std::string NewSessionId() {
  unsigned char bytes[32];
  // Without randomness a session id could be guessed: better to stop than
  // to serve.
  if (RAND_bytes(bytes, sizeof bytes) != 1) std::abort();
  return absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

SessionStore::SessionStore(Limits limits) : limits_(limits) {}

std::string SessionStore::KeyOf(absl::string_view id) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(id.data()), id.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

SessionStore::Opened SessionStore::Open(const LoginGrant& grant, absl::Time now) {
  Opened opened;
  opened.id = NewSessionId();
  opened.expires = std::min(grant.token_expires, now + limits_.max_lifetime);
  opened.max_age_seconds = std::max<int64_t>(0, absl::ToInt64Seconds(opened.expires - now));
  absl::MutexLock lock(&mu_);
  while (!by_age_.empty() && sessions_.size() >= limits_.max_sessions) {
    EraseLocked(sessions_.find(by_age_.begin()->second));
  }
  const std::string key = KeyOf(opened.id);
  const uint64_t order = next_++;
  sessions_[key] = Entry{grant.principal, grant.token, NewSessionId(), opened.expires, order, 0};
  by_age_[order] = key;
  return opened;
}

const SessionStore::Entry* SessionStore::Live(const std::string& key, absl::Time now) const {
  auto it = sessions_.find(key);
  if (it == sessions_.end() || it->second.expires <= now) return nullptr;
  return &it->second;
}

absl::StatusOr<fed::Principal> SessionStore::Find(absl::string_view id, absl::Time now) const {
  if (id.empty()) return NoSession();
  const std::string key = KeyOf(id);
  absl::ReaderMutexLock lock(&mu_);
  const Entry* entry = Live(key, now);
  if (entry == nullptr) return NoSession();
  return entry->principal;
}

absl::StatusOr<SessionStore::Session> SessionStore::FindSession(absl::string_view id,
                                                                absl::Time now) const {
  if (id.empty()) return NoSession();
  const std::string key = KeyOf(id);
  absl::ReaderMutexLock lock(&mu_);
  const Entry* entry = Live(key, now);
  if (entry == nullptr) return NoSession();
  return Session{entry->principal, entry->token, entry->csrf_token};
}

void SessionStore::EraseLocked(Map::iterator it) {
  if (it == sessions_.end()) return;
  by_age_.erase(it->second.opened);
  sessions_.erase(it);
}

bool SessionStore::Close(absl::string_view id) {
  const std::string key = KeyOf(id);
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return false;
  EraseLocked(it);
  return true;
}

size_t SessionStore::Sweep(absl::Time now) {
  absl::MutexLock lock(&mu_);
  size_t removed = 0;
  for (auto it = by_age_.begin(); it != by_age_.end();) {
    auto session = sessions_.find(it->second);
    if (session != sessions_.end() && session->second.expires > now) {
      ++it;
      continue;
    }
    if (session != sessions_.end()) sessions_.erase(session);
    it = by_age_.erase(it);
    ++removed;
  }
  return removed;
}

absl::Status SessionStore::BeginStream(absl::string_view id, absl::Time now) {
  const std::string key = KeyOf(id);
  absl::MutexLock lock(&mu_);
  if (Live(key, now) == nullptr) return NoSession();
  Entry& entry = sessions_.find(key)->second;
  if (entry.streams >= limits_.max_streams) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "at most ", limits_.max_streams, " live-update streams per session: close another tab"));
  }
  ++entry.streams;
  return absl::OkStatus();
}

void SessionStore::EndStream(absl::string_view id) {
  const std::string key = KeyOf(id);
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(key);
  // The session may have ended (logout, eviction) while the stream ran.
  if (it != sessions_.end() && it->second.streams > 0) --it->second.streams;
}

size_t SessionStore::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return sessions_.size();
}

}  // namespace dashboard
