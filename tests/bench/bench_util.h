// Measurement helpers shared by the benchmarks: closed-loop load from N
// client threads, paced load at a fixed rate, percentiles, one printed line
// per measurement (compared with a baseline measured in the same run).
#pragma once

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/pqxx>

#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/log.h"
#include "services/common/server.h"
#include "tests/support/test_tls.h"

namespace fedbench {

// The start of every benchmark's main: flags, figures printed as they are
// measured, the services' process settings, and only warnings logged.
inline void StartBenchmark(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  fed::UseServingSettings();
  // TLS with the test certificates, as the services speak when deployed.
  fedtest::UseTestTransport();
  fed::InitLogging("bench");
  spdlog::set_level(spdlog::level::warn);
}

// What the services ask PostgreSQL per second over `window` while the
// caller does nothing: table scans (sequential and index) over every user
// table of this database, from pg_stat_user_tables. Unlike pg_stat_database's
// transaction count it leaves out autovacuum, which runs after big loads.
inline double IdleScansPerSecond(const std::string& url, absl::Duration window) {
  pqxx::connection conn(url);
  auto read = [&] {
    pqxx::nontransaction txn(conn);  // each statement its own snapshot of the statistics
    return txn
        .exec1(
            "SELECT coalesce(sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)), 0)::bigint"
            " FROM pg_stat_user_tables")[0]
        .as<int64_t>();
  };
  // A backend that has just gone idle reports its statistics up to 10 s
  // later (PostgreSQL 15's PGSTAT_IDLE_INTERVAL): settle first, or the
  // work just before is counted as idle.
  std::this_thread::sleep_for(std::chrono::seconds(11));
  const int64_t before = read();
  std::this_thread::sleep_for(absl::ToChronoSeconds(window));
  const int64_t after = read();
  return std::max<int64_t>(0, after - before) / absl::ToDoubleSeconds(window);
}

struct Latencies {
  std::vector<double> ms;
  double seconds = 0;
  int errors = 0;

  double CallsPerSecond() const { return seconds > 0 ? ms.size() / seconds : 0; }
};

// Bytes of heap this process has allocated and not freed now, in MiB
// (glibc's mallinfo2): unlike the resident size, it drops when memory is
// freed, so the difference of two readings is what was built in between.
// glibc counts its main arena only: read it around work done on the main
// thread.
inline double HeapInUseMiB() { return static_cast<double>(mallinfo2().uordblks) / (1 << 20); }

inline double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

// `clients` threads call `call(r)` back to back for `seconds`; `r` is a
// per-thread pseudo-random number for choosing what to ask. `call` returns
// whether the call succeeded.
template <typename Call>
Latencies Measure(int clients, int seconds, Call call) {
  std::vector<std::vector<double>> per_thread(clients);
  std::atomic<int> errors{0};
  const absl::Time start = absl::Now();
  const absl::Time end = start + absl::Seconds(seconds);
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(t);
      while (absl::Now() < end) {
        const absl::Time before = absl::Now();
        if (!call(rng())) errors++;
        per_thread[t].push_back(absl::ToDoubleMilliseconds(absl::Now() - before));
      }
    });
  }
  for (auto& th : threads) th.join();
  Latencies result;
  result.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  result.errors = errors;
  for (auto& v : per_thread) result.ms.insert(result.ms.end(), v.begin(), v.end());
  return result;
}

// Each of `clients` threads calls `call(thread, i)` `rate` times a second
// for `seconds` (an open-loop load, as judges scoring at their own pace).
template <typename Call>
Latencies Paced(int clients, double rate, int seconds, Call call) {
  std::vector<std::vector<double>> per_thread(clients);
  std::atomic<int> errors{0};
  const absl::Time start = absl::Now();
  const absl::Duration step = absl::Seconds(1.0 / rate);
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      absl::Time next = start + step * (static_cast<double>(t) / clients);
      for (int i = 0; next < start + absl::Seconds(seconds); ++i, next += step) {
        absl::SleepFor(next - absl::Now());
        const absl::Time before = absl::Now();
        if (!call(t, i)) errors++;
        per_thread[t].push_back(absl::ToDoubleMilliseconds(absl::Now() - before));
      }
    });
  }
  for (auto& th : threads) th.join();
  Latencies result;
  result.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  result.errors = errors;
  for (auto& v : per_thread) result.ms.insert(result.ms.end(), v.begin(), v.end());
  return result;
}

// Paced, after one second at the same pace that is not counted: a fresh
// process's first calls pay for connections, prepared statements, verified
// tokens and directory caches that a running service paid for long ago.
template <typename Call>
Latencies PacedWarm(int clients, double rate, int seconds, Call call) {
  Paced(clients, rate, 1, call);
  return Paced(clients, rate, seconds, call);
}

// "  name   N calls/s  p50 x ms  p99 y ms  max z ms  errors e  (k% of trivial call)"
inline void Print(const char* name, Latencies& l, double baseline_calls_per_second = 0) {
  const double max = l.ms.empty() ? 0 : *std::max_element(l.ms.begin(), l.ms.end());
  std::printf("  %-36s %8.0f calls/s  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  errors %d", name,
              l.CallsPerSecond(), Percentile(l.ms, 0.50), Percentile(l.ms, 0.99), max, l.errors);
  if (baseline_calls_per_second > 0) {
    std::printf("  (%.0f%% of trivial call)",
                100.0 * l.CallsPerSecond() / baseline_calls_per_second);
  }
  std::printf("\n");
}

}  // namespace fedbench
