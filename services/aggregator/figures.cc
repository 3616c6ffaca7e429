#include "services/aggregator/figures.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "services/common/catalog.h"
#include "services/common/timestamp.h"

namespace aggregator {
namespace {

constexpr double kAbsent = std::numeric_limits<double>::quiet_NaN();

// A year from its halves: flows add up, yes/no holds if it held in either
// half, stocks are the year-end (H2) value. A stock is not carried over from
// H1 when H2 is missing: an organisation merged away mid-year would
// otherwise be counted again inside its successor's year-end figure.
Values DeriveYear(const Values* h1, const Values* h2) {
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
  if (s->accepted_revision > 0) return &s->AcceptedValues();
  return nullptr;
}

// What a year counts for one organisation, from its annual report and its
// halves' standings (any may be null): the annual report's values, else the
// year its halves derive (written to *year, *derived set), else nullptr.
const Values* YearCounted(const Standing* whole, const Standing* h1, const Standing* h2,
                          Scope scope, Values* year, bool* derived) {
  *derived = false;
  if (const Values* own = CountedOf(whole, scope)) return own;
  const Values* a = CountedOf(h1, scope);
  const Values* b = CountedOf(h2, scope);
  if (a == nullptr && b == nullptr) return nullptr;
  *derived = true;
  *year = DeriveYear(a, b);
  return year;
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
  const Standing* own = FindLocked(org, period.ToString());
  const Values* values = CountedOf(own, scope);
  Values year;
  if (values == nullptr && period.kind == fed::Period::Kind::kYear) {
    fed::Period half{period.year, fed::Period::Kind::kHalf, 1};
    const Standing* h1 = FindLocked(org, half.ToString());
    half.index = 2;
    values = YearCounted(own, h1, FindLocked(org, half.ToString()), scope, &year, derived);
  }
  if (values == nullptr) return std::nullopt;
  return *values;
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

void Figures::Loaded::Place(Standing standing) {
  auto period = by_period_.find(standing.period);
  if (period == by_period_.end()) {
    if (!fed::Period::Parse(standing.period).ok()) return;  // as Record
    period = by_period_.try_emplace(standing.period).first;
  }
  last_sequence_ = std::max(last_sequence_, standing.sequence);
  auto [slot, inserted] = period->second.try_emplace(standing.organization_code);
  if (inserted || slot->second.sequence < standing.sequence) slot->second = std::move(standing);
}

void Figures::Rebuild(std::vector<Standing> standings) {
  Loaded loaded;
  for (auto& s : standings) loaded.Place(std::move(s));
  Rebuild(std::move(loaded));
}

void Figures::Rebuild(Loaded loaded) {
  bool empty;
  {
    absl::ReaderMutexLock lock(&mu_);
    empty = by_period_.empty();
  }
  if (!empty) {
    for (auto& [period, reports] : loaded.by_period_) {
      for (auto& [org, s] : reports) Apply(std::move(s));
    }
    return;
  }
  std::function<void()> listener;
  {
    absl::MutexLock lock(&mu_);
    listener = on_applied_;
    by_period_ = std::move(loaded.by_period_);
    last_sequence_ = loaded.last_sequence_;
    // What each counts where Record would count it: its own period, and a
    // half-year's year (AddYear).
    std::set<std::string> years;
    for (const auto& [name, reports] : by_period_) {
      const fed::Period period = *fed::Period::Parse(name);
      if (period.kind == fed::Period::Kind::kYear) {
        years.insert(name);
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
        years.insert(fed::Period{period.year, fed::Period::Kind::kYear, 0}.ToString());
      }
    }
    for (const std::string& year : years) AddYear(*fed::Period::Parse(year));
  }
  if (listener) listener();
}

void Figures::AddYear(const fed::Period& year) {
  const std::string name = year.ToString();
  const auto table = [&](const fed::Period& period) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto it = by_period_.find(period.ToString());
    return it == by_period_.end() ? static_cast<const ByOrganization*>(nullptr) : &it->second;
  };
  const ByOrganization* own = table(year);
  const ByOrganization* h1 = table(fed::Period{year.year, fed::Period::Kind::kHalf, 1});
  const ByOrganization* h2 = table(fed::Period{year.year, fed::Period::Kind::kHalf, 2});
  const auto in = [](const ByOrganization* t, const std::string& org) -> const Standing* {
    if (t == nullptr) return nullptr;
    auto it = t->find(org);
    return it == t->end() ? nullptr : &it->second;
  };
  // What CountedLocked counts for the year, without building the periods'
  // names or copying the values per organisation.
  const auto count = [&](const std::string& org) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (Scope scope : {Scope::kAccepted, Scope::kIncludingSubmitted}) {
      Values year;
      bool derived = false;
      const Values* values =
          YearCounted(in(own, org), in(h1, org), in(h2, org), scope, &year, &derived);
      if (values == nullptr) continue;
      Sums& sums = SumsOf(name, scope);
      AddTo(sums.value, sums.reporting, *values, +1);
      if (derived) sums.derived += 1;
    }
  };
  // Every organisation with any of the three reports, once.
  if (h1 != nullptr) {
    for (const auto& [org, s] : *h1) count(org);
  }
  if (h2 != nullptr) {
    for (const auto& [org, s] : *h2) {
      if (in(h1, org) == nullptr) count(org);
    }
  }
  if (own != nullptr) {
    for (const auto& [org, s] : *own) {
      if (in(h1, org) == nullptr && in(h2, org) == nullptr) count(org);
    }
  }
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
