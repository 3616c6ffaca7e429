#include "services/aggregator/figures.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "services/common/catalog.h"
#include "services/common/timestamp.h"

namespace aggregator {
namespace {

constexpr double kAbsent = std::numeric_limits<double>::quiet_NaN();

// A year from its halves: flows add up, yes/no holds if it held in either
// half, stocks are the year-end (H2) value. A stock is not carried over from
// H1 when H2 is missing: an organisation merged away mid-year would
// otherwise be counted again inside its successor's year-end figure.
Values DeriveYear(const std::optional<Values>& h1, const std::optional<Values>& h2) {
  const auto& catalog = fed::LatestCatalog();
  Values year(IndicatorCount(), kAbsent);
  for (int i = 0; i < IndicatorCount(); ++i) {
    const double a = h1 ? (*h1)[i] : kAbsent;
    const double b = h2 ? (*h2)[i] : kAbsent;
    switch (catalog.indicators(i).time_aggregation()) {
      case v1::TIME_AGGREGATION_SUM:
        year[i] = std::isnan(a) ? b : std::isnan(b) ? a : a + b;
        break;
      case v1::TIME_AGGREGATION_LAST:
        year[i] = b;
        break;
      default:  // ANY
        year[i] = std::isnan(a) ? b : std::isnan(b) ? a : std::max(a, b);
        break;
    }
  }
  return year;
}

// The values of one standing that count in `scope`, or nullptr.
const Values* CountedOf(const Standing* s, Scope scope) {
  if (s == nullptr) return nullptr;
  if (scope == Scope::kIncludingSubmitted &&
      (s->state == v1::REPORT_STATE_SUBMITTED || s->state == v1::REPORT_STATE_ACCEPTED)) {
    return &s->latest_values;
  }
  if (s->accepted_revision > 0) return &s->accepted_values;
  return nullptr;
}

}  // namespace

int IndicatorCount() { return fed::LatestCatalog().indicators_size(); }

Values ValuesOf(const v1::Report& report) {
  Values values(IndicatorCount(), kAbsent);
  for (const auto& value : report.values()) {
    const int i = IndicatorIndex(value.code());
    if (i >= 0) values[i] = fed::NumericValue(value);
  }
  return values;
}

const Standing* Figures::FindLocked(const std::string& org, const std::string& period) const {
  auto p = by_period_.find(period);
  if (p == by_period_.end()) return nullptr;
  auto o = p->second.find(org);
  return o == p->second.end() ? nullptr : &o->second;
}

std::optional<Values> Figures::CountedLocked(const std::string& org, const fed::Period& period,
                                             Scope scope, bool* derived) const {
  *derived = false;
  const auto counted_of = [&](const Standing* s) -> std::optional<Values> {
    const Values* values = CountedOf(s, scope);
    if (values == nullptr) return std::nullopt;
    return *values;
  };
  std::optional<Values> own = counted_of(FindLocked(org, period.ToString()));
  if (own || period.kind != fed::Period::Kind::kYear) return own;
  fed::Period half{period.year, fed::Period::Kind::kHalf, 1};
  auto h1 = counted_of(FindLocked(org, half.ToString()));
  half.index = 2;
  auto h2 = counted_of(FindLocked(org, half.ToString()));
  if (!h1 && !h2) return std::nullopt;
  *derived = true;
  return DeriveYear(h1, h2);
}

Figures::Sums& Figures::SumsOf(const std::string& period, Scope scope) {
  Sums& sums = sums_[static_cast<int>(scope)][period];
  if (sums.value.empty()) {
    sums.value.assign(IndicatorCount(), 0.0);
    sums.reporting.assign(IndicatorCount(), 0);
  }
  return sums;
}

namespace {

void AddTo(std::vector<double>& value, std::vector<int32_t>& reporting, const Values& values,
           int sign) {
  const size_t n = std::min(value.size(), values.size());
  for (size_t i = 0; i < n; ++i) {
    if (std::isnan(values[i])) continue;
    value[i] += sign * values[i];
    reporting[i] += sign;
  }
}

}  // namespace

void Figures::AddContribution(const std::string& period, Scope scope,
                              const std::optional<Values>& values, bool derived, int sign) {
  if (!values) return;
  Sums& sums = SumsOf(period, scope);
  AddTo(sums.value, sums.reporting, *values, sign);
  if (derived) sums.derived += sign;
}

void Figures::Rebuild(std::vector<Standing> standings) {
  bool empty;
  {
    absl::ReaderMutexLock lock(&mu_);
    empty = by_period_.empty();
  }
  if (!empty) {
    for (auto& s : standings) Apply(std::move(s));
    return;
  }
  std::function<void()> listener;
  {
    absl::MutexLock lock(&mu_);
    listener = on_applied_;
    // Every standing in place, the newest of each report winning; each
    // period's table sized once rather than rehashed as it grows.
    std::unordered_map<std::string, size_t> per_period;
    for (const auto& s : standings) {
      if (fed::Period::Parse(s.period).ok()) ++per_period[s.period];
    }
    for (const auto& [name, count] : per_period) by_period_[name].reserve(count);
    for (auto& s : standings) {
      if (!fed::Period::Parse(s.period).ok()) continue;  // as Record
      last_sequence_ = std::max(last_sequence_, s.sequence);
      auto [slot, inserted] = by_period_[s.period].try_emplace(s.organization_code);
      if (inserted || slot->second.sequence < s.sequence) slot->second = std::move(s);
    }
    standings.clear();
    // Then what each counts where Record would count it: its own period,
    // and a half-year's year, derived unless the year has its own report.
    std::unordered_map<std::string, std::vector<const std::string*>> years;
    for (const auto& [name, reports] : by_period_) {
      const fed::Period period = *fed::Period::Parse(name);
      if (period.kind == fed::Period::Kind::kYear) {
        for (const auto& [org, standing] : reports) years[name].push_back(&org);
        continue;
      }
      for (Scope scope : {Scope::kAccepted, Scope::kIncludingSubmitted}) {
        Sums& sums = SumsOf(name, scope);
        for (const auto& [org, standing] : reports) {
          if (const Values* values = CountedOf(&standing, scope)) {
            AddTo(sums.value, sums.reporting, *values, +1);
          }
        }
      }
      if (period.kind == fed::Period::Kind::kHalf) {
        auto& orgs = years[fed::Period{period.year, fed::Period::Kind::kYear, 0}.ToString()];
        for (const auto& [org, standing] : reports) orgs.push_back(&org);
      }
    }
    for (auto& [name, orgs] : years) {
      const fed::Period year = *fed::Period::Parse(name);
      std::sort(orgs.begin(), orgs.end(),
                [](const std::string* a, const std::string* b) { return *a < *b; });
      orgs.erase(std::unique(orgs.begin(), orgs.end(),
                             [](const std::string* a, const std::string* b) { return *a == *b; }),
                 orgs.end());
      for (Scope scope : {Scope::kAccepted, Scope::kIncludingSubmitted}) {
        for (const std::string* org : orgs) {
          bool derived = false;
          auto counted = CountedLocked(*org, year, scope, &derived);
          AddContribution(name, scope, counted, derived, +1);
        }
      }
    }
  }
  if (listener) listener();
}

void Figures::SetOnApplied(std::function<void()> listener) {
  absl::MutexLock lock(&mu_);
  on_applied_ = std::move(listener);
}

void Figures::Apply(Standing standing) {
  std::function<void()> listener;
  Record(std::move(standing), &listener);
  if (listener) listener();
}

void Figures::Record(Standing standing, std::function<void()>* listener) {
  auto period = fed::Period::Parse(standing.period);
  if (!period.ok()) return;
  absl::MutexLock lock(&mu_);
  *listener = on_applied_;
  if (const Standing* known = FindLocked(standing.organization_code, standing.period);
      known != nullptr && known->sequence >= standing.sequence) {
    return;  // an older change arriving late
  }
  std::vector<fed::Period> affected = {*period};
  if (period->kind == fed::Period::Kind::kHalf) {
    affected.push_back(fed::Period{period->year, fed::Period::Kind::kYear, 0});
  }
  const std::string org = standing.organization_code;
  for (Scope scope : {Scope::kAccepted, Scope::kIncludingSubmitted}) {
    for (const auto& p : affected) {
      bool derived = false;
      auto old = CountedLocked(org, p, scope, &derived);
      AddContribution(p.ToString(), scope, old, derived, -1);
    }
  }
  last_sequence_ = std::max(last_sequence_, standing.sequence);
  by_period_[standing.period][org] = std::move(standing);
  for (Scope scope : {Scope::kAccepted, Scope::kIncludingSubmitted}) {
    for (const auto& p : affected) {
      bool derived = false;
      auto now = CountedLocked(org, p, scope, &derived);
      AddContribution(p.ToString(), scope, now, derived, +1);
    }
  }
}

v1::TotalsResponse Figures::Totals(const std::string& period, Scope scope,
                                   const std::vector<int>& indicator_indexes) const {
  v1::TotalsResponse response;
  response.set_period(period);
  const auto& catalog = fed::LatestCatalog();
  absl::ReaderMutexLock lock(&mu_);
  auto it = sums_[static_cast<int>(scope)].find(period);
  const Sums* sums = it == sums_[static_cast<int>(scope)].end() ? nullptr : &it->second;
  response.set_derived(sums != nullptr && sums->derived > 0);
  const auto add = [&](int i) {
    v1::IndicatorTotal* total = response.add_totals();
    total->set_indicator_code(catalog.indicators(i).code());
    // Running sums of whole numbers stay exact in a double far beyond any
    // federation's size; rounding removes the -0.0 of a fully withdrawn sum.
    total->set_value(sums ? std::round(sums->value[i] * 1e6) / 1e6 : 0.0);
    total->set_reporting_organizations(sums ? sums->reporting[i] : 0);
  };
  if (indicator_indexes.empty()) {
    for (int i = 0; i < IndicatorCount(); ++i) add(i);
  } else {
    for (int i : indicator_indexes) add(i);
  }
  return response;
}

std::optional<Values> Figures::Counted(const std::string& org, const std::string& period,
                                       Scope scope) const {
  auto parsed = fed::Period::Parse(period);
  if (!parsed.ok()) return std::nullopt;
  absl::ReaderMutexLock lock(&mu_);
  bool derived = false;
  return CountedLocked(org, *parsed, scope, &derived);
}

bool Figures::DescribeChange(const v1::ReportChange& change, v1::FeedChange* out) const {
  auto period = fed::Period::Parse(change.period());
  absl::ReaderMutexLock lock(&mu_);
  const Standing* standing = FindLocked(change.organization_code(), change.period());
  if (standing == nullptr || standing->sequence < change.sequence()) return false;
  *out->mutable_change() = change;
  out->set_timely(standing->timely);
  fed::SetTimestamp(standing->first_submitted_at, out->mutable_first_submitted_at());
  if (!period.ok() || period->kind == fed::Period::Kind::kQuarter) return true;
  std::vector<fed::Period> counted = {*period};
  if (period->kind == fed::Period::Kind::kHalf) {
    counted.push_back(fed::Period{period->year, fed::Period::Kind::kYear, 0});
  }
  for (const auto& p : counted) {
    v1::CountedPeriod* entry = out->add_counted();
    entry->set_period(p.ToString());
    bool derived = false;
    auto values = CountedLocked(change.organization_code(), p, Scope::kAccepted, &derived);
    if (!values) continue;
    entry->set_present(true);
    entry->set_derived(derived);
    for (double v : *values) entry->add_values(v);
  }
  return true;
}

std::vector<Figures::Reporter> Figures::ReportersFor(const std::string& period) const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<Reporter> result;
  auto it = by_period_.find(period);
  if (it == by_period_.end()) return result;
  result.reserve(it->second.size());
  for (const auto& [org, s] : it->second) {
    result.push_back({org, s.state, s.latest_revision, s.timely, s.first_submitted_at});
  }
  return result;
}

std::optional<Standing> Figures::Find(const std::string& org, const std::string& period) const {
  absl::ReaderMutexLock lock(&mu_);
  const Standing* s = FindLocked(org, period);
  if (s == nullptr) return std::nullopt;
  return *s;
}

int64_t Figures::last_sequence() const {
  absl::ReaderMutexLock lock(&mu_);
  return last_sequence_;
}

}  // namespace aggregator
