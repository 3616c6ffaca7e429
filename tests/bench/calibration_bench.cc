// The jury's statistics at the size of a large contest: by default 5,000
// entries, 200 judges, 3-7 sheets each. Prints the time and memory of the
// calibration fit and of the agreement figures against a baseline measured
// in the same run: the plain per-entry means of the same sheets, which is
// what the results page computes without them. No database, no network.
#include <sys/resource.h>

#include <cstdio>
#include <map>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "services/competition/calibration.h"
#include "services/competition/tests/simulated_contest.h"

ABSL_FLAG(int, entries, 5000, "Entries in the simulated contest.");
ABSL_FLAG(int, judges, 200, "Judges, with offsets spread evenly over [-2, +2] points.");
ABSL_FLAG(int, repeats, 5, "Runs of each measurement; the fastest is printed.");

namespace {

long PeakRssKib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

template <typename F>
double FastestMillis(int repeats, F&& run) {
  double best = 1e300;
  for (int i = 0; i < repeats; ++i) {
    const absl::Time start = absl::Now();
    run();
    best = std::min(best, absl::ToDoubleMilliseconds(absl::Now() - start));
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  competition::SimulationPlan plan;
  plan.entries = absl::GetFlag(FLAGS_entries);
  const int judges = absl::GetFlag(FLAGS_judges);
  for (int j = 0; j < judges; ++j) plan.offsets.push_back(-2 + 4.0 * j / std::max(1, judges - 1));
  const int repeats = std::max(1, absl::GetFlag(FLAGS_repeats));
  const competition::SimulatedContest contest = competition::Simulate(plan);
  std::printf("contest: %d entries, %d judges, %zu sheets\n", plan.entries, judges,
              contest.sheets.size());
  const long rss_before = PeakRssKib();

  double sink = 0;
  const double baseline = FastestMillis(repeats, [&] {
    std::map<int64_t, std::pair<double, int>> means;
    for (const auto& sheet : contest.sheets) {
      auto& [sum, count] = means[sheet.entry_id];
      sum += sheet.points;
      ++count;
    }
    for (const auto& [id, mean] : means) sink += mean.first / mean.second;
  });
  competition::Calibration fit;
  const double calibrate =
      FastestMillis(repeats, [&] { fit = competition::Calibrate(contest.sheets); });
  competition::Agreement agreement;
  const double agree =
      FastestMillis(repeats, [&] { agreement = competition::AgreementOf(contest.sheets); });
  const long rss_after = PeakRssKib();

  std::vector<double> raw, calibrated;
  for (const auto& entry : fit.entries) {
    raw.push_back(entry.raw_mean);
    calibrated.push_back(entry.calibrated);
  }
  std::printf("baseline  per-entry means      %9.2f ms\n", baseline);
  std::printf("calibrate judge-offset fit     %9.2f ms  (%.1fx the baseline, %d iterations)\n",
              calibrate, calibrate / baseline, fit.iterations);
  std::printf("agreement alpha + ICC(1)       %9.2f ms  (%.1fx the baseline)\n", agree,
              agree / baseline);
  std::printf("peak memory: %ld KiB before the statistics, %ld KiB after (+%ld KiB)\n", rss_before,
              rss_after, rss_after - rss_before);
  std::printf(
      "recovery: rank correlation with the planted quality: raw mean %.4f, calibrated %.4f\n",
      competition::SpearmanCorrelation(raw, contest.quality),
      competition::SpearmanCorrelation(calibrated, contest.quality));
  std::printf("agreement: Krippendorff's alpha (interval) %.3f, ICC(1) %.3f over %d entries\n",
              agreement.krippendorff_alpha, agreement.icc1, agreement.units);
  return sink == 0 ? 1 : 0;
}
