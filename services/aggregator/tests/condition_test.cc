#include "services/aggregator/condition.h"

#include <cmath>

#include <gtest/gtest.h>

namespace aggregator {
namespace {

Values With(std::vector<std::pair<std::string, double>> set) {
  Values values(IndicatorCount(), std::nan(""));
  for (const auto& [code, value] : set) values[IndicatorIndex(code)] = value;
  return values;
}

bool Eval(const std::string& text, const Values& values) {
  auto condition = ParseCondition(text);
  EXPECT_TRUE(condition.ok()) << text << ": " << condition.status();
  return condition.ok() && (*condition)->Holds(values);
}

TEST(ConditionTest, AndOrNotAndComparisons) {
  Values v = With({{"has_bulletin", 1}, {"has_website", 0}, {"workshops", 12}});
  EXPECT_FALSE(Eval("has_bulletin AND has_website", v));
  EXPECT_TRUE(Eval("has_bulletin OR has_website", v));
  EXPECT_TRUE(Eval("has_bulletin and not has_website", v));
  EXPECT_TRUE(Eval("workshops >= 10", v));
  EXPECT_FALSE(Eval("workshops < 10", v));
  EXPECT_TRUE(Eval("(has_website OR workshops > 11) AND has_bulletin", v));
}

TEST(ConditionTest, UnreportedIndicatorNeverMatches) {
  Values v = With({{"workshops", 3}});
  EXPECT_FALSE(Eval("members >= 0", v));
  EXPECT_TRUE(Eval("NOT has_website", v));  // not reported is not "has"
}

TEST(ConditionTest, MistakesAreExplained) {
  for (const char* text : {"", "workshops >=", "has_bulletin AND", "seminars > 1", "(has_bulletin",
                           "has_bulletin has_website", "workshops >= abc"}) {
    auto condition = ParseCondition(text);
    EXPECT_EQ(condition.status().code(), absl::StatusCode::kInvalidArgument) << text;
  }
}

}  // namespace
}  // namespace aggregator
