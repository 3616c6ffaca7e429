// National figures, answered from the in-memory figures (see figures.h) and
// the registry's organisational map; nothing here scans reports.
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "services/aggregator/access.h"
#include "services/aggregator/aggregator.h"
#include "services/aggregator/condition.h"
#include "services/aggregator/validate.h"
#include "services/common/catalog.h"
#include "services/common/dates.h"
#include "services/common/period.h"
#include "services/common/status.h"

namespace aggregator {
namespace {

Scope ScopeOf(bool include_submitted) {
  return include_submitted ? Scope::kIncludingSubmitted : Scope::kAccepted;
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
  RETURN_IF_ERROR(RequireNationalDetail(who, req.include_submitted(), "include_submitted"));
  fed::Period period;
  std::vector<int> indexes;
  RETURN_IF_ERROR(ValidateTotals(req, &period, &indexes).ToStatus());
  *out = figures_.Totals(period.ToString(), ScopeOf(req.include_submitted()), indexes);
  return absl::OkStatus();
}

absl::Status Aggregator::GetCoverage(const Principal& who, const v1::CoverageRequest& req,
                                     v1::CoverageResponse* out) {
  RETURN_IF_ERROR(RequireFiguresReader(who));
  RETURN_IF_ERROR(RequireNationalDetail(who, req.include_submitted(), "include_submitted"));
  fed::Period period;
  std::unique_ptr<Condition> condition;
  std::string day;
  RETURN_IF_ERROR(ValidateCoverage(req, &period, &condition, &day).ToStatus());

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
    } else if (condition->Holds(Combine(parts))) {
      out->add_matching_codes(org.code());
    }
  }
  out->set_matching(out->matching_codes_size());
  out->set_of(static_cast<int32_t>(expected->size()));
  if (SeesOnlyAggregates(who)) {
    out->clear_matching_codes();
    out->clear_without_report_codes();
  }
  return absl::OkStatus();
}

absl::Status Aggregator::GetCompleteness(const Principal& who, const v1::CompletenessRequest& req,
                                         v1::CompletenessResponse* out) {
  RETURN_IF_ERROR(RequireFiguresReader(who));
  RETURN_IF_ERROR(RequireNationalDetail(who, req.include_reporters(), "include_reporters"));
  fed::Period period;
  std::string day;
  RETURN_IF_ERROR(ValidateCompleteness(req, &period, &day).ToStatus());
  // The counts stay; which province is late or missing is not a province's.
  auto scope = absl::MakeCleanup([&] {
    if (SeesOnlyAggregates(who)) {
      out->clear_late_codes();
      out->clear_missing_codes();
    }
  });

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
  if (completeness_memo_.size() >= kMaxCompletenessMemo) {
    // Bounded: the keys are the callers' (any period, any day). Answers built
    // before the last change are of no use any more; if that frees nothing,
    // start over.
    for (auto it = completeness_memo_.begin(); it != completeness_memo_.end();) {
      it = it->second.sequence != sequence ? completeness_memo_.erase(it) : std::next(it);
    }
    if (completeness_memo_.size() >= kMaxCompletenessMemo) completeness_memo_.clear();
  }
  completeness_memo_[memo_key] = {sequence, expected, *out};
  return absl::OkStatus();
}

absl::Status Aggregator::GetSeries(const Principal& who, const v1::SeriesRequest& req,
                                   v1::SeriesResponse* out) {
  RETURN_IF_ERROR(RequireSeriesReader(who, req.organization_code()));
  std::vector<fed::Period> periods;
  std::vector<int> indexes;
  RETURN_IF_ERROR(ValidateSeries(req, &periods, &indexes).ToStatus());

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
  RETURN_IF_ERROR(RequireValuesReader(who, req.organization_codes()));
  fed::Period period;
  RETURN_IF_ERROR(ValidateCountedValues(req, &period).ToStatus());
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
