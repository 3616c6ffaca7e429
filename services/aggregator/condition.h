// Coverage conditions over a report's indicators, as the national office
// writes them: "has_bulletin AND has_website", "workshops >= 10",
// "tech_contest_held AND NOT tech_contest_by_union", with parentheses.
// A bare indicator means "is true / is more than zero"; an indicator that was
// not reported makes its comparison false.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/aggregator/figures.h"

namespace aggregator {

class Condition {
 public:
  virtual ~Condition() = default;
  virtual bool Holds(const Values& values) const = 0;
};

// INVALID_ARGUMENT naming the position and what was expected.
absl::StatusOr<std::unique_ptr<Condition>> ParseCondition(const std::string& text);

}  // namespace aggregator
