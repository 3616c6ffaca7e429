#include "services/aggregator/feed_tail.h"

#include <algorithm>

#include "services/aggregator/storage.h"
#include "services/common/log.h"
#include "services/common/status.h"

namespace aggregator {
namespace {
constexpr int kReadPage = 1000;
}

FeedTail::FeedTail(fed::DbPool& db, Figures& figures, Options options)
    : db_(db),
      figures_(figures),
      options_(options),
      loop_("feed-tail", [this] { return Round(); }) {}

FeedTail::~FeedTail() { Stop(); }

absl::Status FeedTail::Start() {
  int64_t head = 0;
  RETURN_IF_ERROR(db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    head = storage::FeedHead(txn);
    return absl::OkStatus();
  }));
  {
    absl::MutexLock lock(&mu_);
    head_ = floor_ = head;
  }
  figures_.SetOnApplied([this] {
    {
      absl::MutexLock lock(&mu_);
      dirty_ = true;
    }
    loop_.Wake();
  });
  loop_.Start();
  return absl::OkStatus();
}

void FeedTail::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  figures_.SetOnApplied(nullptr);
  loop_.Stop();
  PokeAll(false);  // every stream sees stopping and finishes
}

int64_t FeedTail::head() const {
  absl::MutexLock lock(&mu_);
  return head_;
}

int64_t FeedTail::floor() const {
  absl::MutexLock lock(&mu_);
  return floor_;
}

FeedTail::Slice FeedTail::Collect(int64_t after,
                                  const std::function<bool(const v1::ReportChange&)>& wanted,
                                  int limit) const {
  absl::MutexLock lock(&mu_);
  Slice slice;
  slice.stopping = stopping_;
  if (after < floor_) {
    slice.below_floor = true;
    return slice;
  }
  slice.through = std::max(after, head_);
  // Held changes are in sequence order: find the first after `after`.
  auto it = std::upper_bound(
      held_.begin(), held_.end(), after,
      [](int64_t seq, const ChangePtr& change) { return seq < change->change().sequence(); });
  for (; it != held_.end(); ++it) {
    if (!wanted((*it)->change())) continue;
    if (static_cast<int>(slice.changes.size()) == limit) {
      slice.through = slice.changes.back()->change().sequence();
      break;
    }
    slice.changes.push_back(*it);
  }
  return slice;
}

void FeedTail::Subscribe(std::shared_ptr<FeedSubscriber> subscriber) {
  absl::MutexLock lock(&mu_);
  subscribers_.push_back(std::move(subscriber));
}

void FeedTail::Unsubscribe(const FeedSubscriber* subscriber) {
  absl::MutexLock lock(&mu_);
  subscribers_.erase(std::remove_if(subscribers_.begin(), subscribers_.end(),
                                    [&](const auto& s) { return s.get() == subscriber; }),
                     subscribers_.end());
}

void FeedTail::PokeAll(bool heartbeat) {
  // Poked outside the lock: a stream's Pump calls Collect.
  std::vector<std::shared_ptr<FeedSubscriber>> subscribers;
  {
    absl::MutexLock lock(&mu_);
    subscribers = subscribers_;
  }
  for (const auto& s : subscribers) s->Poke(heartbeat);
}

void FeedTail::Append(std::vector<ChangePtr> changes) {
  if (changes.empty()) return;
  {
    absl::MutexLock lock(&mu_);
    for (auto& change : changes) {
      if (change->change().sequence() <= head_) continue;
      head_ = change->change().sequence();
      held_.push_back(std::move(change));
    }
    while (held_.size() > options_.keep) {
      floor_ = held_.front()->change().sequence();
      held_.pop_front();
    }
  }
  PokeAll(false);
}

void FeedTail::AppendForTest(std::vector<v1::FeedChange> changes) {
  std::vector<ChangePtr> ptrs;
  for (auto& c : changes) ptrs.push_back(std::make_shared<const v1::FeedChange>(std::move(c)));
  Append(std::move(ptrs));
}

bool FeedTail::ReadNew() {
  for (;;) {
    const int64_t after = head();
    std::vector<v1::ReportChange> rows;
    absl::Status read = db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
      rows = storage::ListChanges(txn, after, kReadPage, {});
      return absl::OkStatus();
    });
    if (!read.ok()) {
      if (!failing_)
        spdlog::warn("event=feed_tail_read_failed error={}", fed::LogQuoted(read.message()));
      failing_ = true;
      return true;  // the safety read (or the next commit) tries again
    }
    if (failing_) spdlog::info("event=feed_tail_read_recovered after={}", after);
    failing_ = false;
    std::vector<ChangePtr> described;
    bool waiting = false;
    for (const auto& row : rows) {
      auto change = std::make_shared<v1::FeedChange>();
      if (!figures_.DescribeChange(row, change.get())) {
        // Committed, not yet applied here: its writer wakes us once it is.
        // A change from another process never will, so it goes as it is.
        const absl::Time now = absl::Now();
        if (waiting_since_ == absl::InfinitePast()) waiting_since_ = now;
        if (now - waiting_since_ < options_.apply_wait) {
          waiting = true;
          break;
        }
        spdlog::warn("event=feed_change_without_figures sequence={}", row.sequence());
        *change->mutable_change() = row;
      }
      waiting_since_ = absl::InfinitePast();
      described.push_back(std::move(change));
    }
    Append(std::move(described));
    if (waiting) return false;
    if (static_cast<int>(rows.size()) < kReadPage) return true;
  }
}

fed::BackgroundLoop::Next FeedTail::Round() {
  const absl::Time now = absl::Now();
  bool read = false;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return {options_.heartbeat};
    read = dirty_ || read_again_ || now - last_read_ >= options_.safety_read;
    dirty_ = false;
  }
  if (read) {
    last_read_ = now;
    read_again_ = !ReadNew();
    if (read_again_) return {absl::Milliseconds(5)};
  }
  if (now - last_heartbeat_ >= options_.heartbeat) {
    last_heartbeat_ = now;
    PokeAll(true);
  }
  return {std::min(options_.heartbeat, options_.safety_read)};
}

}  // namespace aggregator
