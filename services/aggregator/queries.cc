// National figures, answered from the in-memory figures (see figures.h) and
// the registry's organisational map; nothing here scans reports.
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "services/aggregator/aggregator.h"
#include "services/aggregator/condition.h"
#include "services/common/catalog.h"
#include "services/common/dates.h"
#include "services/common/period.h"
#include "services/common/status.h"
#include "services/common/validation.h"

namespace aggregator {
namespace {

constexpr int kMaxSeriesPeriods = 200;
constexpr int kMaxCountedOrganizations = 10000;

// National figures are for every role that reads (not contest judges).
absl::Status RequireFiguresReader(const Principal& who) {
  return fed::RequireRole(
      who, {v1::ROLE_VIEWER, v1::ROLE_NATIONAL_REVIEWER, v1::ROLE_NATIONAL_ADMIN, v1::ROLE_SERVICE,
            v1::ROLE_PROVINCE_REPORTER});
}

Scope ScopeOf(bool include_submitted) {
  return include_submitted ? Scope::kIncludingSubmitted : Scope::kAccepted;
}

void CheckPeriod(fed::Violations& v, const std::string& field, const std::string& text,
                 fed::Period* out) {
  auto p = fed::Period::Parse(text);
  if (!p.ok()) {
    v.Add(field, text.empty() ? "is required" : std::string(p.status().message()));
  } else {
    *out = *p;
  }
}

std::vector<int> CheckIndicators(fed::Violations& v,
                                 const google::protobuf::RepeatedPtrField<std::string>& codes) {
  std::vector<int> indexes;
  for (int i = 0; i < codes.size(); ++i) {
    const int index = IndicatorIndex(codes[i]);
    if (index < 0) {
      v.Add(absl::StrCat("indicator_codes[", i, "]"),
            absl::StrCat("\"", codes[i].substr(0, 60), "\" is not an indicator of the catalog"));
    }
    indexes.push_back(index);
  }
  return indexes;
}

// The organisational map to count against: as_of, or the period's last day.
std::string MapDay(fed::Violations& v, const std::string& as_of, const fed::Period& period) {
  if (as_of.empty()) return fed::FormatDate(period.LastDay());
  if (auto day = fed::ParseDate(as_of); !day.ok()) v.Add("as_of", day.status().message());
  return as_of;
}

v1::OrganizationKind KindOrProvinces(v1::OrganizationKind kind) {
  return kind == v1::ORGANIZATION_KIND_UNSPECIFIED ? v1::ORGANIZATION_KIND_PROVINCIAL_UNION : kind;
}

// Several organisations' values as one (a successor with its predecessors):
// counts add up, yes/no holds if it holds for any.
Values Combine(const std::vector<Values>& parts) {
  const auto& catalog = fed::LatestCatalog();
  Values combined(IndicatorCount(), std::nan(""));
  for (const Values& part : parts) {
    for (int i = 0; i < IndicatorCount(); ++i) {
      if (std::isnan(part[i])) continue;
      if (std::isnan(combined[i])) {
        combined[i] = part[i];
      } else if (catalog.indicators(i).space_aggregation() == v1::SPACE_AGGREGATION_COUNT_TRUE) {
        combined[i] = std::max(combined[i], part[i]);
      } else {
        combined[i] += part[i];
      }
    }
  }
  return combined;
}

}  // namespace

absl::Status Aggregator::GetTotals(const Principal& who, const v1::TotalsRequest& req,
                                   v1::TotalsResponse* out) {
  RETURN_IF_ERROR(RequireFiguresReader(who));
  fed::Violations v;
  fed::Period period;
  CheckPeriod(v, "period", req.period(), &period);
  std::vector<int> indexes = CheckIndicators(v, req.indicator_codes());
  RETURN_IF_ERROR(v.ToStatus());
  *out = figures_.Totals(period.ToString(), ScopeOf(req.include_submitted()), indexes);
  return absl::OkStatus();
}

absl::Status Aggregator::GetCoverage(const Principal& who, const v1::CoverageRequest& req,
                                     v1::CoverageResponse* out) {
  RETURN_IF_ERROR(RequireFiguresReader(who));
  fed::Violations v;
  fed::Period period;
  CheckPeriod(v, "period", req.period(), &period);
  auto condition = ParseCondition(req.condition());
  if (!condition.ok()) v.Add("condition", condition.status().message());
  const std::string day = MapDay(v, req.as_of(), period);
  RETURN_IF_ERROR(v.ToStatus());

  ASSIGN_OR_RETURN(auto expected,
                   directory_.OrganizationsOn(KindOrProvinces(req.reporter_kind()), day));
  const Scope scope = ScopeOf(req.include_submitted());
  const std::string p = period.ToString();
  for (const auto& org : *expected) {
    std::vector<Values> parts;
    if (auto own = figures_.Counted(org.code(), p, scope)) parts.push_back(*own);
    if (req.roll_up()) {
      ASSIGN_OR_RETURN(auto predecessors, directory_.Predecessors(org.code()));
      for (const auto& code : predecessors) {
        if (auto theirs = figures_.Counted(code, p, scope)) parts.push_back(*theirs);
      }
    }
    if (parts.empty()) {
      out->add_without_report_codes(org.code());
    } else if ((*condition)->Holds(Combine(parts))) {
      out->add_matching_codes(org.code());
    }
  }
  out->set_matching(out->matching_codes_size());
  out->set_of(static_cast<int32_t>(expected->size()));
  return absl::OkStatus();
}

absl::Status Aggregator::GetCompleteness(const Principal& who, const v1::CompletenessRequest& req,
                                         v1::CompletenessResponse* out) {
  RETURN_IF_ERROR(RequireFiguresReader(who));
  fed::Violations v;
  fed::Period period;
  CheckPeriod(v, "period", req.period(), &period);
  const std::string day = MapDay(v, req.as_of(), period);
  RETURN_IF_ERROR(v.ToStatus());

  ASSIGN_OR_RETURN(auto expected,
                   directory_.OrganizationsOn(KindOrProvinces(req.reporter_kind()), day));
  // On deadline day the board asks far more often than reports change: the
  // answer is kept until the figures or the expected list move on.
  const std::string memo_key = absl::StrCat(period.ToString(), "|", day, "|", req.reporter_kind(),
                                            "|", req.include_reporters());
  const int64_t sequence = figures_.last_sequence();
  {
    absl::MutexLock lock(&memo_mu_);
    auto it = completeness_memo_.find(memo_key);
    if (it != completeness_memo_.end() && it->second.sequence == sequence &&
        it->second.expected == expected) {
      *out = it->second.response;
      return absl::OkStatus();
    }
  }
  std::unordered_map<std::string, Figures::Reporter> received;
  for (auto& r : figures_.ReportersFor(period.ToString())) {
    received.emplace(r.organization_code, std::move(r));
  }
  out->set_period(period.ToString());
  out->set_due_date(fed::FormatDate(period.DueDate()));
  out->set_expected(static_cast<int32_t>(expected->size()));
  for (const auto& org : *expected) {
    auto it = received.find(org.code());
    v1::ReporterStatus status;
    status.set_organization_code(org.code());
    status.set_organization_name(org.short_name().empty() ? org.name() : org.short_name());
    if (it == received.end()) {
      out->add_missing_codes(org.code());
    } else {
      const Figures::Reporter& r = it->second;
      status.set_state(r.state);
      status.set_latest_revision(r.latest_revision);
      status.mutable_first_submitted_at()->set_seconds(absl::ToUnixSeconds(r.first_submitted_at));
      status.set_late(!r.timely);
      out->set_submitted(out->submitted() + 1);
      if (r.state == v1::REPORT_STATE_ACCEPTED) out->set_accepted(out->accepted() + 1);
      if (r.state == v1::REPORT_STATE_RETURNED) out->set_returned(out->returned() + 1);
      if (r.timely) {
        out->set_timely(out->timely() + 1);
      } else {
        out->set_late(out->late() + 1);
        out->add_late_codes(org.code());
      }
    }
    if (req.include_reporters()) *out->add_reporters() = std::move(status);
  }
  absl::MutexLock lock(&memo_mu_);
  completeness_memo_[memo_key] = {sequence, expected, *out};
  return absl::OkStatus();
}

absl::Status Aggregator::GetSeries(const Principal& who, const v1::SeriesRequest& req,
                                   v1::SeriesResponse* out) {
  if (who.role == v1::ROLE_PROVINCE_REPORTER && who.organization_code != req.organization_code()) {
    return absl::PermissionDeniedError(absl::StrCat("organisation ", who.organization_code,
                                                    " may not read the series of ",
                                                    req.organization_code()));
  }
  RETURN_IF_ERROR(RequireFiguresReader(who));
  fed::Violations v;
  fed::CheckOrganizationCode(v, "organization_code", req.organization_code(), true);
  fed::Period from, to;
  CheckPeriod(v, "from_period", req.from_period(), &from);
  CheckPeriod(v, "to_period", req.to_period(), &to);
  if (req.indicator_codes_size() == 0) v.Add("indicator_codes", "name at least one indicator");
  std::vector<int> indexes = CheckIndicators(v, req.indicator_codes());
  std::vector<fed::Period> periods;
  if (v.empty()) {
    periods = fed::Period::Range(from, to);
    if (from.kind != to.kind) {
      v.Add("to_period", "must be the same kind of period as from_period");
    } else if (periods.empty()) {
      v.Add("to_period", "must not be before from_period");
    } else if (static_cast<int>(periods.size()) > kMaxSeriesPeriods) {
      v.Add("to_period", absl::StrCat("at most ", kMaxSeriesPeriods, " periods"));
    }
  }
  RETURN_IF_ERROR(v.ToStatus());

  std::vector<std::string> sources = {req.organization_code()};
  if (req.roll_up_predecessors()) {
    ASSIGN_OR_RETURN(auto predecessors, directory_.Predecessors(req.organization_code()));
    sources.insert(sources.end(), predecessors.begin(), predecessors.end());
  }
  const Scope scope = ScopeOf(req.include_submitted());
  for (const auto& period : periods) {
    std::vector<Values> parts;
    std::vector<std::string> contributing;
    for (const auto& code : sources) {
      if (auto values = figures_.Counted(code, period.ToString(), scope)) {
        parts.push_back(*values);
        contributing.push_back(code);
      }
    }
    const Values combined = Combine(parts);
    for (size_t k = 0; k < indexes.size(); ++k) {
      v1::SeriesPoint* point = out->add_points();
      point->set_period(period.ToString());
      point->set_indicator_code(req.indicator_codes(static_cast<int>(k)));
      const double value = combined[indexes[k]];
      point->set_present(!std::isnan(value));
      point->set_value(std::isnan(value) ? 0 : value);
      if (!std::isnan(value)) {
        for (size_t s = 0; s < parts.size(); ++s) {
          if (!std::isnan(parts[s][indexes[k]])) point->add_sources(contributing[s]);
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Aggregator::GetCountedValues(const Principal& who, const v1::CountedValuesRequest& req,
                                          v1::CountedValuesResponse* out) {
  RETURN_IF_ERROR(RequireFiguresReader(who));
  if (who.role == v1::ROLE_PROVINCE_REPORTER) {
    for (const auto& code : req.organization_codes()) {
      if (code != who.organization_code) {
        return absl::PermissionDeniedError(absl::StrCat("organisation ", who.organization_code,
                                                        " may not read the values of ",
                                                        code.substr(0, 20)));
      }
    }
  }
  fed::Violations v;
  fed::Period period;
  CheckPeriod(v, "period", req.period(), &period);
  const int n = req.organization_codes_size();
  if (n == 0 || n > kMaxCountedOrganizations) {
    v.Add("organization_codes",
          absl::StrCat("name 1 to ", kMaxCountedOrganizations, " organisations"));
  }
  for (int i = 0; i < n && i < kMaxCountedOrganizations; ++i) {
    fed::CheckOrganizationCode(v, absl::StrCat("organization_codes[", i, "]"),
                               req.organization_codes(i), true);
  }
  RETURN_IF_ERROR(v.ToStatus());
  for (const auto& indicator : fed::LatestCatalog().indicators())
    out->add_indicator_codes(indicator.code());
  const Scope scope = ScopeOf(req.include_submitted());
  const std::string p = period.ToString();
  for (const auto& code : req.organization_codes()) {
    v1::CountedValues* values = out->add_organizations();
    values->set_organization_code(code);
    if (auto counted = figures_.Counted(code, p, scope)) {
      values->set_present(true);
      *values->mutable_values() = {counted->begin(), counted->end()};
    }
  }
  return absl::OkStatus();
}

}  // namespace aggregator
