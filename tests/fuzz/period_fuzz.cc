// Periods ("2025H1") and dates ("2025-07-01") arrive as text in nearly every
// request and query string. The fuzz bytes are read as a period and as a
// date; when they hold two words ("2024H1 2025H2") also as a range's ends.
// What parses must print back as the same text: a second spelling of one
// period would be a second key for the same report.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "services/common/dates.h"
#include "services/common/period.h"

namespace {

void CheckPeriod(const std::string& text) {
  auto period = fed::Period::Parse(text);
  if (!period.ok()) return;
  if (period->ToString() != text) std::abort();
  if (!(period->FirstDay() <= period->LastDay()) || !(period->LastDay() < period->DueDate())) {
    std::abort();
  }
  const fed::Period previous = period->Previous();
  if (!(previous < *period) || previous.LastDay() + 1 != period->FirstDay()) std::abort();
}

void CheckDate(const std::string& text) {
  auto day = fed::ParseDate(text);
  if (day.ok() && fed::FormatDate(*day) != text) std::abort();
}

void CheckRange(const std::string& from_text, const std::string& to_text) {
  auto from = fed::Period::Parse(from_text);
  auto to = fed::Period::Parse(to_text);
  if (!from.ok() || !to.ok()) return;
  const auto range = fed::Period::Range(*from, *to);
  for (size_t i = 1; i < range.size(); ++i) {
    if (!(range[i].Previous() == range[i - 1])) std::abort();
  }
  if (!range.empty() && !(range.back() == *to)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  CheckPeriod(text);
  CheckDate(text);
  if (size_t space = text.find(' '); space != std::string::npos) {
    CheckRange(text.substr(0, space), text.substr(space + 1));
  }
  return 0;
}
