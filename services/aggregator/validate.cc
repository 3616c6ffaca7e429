#include "services/aggregator/validate.h"

#include "absl/strings/str_cat.h"
#include "services/aggregator/figures.h"
#include "services/common/dates.h"
#include "services/common/report_validation.h"

namespace aggregator {
namespace {

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

}  // namespace

fed::Violations ValidatePushedReport(const v1::Report& report, absl::CivilDay today) {
  fed::Violations v = fed::ValidateReportContent(report, today);
  if (report.revision() < 1) v.Add("revision", "must be 1 or more");
  if (report.values_size() > kMaxPushedValues) {
    v.Add("values", absl::StrCat("at most ", kMaxPushedValues, " values"));
  }
  // Stored with the revision forever and shown to reviewers: text, bounded.
  fed::CheckText(v, "submitted_by", report.submitted_by(), kMaxSubmittedByChars, false);
  if (report.has_submitted_at()) {
    // A time PostgreSQL can store and a reviewer can believe: from 2000 to
    // the end of tomorrow (Vietnam's day is ahead of many clocks).
    const google::protobuf::Timestamp& at = report.submitted_at();
    const int64_t earliest =
        absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(2000, 1, 1), fed::VietnamTimeZone()));
    const int64_t latest = absl::ToUnixSeconds(absl::FromCivil(today + 2, fed::VietnamTimeZone()));
    if (at.nanos() < 0 || at.nanos() > 999999999 || at.seconds() < earliest ||
        at.seconds() >= latest) {
      v.Add("submitted_at", "must be a time from 2000-01-01 to tomorrow");
    }
  }
  return v;
}

void CheckActiveDuring(fed::Violations& v, const v1::Organization& organization,
                       const v1::Report& report) {
  auto period = fed::Period::Parse(report.period());
  if (!period.ok()) return;  // the content rules report a malformed period
  if (organization.active_from() > fed::FormatDate(period->LastDay()) ||
      (!organization.active_until().empty() &&
       organization.active_until() <= fed::FormatDate(period->FirstDay()))) {
    v.Add("organization_code",
          absl::StrCat(report.organization_code(), " was not active during ", report.period(),
                       " (active ", organization.active_from(), " to ",
                       organization.active_until().empty() ? "now" : organization.active_until(),
                       ")"));
  }
}

fed::Violations ValidateReportKey(const std::string& organization_code, const std::string& period) {
  fed::Violations v;
  fed::CheckOrganizationCode(v, "organization_code", organization_code, true);
  if (auto p = fed::Period::Parse(period); !p.ok()) v.Add("period", p.status().message());
  return v;
}

fed::Violations ValidateReview(const v1::ReviewRequest& req, bool comment_required) {
  fed::Violations v = ValidateReportKey(req.organization_code(), req.period());
  if (req.revision() < 1) v.Add("revision", "name the revision you reviewed (1 or more)");
  fed::CheckText(v, "comment", req.comment(), kMaxCommentChars, comment_required);
  return v;
}

fed::Violations ValidateListChanges(const v1::ListChangesRequest& req) {
  fed::Violations v;
  if (req.limit() < 0 || req.limit() > kMaxChangesPerPage) {
    v.Add("limit", absl::StrCat("must be 0 to ", kMaxChangesPerPage));
  }
  if (req.after_sequence() < 0) v.Add("after_sequence", "must not be negative");
  return v;
}

fed::Violations ValidateWatchChanges(const v1::WatchChangesRequest& req) {
  fed::Violations v;
  if (req.after_sequence() < 0) v.Add("after_sequence", "must not be negative");
  for (int i = 0; i < req.organization_codes_size(); ++i) {
    fed::CheckOrganizationCode(v, absl::StrCat("organization_codes[", i, "]"),
                               req.organization_codes(i), true);
  }
  return v;
}

fed::Violations ValidateTotals(const v1::TotalsRequest& req, fed::Period* period,
                               std::vector<int>* indexes) {
  fed::Violations v;
  CheckPeriod(v, "period", req.period(), period);
  *indexes = CheckIndicators(v, req.indicator_codes());
  return v;
}

fed::Violations ValidateCoverage(const v1::CoverageRequest& req, fed::Period* period,
                                 std::unique_ptr<Condition>* condition, std::string* map_day) {
  fed::Violations v;
  CheckPeriod(v, "period", req.period(), period);
  auto parsed = ParseCondition(req.condition());
  if (parsed.ok()) {
    *condition = std::move(*parsed);
  } else {
    v.Add("condition", parsed.status().message());
  }
  *map_day = MapDay(v, req.as_of(), *period);
  return v;
}

fed::Violations ValidateCompleteness(const v1::CompletenessRequest& req, fed::Period* period,
                                     std::string* map_day) {
  fed::Violations v;
  CheckPeriod(v, "period", req.period(), period);
  *map_day = MapDay(v, req.as_of(), *period);
  return v;
}

fed::Violations ValidateSeries(const v1::SeriesRequest& req, std::vector<fed::Period>* periods,
                               std::vector<int>* indexes) {
  fed::Violations v;
  fed::CheckOrganizationCode(v, "organization_code", req.organization_code(), true);
  fed::Period from, to;
  CheckPeriod(v, "from_period", req.from_period(), &from);
  CheckPeriod(v, "to_period", req.to_period(), &to);
  if (req.indicator_codes_size() == 0) v.Add("indicator_codes", "name at least one indicator");
  *indexes = CheckIndicators(v, req.indicator_codes());
  if (v.empty()) {
    *periods = fed::Period::Range(from, to);
    if (from.kind != to.kind) {
      v.Add("to_period", "must be the same kind of period as from_period");
    } else if (periods->empty()) {
      v.Add("to_period", "must not be before from_period");
    } else if (static_cast<int>(periods->size()) > kMaxSeriesPeriods) {
      v.Add("to_period", absl::StrCat("at most ", kMaxSeriesPeriods, " periods"));
    }
  }
  return v;
}

fed::Violations ValidateCountedValues(const v1::CountedValuesRequest& req, fed::Period* period) {
  fed::Violations v;
  CheckPeriod(v, "period", req.period(), period);
  const int n = req.organization_codes_size();
  if (n == 0 || n > kMaxCountedOrganizations) {
    v.Add("organization_codes",
          absl::StrCat("name 1 to ", kMaxCountedOrganizations, " organisations"));
  }
  for (int i = 0; i < n && i < kMaxCountedOrganizations; ++i) {
    fed::CheckOrganizationCode(v, absl::StrCat("organization_codes[", i, "]"),
                               req.organization_codes(i), true);
  }
  return v;
}

}  // namespace aggregator
