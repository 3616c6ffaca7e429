#include "services/common/background_loop.h"

#include "services/common/log.h"

namespace fed {

BackgroundLoop::BackgroundLoop(std::string name, Round round)
    : name_(std::move(name)), round_(std::move(round)) {}

BackgroundLoop::~BackgroundLoop() { Stop(); }

void BackgroundLoop::Start() {
  absl::MutexLock lock(&mu_);
  if (started_ || stopping_) return;
  started_ = true;
  thread_ = std::thread([this] { Run(); });
}

void BackgroundLoop::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  // Only the thread that started the loop, or its owner's destructor, stops
  // it: thread_ is not touched by Run().
  if (thread_.joinable()) thread_.join();
}

void BackgroundLoop::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

bool BackgroundLoop::stopping() const {
  absl::MutexLock lock(&mu_);
  return stopping_;
}

void BackgroundLoop::Run() {
  spdlog::debug("event=loop_started loop={}", name_);
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) break;
      woken_ = false;  // a wake before this round is served by this round
    }
    const Next next = round_();
    absl::MutexLock lock(&mu_);
    if (next.wakeable) {
      mu_.AwaitWithTimeout(absl::Condition(this, &BackgroundLoop::StoppingOrWoken), next.after);
    } else {
      mu_.AwaitWithTimeout(absl::Condition(this, &BackgroundLoop::Stopping), next.after);
    }
    if (stopping_) break;
  }
  spdlog::debug("event=loop_stopped loop={}", name_);
}

}  // namespace fed
