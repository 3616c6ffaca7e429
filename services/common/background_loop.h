// One background thread that does a piece of work in rounds: the next round
// after a pause the round itself chooses (a poll interval, a backoff), at
// once when woken, and never after Stop(). Every service's follower, poller
// and forwarder is one of these instead of its own thread, condition
// variable and stop flag.
#pragma once

#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace fed {

class BackgroundLoop {
 public:
  // What a round asks for: the pause before the next one, and whether Wake()
  // may cut it short (a backoff after a failure should not be: on deadline
  // day every submission would turn it into a retry).
  struct Next {
    absl::Duration after;
    bool wakeable = true;
  };
  using Round = std::function<Next()>;

  // `name` is for the logs; `round` runs on the loop's own thread.
  BackgroundLoop(std::string name, Round round);
  ~BackgroundLoop();  // Stop()
  BackgroundLoop(const BackgroundLoop&) = delete;
  BackgroundLoop& operator=(const BackgroundLoop&) = delete;

  // Starts the thread; the first round runs at once. Does nothing when
  // already started or stopped.
  void Start();
  // Ends the pause in progress (if it is wakeable) and lets no new round
  // start, then waits for the round in progress to end. Idempotent.
  void Stop();
  // The next wakeable pause ends at once (or the one in progress does).
  void Wake();
  // For a round that waits inside (between pages, say): whether Stop() was
  // called.
  bool stopping() const;

 private:
  void Run();
  bool StoppingOrWoken() const ABSL_SHARED_LOCKS_REQUIRED(mu_) { return stopping_ || woken_; }
  bool Stopping() const ABSL_SHARED_LOCKS_REQUIRED(mu_) { return stopping_; }

  const std::string name_;
  const Round round_;
  mutable absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace fed
