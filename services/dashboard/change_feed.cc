#include "services/dashboard/change_feed.h"

#include "services/common/log.h"

namespace dashboard {

namespace {
constexpr int kPage = 5000;
}

ChangeFeed::ChangeFeed(Backend* backend, absl::Duration poll_interval, size_t keep)
    : backend_(backend),
      poll_interval_(poll_interval),
      keep_(keep),
      poller_("dashboard-feed", [this] { return PollRound(); }) {}

ChangeFeed::~ChangeFeed() { Stop(); }

void ChangeFeed::Start() { poller_.Start(); }

void ChangeFeed::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;  // waiters return at once
  }
  poller_.Stop();
}

int64_t ChangeFeed::head() const {
  absl::MutexLock lock(&mu_);
  return head_;
}

bool ChangeFeed::ready() const {
  absl::MutexLock lock(&mu_);
  return ready_;
}

void ChangeFeed::Append(const std::vector<v1::ReportChange>& changes) {
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

ChangeFeed::Batch ChangeFeed::WaitAfter(int64_t after, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto news = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stop_ || head_ > after || after < floor_ || (ready_ && after > head_);
  };
  mu_.AwaitWithTimeout(absl::Condition(&news), timeout);
  Batch batch = CollectLocked(after);
  // A cursor ahead of the feed (the aggregator's database was replaced):
  // the page must reload.
  if (ready_ && after > head_) batch.gap = true;
  return batch;
}

fed::BackgroundLoop::Next ChangeFeed::PollRound() {
  int64_t after;
  {
    absl::MutexLock lock(&mu_);
    after = head_;
  }
  // Drain everything new, page by page (a catch-up at start may be large).
  bool ok = true;
  for (;;) {
    auto page = backend_->Changes(after, kPage);
    if (!page.ok()) {
      if (!failing_) {
        spdlog::warn("event=change_feed_failed error=\"{}\"", page.status().ToString());
      }
      failing_ = true;
      ok = false;
      break;
    }
    if (failing_) spdlog::info("event=change_feed_recovered after={}", after);
    failing_ = false;
    std::vector<v1::ReportChange> changes(page->changes().begin(), page->changes().end());
    Append(changes);
    if (!changes.empty()) after = changes.back().sequence();
    if (page->changes_size() < kPage) break;
  }
  absl::MutexLock lock(&mu_);
  if (ok && !ready_) {
    ready_ = true;
    spdlog::info("event=change_feed_ready head={}", head_);
  }
  return {poll_interval_};
}

}  // namespace dashboard
