// A contest with known answers, for the calibration tests and benchmark:
// entries of planted quality, judges of planted offset, every sheet
// quality + offset + noise. Deterministic for a seed: its own normal
// deviates (Box-Muller over mt19937), not std::normal_distribution, whose
// sequence the standard leaves to each library.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/competition/calibration.h"

namespace competition {

struct SimulatedContest {
  std::vector<double> quality;  // by entry id - 1
  std::vector<double> offset;   // by judge index
  std::vector<SheetTotal> sheets;
};

struct SimulationPlan {
  int entries = 100;
  std::vector<double> offsets;  // one judge per value
  int min_sheets = 3;
  int max_sheets = 7;
  double quality_low = 70;
  double quality_high = 80;
  double noise_sd = 1.5;
  uint32_t seed = 20261130;
};

inline std::string SimulatedJudge(size_t index) { return absl::StrCat("judge-", 100 + index); }

inline SimulatedContest Simulate(const SimulationPlan& plan) {
  std::mt19937 random(plan.seed);
  auto uniform = [&] { return (random() + 0.5) / 4294967296.0; };  // (0, 1)
  auto normal = [&] {
    return std::sqrt(-2 * std::log(uniform())) * std::cos(2 * M_PI * uniform());
  };
  SimulatedContest contest;
  contest.offset = plan.offsets;
  const size_t judges = plan.offsets.size();
  for (int e = 0; e < plan.entries; ++e) {
    const double quality = plan.quality_low + (plan.quality_high - plan.quality_low) * uniform();
    contest.quality.push_back(quality);
    const int span = plan.max_sheets - plan.min_sheets + 1;
    const size_t sheets = std::min<size_t>(judges, plan.min_sheets + random() % span);
    // `sheets` distinct judges from a random start, stepping through all.
    const size_t start = random() % judges;
    for (size_t k = 0; k < sheets; ++k) {
      const size_t j = (start + k) % judges;
      contest.sheets.push_back(
          {SimulatedJudge(j), e + 1, quality + plan.offsets[j] + plan.noise_sd * normal()});
    }
  }
  return contest;
}

}  // namespace competition
