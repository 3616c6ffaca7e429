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
    : db_(db),
      figures_(figures),
      options_(std::move(options)),
      lock_(std::move(url), kLeaderLockKey, "aggregator-leader"),
      loop_("leadership", [this]() -> fed::BackgroundLoop::Next {
        return {RunRound(), /*wakeable=*/false};
      }) {}

Leadership::~Leadership() { Stop(); }

void Leadership::Stop() {
  loop_.Stop();
  if (active()) StepDown("stopping");
  lock_.Release();
}

absl::Duration Leadership::RunRound() {
  if (active()) {
    if (!lock_.StillHeld()) StepDown("the lock's database session was lost");
    return active() ? options_.active_check : options_.standby_poll;
  }
  // A standby applies what the active one committed whether or not it can
  // take over now: it is warm when its turn comes.
  if (absl::Status caught_up = CatchUp(); !caught_up.ok()) {
    spdlog::warn("event=standby_catch_up_failed error={}", fed::LogQuoted(caught_up.message()));
    return options_.standby_poll;
  }
  if (!lock_.TryTake()) return options_.standby_poll;
  if (absl::Status taken = TakeOver(); !taken.ok()) {
    spdlog::warn("event=take_over_failed error={}", fed::LogQuoted(taken.message()));
    // Let another replica try: the lock goes with the session.
    lock_.Release();
    return options_.standby_poll;
  }
  return options_.active_check;
}

absl::Status Leadership::TakeOver() {
  int64_t epoch = -1;
  int64_t applied = 0;
  int64_t repaired = 0;
  absl::Status status = db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    storage::LockFeed(txn);
    epoch = storage::TakeWriterEpoch(txn, options_.holder);
    // Under the feed's lock, after the epoch moved: nothing more can be
    // committed by anyone else, so this catch-up is complete.
    applied = ApplyCommitted(txn);
    // Standings written without a snapshot of their values (before migration
    // 005, by an older aggregator, or in another catalog's layout) get one
    // now, so that the next start-up reads them instead of recounting.
    repaired = storage::RepairValueSnapshots(txn);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  epoch_.store(epoch, std::memory_order_release);
  active_.store(true, std::memory_order_release);
  spdlog::info(
      "event=aggregator_active holder={} epoch={} caught_up={} snapshots_repaired={} "
      "last_sequence={}",
      fed::LogQuoted(options_.holder), epoch, applied, repaired, figures_.last_sequence());
  return absl::OkStatus();
}

absl::Status Leadership::CatchUp() {
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ApplyCommitted(txn);
    return absl::OkStatus();
  });
}

int64_t Leadership::ApplyCommitted(pqxx::work& txn) {
  int64_t applied = 0;
  for (int64_t got = kCatchUpSlice; got == kCatchUpSlice;) {
    got = storage::LoadStandingsSince(txn, figures_.last_sequence(), kCatchUpSlice,
                                      [&](Standing s) { figures_.Apply(std::move(s)); });
    applied += got;
  }
  return applied;
}

void Leadership::StepDown(const std::string& why) {
  active_.store(false, std::memory_order_release);
  lock_.Release();
  spdlog::warn("event=aggregator_standby holder={} reason={}", fed::LogQuoted(options_.holder),
               fed::LogQuoted(why));
}

absl::Status Leadership::CheckStillActive(pqxx::work& txn) const {
  std::string holder;
  const int64_t current = storage::WriterEpoch(txn, &holder);
  if (active() && current == epoch_.load(std::memory_order_acquire)) return absl::OkStatus();
  return absl::UnavailableError(
      absl::StrCat("this aggregator is on standby and writes nothing; the active one is ",
                   holder.empty() ? "not known yet" : holder, ": try again (the other replica)"));
}

absl::Status LockFeedForWrite(pqxx::work& txn, const Leadership* leadership) {
  storage::LockFeed(txn);
  return leadership == nullptr ? absl::OkStatus() : leadership->CheckStillActive(txn);
}

}  // namespace aggregator
