// Deterministic "random" choices for demo data: the same on every machine
// and standard library (std::uniform_int_distribution is not), so demo loads
// are reproducible and idempotent.
#pragma once

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace fedctl::demo {

// FNV-1a of a seed text.
inline uint64_t StableHash(absl::string_view text) {
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

// splitmix64 seeded with the hash of a text such as "activity/14/2023H2".
class DemoRandom {
 public:
  explicit DemoRandom(absl::string_view seed) : state_(StableHash(seed)) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // 0..n-1 (0 when n <= 0).
  int64_t Below(int64_t n) {
    return n <= 0 ? 0 : static_cast<int64_t>(Next() % static_cast<uint64_t>(n));
  }
  // lo..hi inclusive.
  int64_t Between(int64_t lo, int64_t hi) { return lo + Below(hi - lo + 1); }
  // True with `percent` % probability.
  bool Chance(int percent) { return Below(100) < percent; }
  template <typename T, size_t N>
  const T& Pick(const T (&choices)[N]) {
    return choices[Below(N)];
  }

 private:
  uint64_t state_;
};

}  // namespace fedctl::demo
