#include "services/common/feed_follower.h"

#include <algorithm>

#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/status.h"

namespace fed {

namespace v1 = federation::v1;

FeedFollower::FeedFollower(std::shared_ptr<grpc::Channel> aggregator, ServiceClient* calls,
                           int64_t after, Apply apply, Reset reset, Options options)
    : stub_(v1::AggregatorService::NewStub(aggregator)),
      calls_(calls),
      apply_(std::move(apply)),
      reset_(std::move(reset)),
      options_(std::move(options)),
      lag_metric_(metrics::Gauge("fed_feed_lag_seconds",
                                 "From the aggregator sending the latest answer of the change "
                                 "feed to its having been applied here.",
                                 {{"feed", calls->dependency()}})),
      cursor_metric_(metrics::Gauge("fed_feed_cursor",
                                    "The change-feed sequence this follower has applied through.",
                                    {{"feed", calls->dependency()}})),
      cursor_(after),
      organizations_(options_.organizations),
      backoff_(options_.first_backoff),
      watchdog_("feed-watchdog", [this] { return Watchdog(); }),
      reader_("feed-follower", [this] { return Session(); }) {}

FeedFollower::~FeedFollower() { Stop(); }

void FeedFollower::Start() {
  reader_.Start();
  watchdog_.Start();
}

void FeedFollower::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    if (open_ != nullptr) open_->TryCancel();
  }
  reader_.Stop();
  watchdog_.Stop();
}

void FeedFollower::SetOrganizations(std::vector<std::string> organizations) {
  absl::MutexLock lock(&mu_);
  if (organizations == organizations_) return;
  organizations_ = std::move(organizations);
  if (open_ != nullptr) {
    reopen_ = true;
    open_->TryCancel();
  }
}

int64_t FeedFollower::cursor() const {
  absl::MutexLock lock(&mu_);
  return cursor_;
}

bool FeedFollower::connected() const {
  absl::MutexLock lock(&mu_);
  return connected_;
}

bool FeedFollower::caught_up() const {
  absl::MutexLock lock(&mu_);
  return caught_up_;
}

int64_t FeedFollower::sessions() const {
  absl::MutexLock lock(&mu_);
  return sessions_;
}

bool FeedFollower::Silent() const {
  return open_ != nullptr && !applying_ && absl::Now() - last_heard_ > options_.silence_limit;
}

BackgroundLoop::Next FeedFollower::Watchdog() {
  {
    absl::MutexLock lock(&mu_);
    if (Silent()) {
      spdlog::warn("event=feed_silent dependency={} silent_ms={}", calls_->dependency(),
                   absl::ToInt64Milliseconds(absl::Now() - last_heard_));
      open_->TryCancel();  // the session opens a new stream
    }
  }
  return {options_.silence_limit / 4};
}

BackgroundLoop::Next FeedFollower::Session() {
  // No deadline: the stream lives as long as both ends do; the watchdog
  // ends it when it goes quiet.
  std::unique_ptr<grpc::ClientContext> ctx = calls_->Context(absl::InfiniteDuration());
  v1::WatchChangesRequest request;
  request.set_skip_pruned(true);
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return {absl::ZeroDuration()};
    for (const auto& code : organizations_) request.add_organization_codes(code);
    request.set_after_sequence(cursor_);
    open_ = ctx.get();
    last_heard_ = absl::Now();
    ++sessions_;
  }
  auto stream = stub_->WatchChanges(ctx.get(), request);
  v1::WatchChangesResponse answer;
  absl::Status failure;  // ours (applying), as opposed to the stream's
  bool first = true;
  int64_t received = 0;
  while (stream->Read(&answer)) {
    {
      absl::MutexLock lock(&mu_);
      last_heard_ = absl::Now();
      connected_ = true;
      applying_ = true;
    }
    if (first) {
      first = false;
      calls_->Record(absl::OkStatus());
      indicators_.assign(answer.indicator_codes().begin(), answer.indicator_codes().end());
      spdlog::info("event=feed_following dependency={} after={}", calls_->dependency(),
                   request.after_sequence());
      if (answer.pruned_gap()) {
        spdlog::warn("event=feed_gap dependency={} after={} (pruned): reloading",
                     calls_->dependency(), request.after_sequence());
        failure = reset_();
      }
    }
    if (failure.ok() && answer.changes_size() > 0) {
      Batch batch;
      batch.changes.assign(answer.changes().begin(), answer.changes().end());
      batch.through = answer.through_sequence();
      batch.indicator_codes = &indicators_;
      batch.live = answer.live();
      failure = apply_(batch);
      received += answer.changes_size();
    }
    absl::MutexLock lock(&mu_);
    applying_ = false;
    last_heard_ = absl::Now();
    if (!failure.ok()) break;
    cursor_ = std::max(cursor_, answer.through_sequence());
    // How far behind the feed this follower is: from the aggregator's
    // sending of the answer to its having been applied here.
    const absl::Time sent = absl::FromUnixSeconds(answer.sent_at().seconds()) +
                            absl::Nanoseconds(answer.sent_at().nanos());
    lag_metric_.Set(absl::ToDoubleSeconds(last_heard_ - sent));
    cursor_metric_.Set(static_cast<double>(cursor_));
    if (answer.live() && !caught_up_) {
      caught_up_ = true;
      spdlog::info("event=feed_caught_up dependency={} cursor={}", calls_->dependency(), cursor_);
    }
    backoff_ = options_.first_backoff;
  }
  if (!failure.ok()) ctx->TryCancel();
  const grpc::Status ended = stream->Finish();
  bool stopping, reopen;
  {
    absl::MutexLock lock(&mu_);
    open_ = nullptr;
    connected_ = false;
    stopping = stopping_;
    reopen = reopen_;
    reopen_ = false;
  }
  if (stopping) return {absl::ZeroDuration()};
  if (reopen && failure.ok()) return {absl::ZeroDuration()};
  if (!failure.ok()) {
    spdlog::warn("event=feed_apply_failed dependency={} error={}", calls_->dependency(),
                 LogQuoted(failure.ToString()));
  } else if (ended.error_code() == grpc::StatusCode::OUT_OF_RANGE) {
    // The aggregator's feed was replaced under us: start again from nothing.
    spdlog::error("event=feed_replaced dependency={} error={}", calls_->dependency(),
                  LogQuoted(ended.error_message()));
    if (absl::Status reset = reset_(); reset.ok()) {
      absl::MutexLock lock(&mu_);
      cursor_ = 0;
    }
  } else {
    const absl::Status status = DependencyError(calls_->dependency(), "WatchChanges", ended);
    calls_->Record(absl::IsUnavailable(status) ? status : absl::OkStatus());
    spdlog::info("event=feed_stream_ended dependency={} received={} status={}",
                 calls_->dependency(), received, LogQuoted(status.ToString()));
  }
  const absl::Duration pause = backoff_;
  backoff_ = std::min(backoff_ * 2, options_.max_backoff);
  return {pause, /*wakeable=*/false};
}

}  // namespace fed
