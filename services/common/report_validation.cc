#include "services/common/report_validation.h"

#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "services/common/catalog.h"
#include "services/common/dates.h"
#include "services/common/period.h"

namespace fed {
namespace {

namespace v1 = federation::v1;

constexpr size_t kMaxNarrativeChars = 20000;
constexpr int kMaxRecommendations = 50;

const char* ExpectedField(v1::IndicatorType type) {
  switch (type) {
    case v1::INDICATOR_TYPE_COUNT:
      return "count";
    case v1::INDICATOR_TYPE_BOOLEAN:
      return "flag";
    case v1::INDICATOR_TYPE_DECIMAL:
      return "decimal";
    default:
      return "value";
  }
}

bool TypeMatches(v1::IndicatorType type, v1::IndicatorValue::ValueCase value_case) {
  return (type == v1::INDICATOR_TYPE_COUNT && value_case == v1::IndicatorValue::kCount) ||
         (type == v1::INDICATOR_TYPE_BOOLEAN && value_case == v1::IndicatorValue::kFlag) ||
         (type == v1::INDICATOR_TYPE_DECIMAL && value_case == v1::IndicatorValue::kDecimal);
}

void CheckValues(Violations& v, const v1::Report& report,
                 std::map<std::string, std::pair<int, double>>* by_code) {
  for (int i = 0; i < report.values_size(); ++i) {
    const v1::IndicatorValue& value = report.values(i);
    const std::string field = absl::StrCat("values[", i, "]");
    const v1::Indicator* indicator = FindIndicator(value.code());
    if (indicator == nullptr) {
      v.Add(field + ".code", absl::StrCat("\"", value.code().substr(0, 60),
                                          "\" is not an indicator of the catalog"));
      continue;
    }
    if (!by_code->emplace(value.code(), std::make_pair(i, NumericValue(value))).second) {
      v.Add(field + ".code", absl::StrCat(value.code(), " is reported twice"));
      continue;
    }
    if (!TypeMatches(indicator->type(), value.value_case())) {
      v.Add(field, absl::StrCat(value.code(), " takes a ", ExpectedField(indicator->type()),
                                value.value_case() == v1::IndicatorValue::VALUE_NOT_SET
                                    ? " value, none given"
                                    : " value"));
      continue;
    }
    if (value.value_case() == v1::IndicatorValue::kCount && value.count() < 0) {
      v.Add(field + ".count", absl::StrCat(value.code(), " must not be negative"));
    }
    if (value.value_case() == v1::IndicatorValue::kDecimal &&
        (!std::isfinite(value.decimal()) || value.decimal() < 0)) {
      v.Add(field + ".decimal", absl::StrCat(value.code(), " must be a non-negative number"));
    }
  }
}

// Rules between indicators: "intellectuals <= members" and the like.
void CheckRelations(Violations& v, const std::map<std::string, std::pair<int, double>>& by_code) {
  const auto get = [&](const char* code) -> const std::pair<int, double>* {
    auto it = by_code.find(code);
    return it == by_code.end() ? nullptr : &it->second;
  };
  const auto at_most = [&](const char* small, const char* large) {
    const auto* s = get(small);
    const auto* l = get(large);
    if (s && l && s->second > l->second) {
      v.Add(
          absl::StrCat("values[", s->first, "].count"),
          absl::StrCat(small, " (", s->second, ") must not exceed ", large, " (", l->second, ")"));
    }
  };
  at_most("intellectuals", "members");
  at_most("contest_prizes", "contest_entries");
  const auto* by_union = get("tech_contest_by_union");
  const auto* held = get("tech_contest_held");
  if (by_union && by_union->second > 0 && (!held || held->second == 0)) {
    v.Add(absl::StrCat("values[", by_union->first, "].flag"),
          "tech_contest_by_union is true but tech_contest_held is not");
  }
}

void CheckNarrative(Violations& v, const v1::Narrative& n) {
  CheckText(v, "narrative.achievements", n.achievements(), kMaxNarrativeChars, false);
  CheckText(v, "narrative.difficulties", n.difficulties(), kMaxNarrativeChars, false);
  CheckText(v, "narrative.next_period_tasks", n.next_period_tasks(), kMaxNarrativeChars, false);
  if (n.recommendations_size() > kMaxRecommendations) {
    v.Add("narrative.recommendations", absl::StrCat("at most ", kMaxRecommendations));
    return;
  }
  for (int i = 0; i < n.recommendations_size(); ++i) {
    const std::string field = absl::StrCat("narrative.recommendations[", i, "]");
    if (n.recommendations(i).number() != i + 1) {
      v.Add(field + ".number", absl::StrCat("must be ", i + 1, " (numbered 1, 2, 3...)"));
    }
    CheckText(v, field + ".text", n.recommendations(i).text(), 4000, true);
    CheckText(v, field + ".answer", n.recommendations(i).answer(), 4000, false);
  }
}

}  // namespace

Violations ValidateReportContent(const v1::Report& report, absl::CivilDay today) {
  Violations v;
  CheckOrganizationCode(v, "organization_code", report.organization_code(), true);
  if (report.period().empty()) {
    v.Add("period", "is required");
  } else if (auto period = Period::Parse(report.period()); !period.ok()) {
    v.Add("period", period.status().message());
  } else if (period->FirstDay() > today) {
    v.Add("period", absl::StrCat(report.period(), " has not started yet (starts ",
                                 FormatDate(period->FirstDay()), ")"));
  }
  if (report.catalog_version() < 0 || report.catalog_version() > kLatestCatalogVersion) {
    v.Add("catalog_version", absl::StrCat("unknown catalog version ", report.catalog_version()));
  }
  std::map<std::string, std::pair<int, double>> by_code;
  CheckValues(v, report, &by_code);
  CheckRelations(v, by_code);
  CheckNarrative(v, report.narrative());
  return v;
}

std::vector<v1::ValidationWarning> CompareWithPrevious(const v1::Report& report,
                                                       const v1::Report& previous) {
  std::map<std::string, double> before;
  for (const auto& value : previous.values()) before[value.code()] = NumericValue(value);
  std::vector<v1::ValidationWarning> warnings;
  for (int i = 0; i < report.values_size(); ++i) {
    const auto& value = report.values(i);
    const v1::Indicator* indicator = FindIndicator(value.code());
    auto it = before.find(value.code());
    if (!indicator || it == before.end() || indicator->type() == v1::INDICATOR_TYPE_BOOLEAN)
      continue;
    const double now = NumericValue(value), then = it->second;
    const bool stock = indicator->time_aggregation() == v1::TIME_AGGREGATION_LAST;
    const bool jump =
        stock ? (then >= 10 && (now > 2 * then || now < then / 2)) : (then >= 2 && now > 5 * then);
    if (jump) {
      v1::ValidationWarning* w = &warnings.emplace_back();
      w->set_field(absl::StrCat("values[", i, "]"));
      w->set_description(absl::StrCat(value.code(), " is ", now, " against ", then, " in ",
                                      previous.period(), "; please check"));
    }
  }
  return warnings;
}

}  // namespace fed
