#include "services/dashboard/change_feed.h"

#include "services/common/log.h"

namespace dashboard {

ChangeFeed::ChangeFeed(Backend* backend, size_t keep) : backend_(backend), keep_(keep) {}

ChangeFeed::~ChangeFeed() { Stop(); }

void ChangeFeed::Start() {
  if (backend_ == nullptr || follower_ != nullptr) return;
  follower_ = backend_->FollowChanges(
      /*after=*/0,
      [this](const fed::FeedFollower::Batch& batch) {
        std::vector<v1::ReportChange> changes;
        changes.reserve(batch.changes.size());
        for (const auto& c : batch.changes) changes.push_back(c.change());
        Append(changes, batch.live);
        return absl::OkStatus();
      },
      [this] { return Forget(); });
  follower_->Start();
}

void ChangeFeed::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;  // waiters return at once
  }
  if (follower_ != nullptr) follower_->Stop();
}

int64_t ChangeFeed::head() const {
  absl::MutexLock lock(&mu_);
  return head_;
}

bool ChangeFeed::ready() const {
  // A quiet feed sends no batch: the follower knows when it reached the head.
  if (follower_ != nullptr && follower_->caught_up()) return true;
  absl::MutexLock lock(&mu_);
  return ready_;
}

bool ChangeFeed::connected() const { return follower_ != nullptr && follower_->connected(); }

void ChangeFeed::Append(const std::vector<v1::ReportChange>& changes, bool live) {
  absl::MutexLock lock(&mu_);
  for (const auto& change : changes) {
    if (change.sequence() <= head_) continue;
    buffer_.push_back(change);
    head_ = change.sequence();
  }
  while (buffer_.size() > keep_) {
    floor_ = buffer_.front().sequence();
    buffer_.pop_front();
  }
  if (live && !ready_) {
    ready_ = true;
    spdlog::info("event=change_feed_ready head={}", head_);
  }
}

absl::Status ChangeFeed::Forget() {
  absl::MutexLock lock(&mu_);
  spdlog::warn("event=change_feed_reset head={}", head_);
  // The new feed numbers from 1 again: every waiter is ahead of it and
  // reloads (see WaitAfter).
  buffer_.clear();
  head_ = floor_ = 0;
  return absl::OkStatus();
}

ChangeFeed::Batch ChangeFeed::CollectLocked(int64_t after) const {
  Batch batch;
  batch.stopping = stop_;
  if (after < floor_) {
    batch.gap = true;
    return batch;
  }
  for (auto it = buffer_.rbegin(); it != buffer_.rend() && it->sequence() > after; ++it) {
    batch.changes.push_back(*it);
  }
  std::reverse(batch.changes.begin(), batch.changes.end());
  return batch;
}

void ChangeFeed::Kick() {
  absl::MutexLock lock(&mu_);
  ++kicks_;
}

ChangeFeed::Batch ChangeFeed::WaitAfter(int64_t after, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  const uint64_t kicks = kicks_;
  auto news = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stop_ || kicks_ != kicks || head_ > after || after < floor_ || (ready_ && after > head_);
  };
  mu_.AwaitWithTimeout(absl::Condition(&news), timeout);
  Batch batch = CollectLocked(after);
  // A cursor ahead of the feed (the aggregator's database was replaced):
  // the page must reload.
  if (ready_ && after > head_) batch.gap = true;
  return batch;
}

}  // namespace dashboard
