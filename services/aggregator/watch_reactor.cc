#include "services/aggregator/watch_reactor.h"

#include "absl/strings/str_cat.h"
#include "services/aggregator/access.h"
#include "services/aggregator/validate.h"
#include "services/common/catalog.h"
#include "services/common/log.h"
#include "services/common/status.h"
#include "services/common/timestamp.h"

namespace aggregator {

void WatchLink::Poke(bool heartbeat) {
  absl::MutexLock lock(&mu_);
  if (reactor_ != nullptr) reactor_->Pump(heartbeat);
}

void WatchLink::Detach() {
  absl::MutexLock lock(&mu_);
  reactor_ = nullptr;
}

WatchReactor::WatchReactor(Aggregator* aggregator, FeedTail* tail, fed::WorkerPool* workers,
                           absl::StatusOr<fed::Principal> who,
                           const v1::WatchChangesRequest& request)
    : aggregator_(aggregator),
      tail_(tail),
      workers_(workers),
      link_(std::make_shared<WatchLink>(this)) {
  absl::MutexLock lock(&mu_);
  if (!who.ok()) {
    FinishOnce(who.status());
    return;
  }
  subject_ = who->subject;
  // Who may follow what comes first, as in ListChanges.
  auto scope = FeedScope(*who, request.organization_codes());
  if (!scope.ok()) {
    FinishOnce(scope.status());
    return;
  }
  if (absl::Status invalid = ValidateWatchChanges(request).ToStatus(); !invalid.ok()) {
    FinishOnce(invalid);
    return;
  }
  organizations_.insert(scope->begin(), scope->end());
  skip_pruned_ = request.skip_pruned();
  cursor_ = request.after_sequence();
  if (const int64_t head = tail_->head(); cursor_ > head) {
    // Only a feed that was replaced (a restored database) is behind its
    // follower: resuming would silently wait for numbers already used.
    FinishOnce(absl::OutOfRangeError(
        absl::StrCat("after_sequence ", cursor_, " is ahead of the feed (its newest change is ",
                     head, "): the feed was replaced; reload and follow from ", head)));
    return;
  }
  tail_->Subscribe(link_);
  Advance(false);
}

bool WatchReactor::Wanted(const v1::ReportChange& change) const {
  return organizations_.empty() || organizations_.count(change.organization_code()) > 0;
}

void WatchReactor::Pump(bool heartbeat) {
  absl::MutexLock lock(&mu_);
  Advance(heartbeat);
}

void WatchReactor::Advance(bool heartbeat) {
  if (finished_ || writing_ || reading_) return;
  if (cancelled_) return FinishOnce(absl::CancelledError("the follower went away"));
  if (!failure_.ok()) return FinishOnce(failure_);
  if (database_through_ >= 0) {
    const int64_t through = database_through_;
    database_through_ = -1;
    return Write(std::move(from_database_), through, through >= tail_->head());
  }
  FeedTail::Slice slice = tail_->Collect(
      cursor_, [this](const v1::ReportChange& c) { return Wanted(c); }, kPage);
  if (slice.stopping) {
    return FinishOnce(absl::UnavailableError(
        absl::StrCat("the aggregator is shutting down; resume after sequence ", cursor_)));
  }
  // The first step always reads PostgreSQL: the horizon may have moved past
  // the caller's cursor even while the changes are still held here.
  if (slice.below_floor || !horizon_checked_) {
    reading_ = true;
    workers_->Submit([this] { ReadDatabase(); });
    return;
  }
  if (!slice.changes.empty() || !first_sent_ || heartbeat) {
    const bool live = slice.through >= tail_->head();
    return Write(std::move(slice.changes), slice.through, live);
  }
  // Only others' changes were new: passed over now, told in the next heartbeat.
  cursor_ = slice.through;
}

void WatchReactor::ReadDatabase() {
  int64_t after;
  bool skip_pruned;
  {
    absl::MutexLock lock(&mu_);
    after = cursor_;
    skip_pruned = skip_pruned_ && !first_sent_;
  }
  const std::vector<std::string> organizations(organizations_.begin(), organizations_.end());
  auto page = aggregator_->ReadFeed(after, organizations, kPage, skip_pruned);
  std::vector<FeedTail::ChangePtr> described;
  if (page.ok()) {
    for (const auto& row : page->changes) {
      auto change = std::make_shared<v1::FeedChange>();
      // Figures as they stand now: a follower catching up sees the newest.
      if (!aggregator_->figures().DescribeChange(row, change.get())) {
        *change->mutable_change() = row;
      }
      described.push_back(std::move(change));
    }
  }
  absl::MutexLock lock(&mu_);
  reading_ = false;
  horizon_checked_ = true;
  if (!page.ok()) {
    failure_ = page.status();
  } else {
    pruned_gap_ = pruned_gap_ || page->pruned_gap;
    from_database_ = std::move(described);
    database_through_ = page->through;
  }
  Advance(false);
}

void WatchReactor::Write(std::vector<FeedTail::ChangePtr> changes, int64_t through, bool live) {
  out_.Clear();
  for (const auto& change : changes) *out_.add_changes() = *change;
  out_.set_through_sequence(through);
  out_.set_live(live);
  if (!first_sent_) {
    for (const auto& indicator : fed::LatestCatalog().indicators()) {
      out_.add_indicator_codes(indicator.code());
    }
    out_.set_pruned_gap(pruned_gap_);
    first_sent_ = true;
  }
  fed::SetTimestamp(absl::Now(), out_.mutable_sent_at());
  cursor_ = through;
  sent_changes_ += static_cast<int64_t>(changes.size());
  writing_ = true;
  StartWrite(&out_);
}

void WatchReactor::FinishOnce(const absl::Status& status) {
  if (finished_) return;
  finished_ = true;
  const double seconds = absl::ToDoubleSeconds(absl::Now() - started_);
  if (status.ok() || absl::IsCancelled(status) || absl::IsUnavailable(status)) {
    spdlog::info("event=watch_ended subject={} changes={} cursor={} seconds={:.1f} status={}",
                 fed::LogQuoted(subject_), sent_changes_, cursor_, seconds,
                 fed::LogQuoted(status.ToString()));
  } else {
    spdlog::warn("event=watch_refused subject={} status={}", fed::LogQuoted(subject_),
                 fed::LogQuoted(status.ToString()));
  }
  Finish(fed::ToGrpcStatus(status));
}

void WatchReactor::OnWriteDone(bool ok) {
  absl::MutexLock lock(&mu_);
  writing_ = false;
  if (!ok) cancelled_ = true;  // the follower is gone
  Advance(false);
}

void WatchReactor::OnCancel() {
  absl::MutexLock lock(&mu_);
  cancelled_ = true;
  Advance(false);
}

void WatchReactor::OnDone() {
  link_->Detach();
  tail_->Unsubscribe(link_.get());
  delete this;
}

}  // namespace aggregator
