// Coverage conditions are written by people at the national office and
// travel in GetCoverage requests: the fuzz bytes are the condition's text.
// A condition that parses is then evaluated over a few sets of values, as
// the aggregator does for every organisation.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "services/aggregator/condition.h"
#include "services/common/catalog.h"

namespace {

// Values by catalog index, the shapes a report's values take: nothing
// reported (NaN), all zero, and a mix of small and large numbers.
std::vector<aggregator::Values> SampleValues() {
  const int n = fed::LatestCatalog().indicators_size();
  std::vector<aggregator::Values> samples(3, aggregator::Values(n));
  for (int i = 0; i < n; ++i) {
    samples[0][i] = std::numeric_limits<double>::quiet_NaN();
    samples[1][i] = 0;
    samples[2][i] = i % 3 == 0 ? std::numeric_limits<double>::quiet_NaN() : i * 7.5;
  }
  return samples;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* const samples = new std::vector<aggregator::Values>(SampleValues());
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto condition = aggregator::ParseCondition(text);
  if (!condition.ok()) {
    // A refusal is INVALID_ARGUMENT saying where: never an empty message.
    if (condition.status().code() != absl::StatusCode::kInvalidArgument ||
        condition.status().message().empty()) {
      std::abort();
    }
    return 0;
  }
  if (*condition == nullptr) std::abort();
  for (const auto& values : *samples) (void)(*condition)->Holds(values);
  return 0;
}
