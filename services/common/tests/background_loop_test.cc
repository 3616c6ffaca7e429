// The one background-loop helper: rounds run again after the pause they ask
// for, Wake() cuts a wakeable pause short (and only a wakeable one), and
// Stop() never waits out a pause.
#include "services/common/background_loop.h"

#include <atomic>

#include <gtest/gtest.h>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"

namespace fed {
namespace {

// Waits up to 10 s for `done`; the generous bound only guards a hang.
template <typename Done>
bool Eventually(Done done) {
  const absl::Time end = absl::Now() + absl::Seconds(10);
  while (absl::Now() < end) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return done();
}

TEST(BackgroundLoopTest, RunsRoundsUntilStopped) {
  std::atomic<int> rounds{0};
  BackgroundLoop loop("test", [&] {
    ++rounds;
    return BackgroundLoop::Next{absl::ZeroDuration()};
  });
  loop.Start();
  ASSERT_TRUE(Eventually([&] { return rounds.load() >= 3; }));
  loop.Stop();
  const int after_stop = rounds.load();
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(rounds.load(), after_stop) << "no round may start after Stop()";
  EXPECT_TRUE(loop.stopping());
}

TEST(BackgroundLoopTest, WakeCutsAWakeablePauseShort) {
  std::atomic<int> rounds{0};
  BackgroundLoop loop("test", [&] {
    ++rounds;
    return BackgroundLoop::Next{absl::Hours(1)};
  });
  loop.Start();
  ASSERT_TRUE(Eventually([&] { return rounds.load() == 1; }));
  loop.Wake();
  EXPECT_TRUE(Eventually([&] { return rounds.load() == 2; })) << "woken, the next round runs";
}

TEST(BackgroundLoopTest, WakeLeavesABackoffAlone) {
  std::atomic<int> rounds{0};
  absl::Notification second_round;
  BackgroundLoop loop("test", [&] {
    if (++rounds == 2) second_round.Notify();
    return BackgroundLoop::Next{absl::Hours(1), /*wakeable=*/false};
  });
  loop.Start();
  ASSERT_TRUE(Eventually([&] { return rounds.load() == 1; }));
  loop.Wake();
  EXPECT_FALSE(second_round.WaitForNotificationWithTimeout(absl::Milliseconds(200)))
      << "a backoff is not cut short by Wake()";
  loop.Stop();  // and Stop() does not wait out the hour
  EXPECT_EQ(rounds.load(), 1);
}

TEST(BackgroundLoopTest, StopBeforeStartAndTwiceIsHarmless) {
  BackgroundLoop loop("test", [] { return BackgroundLoop::Next{absl::ZeroDuration()}; });
  loop.Stop();
  loop.Start();  // after Stop(): does nothing
  loop.Stop();
  EXPECT_TRUE(loop.stopping());
}

}  // namespace
}  // namespace fed
