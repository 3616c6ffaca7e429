#include "services/ranking/data_cache.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "absl/strings/str_cat.h"
#include "services/common/blocking.h"
#include "services/common/catalog.h"
#include "services/common/dates.h"
#include "services/common/status.h"

namespace ranking {
namespace {

constexpr int kFetchThreads = 8;

// Runs fn(i) for i in [0, n) on a few threads; the first error wins.
template <typename Fn>
absl::Status ParallelFor(size_t n, Fn fn) {
  std::atomic<size_t> next{0};
  absl::Mutex mu;
  absl::Status first;  // guarded by mu
  auto work = [&] {
    for (size_t i; (i = next++) < n;) {
      absl::Status s = fn(i);
      if (!s.ok()) {
        absl::MutexLock lock(&mu);
        if (first.ok()) first = s;
      }
    }
  };
  const size_t threads = std::min<size_t>(kFetchThreads, n);
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  if (n > 0) work();
  for (auto& t : pool) t.join();
  absl::MutexLock lock(&mu);
  return first;
}

std::string ClusterRole(const v1::EmulationCluster& c, const std::string& code) {
  if (c.head_code() == code) return "head";
  if (c.deputy_code() == code) return "deputy";
  return "";
}

}  // namespace

std::vector<fed::Period> HalvesOf(const fed::Period& p) {
  if (p.kind == fed::Period::Kind::kHalf) return {p};
  return {{p.year, fed::Period::Kind::kHalf, 1}, {p.year, fed::Period::Kind::kHalf, 2}};
}

fed::Period YearOf(int year) { return {year, fed::Period::Kind::kYear, 0}; }

std::string DataCache::Key(const std::string& code, const std::string& period) {
  return absl::StrCat(code, "|", period);
}

absl::Status DataCache::EnsureReceipts(const std::vector<std::string>& codes,
                                       const std::vector<fed::Period>& halves, bool refetch) {
  for (const auto& half : halves) {
    const std::string p = half.ToString();
    std::vector<std::string> missing;
    {
      absl::ReaderMutexLock lock(&mu_);
      for (const auto& code : codes) {
        if (!ExpectedFor(LifeOf(code), half)) continue;  // never counted: nothing to read
        if (refetch || !receipts_.count(Key(code, p))) missing.push_back(code);
      }
    }
    if (missing.empty()) continue;
    std::map<std::string, Receipt> found;
    if (missing.size() > 1) {  // the whole board in one call
      ASSIGN_OR_RETURN(found, sources_.Receipts(p));
    }
    std::vector<std::string> single;
    for (const auto& code : missing) {
      if (!found.count(code)) single.push_back(code);
    }
    // One at a time: these read PostgreSQL at the aggregator (several in
    // parallel were seen to stall there for the call's whole deadline).
    std::vector<Receipt> singles(single.size());
    for (size_t i = 0; i < single.size(); ++i) {
      ASSIGN_OR_RETURN(singles[i], sources_.ReceiptOf(single[i], p));
    }
    absl::MutexLock lock(&mu_);
    for (const auto& code : missing) {
      if (auto it = found.find(code); it != found.end()) receipts_[Key(code, p)] = it->second;
    }
    for (size_t i = 0; i < single.size(); ++i) receipts_[Key(single[i], p)] = singles[i];
  }
  return absl::OkStatus();
}

void DataCache::CountReceipt(const std::string& code, const fed::Period& half,
                             Timeliness& t) const {
  auto it = receipts_.find(Key(code, half.ToString()));
  if (it != receipts_.end() && it->second.received) {
    (it->second.timely ? t.on_time : t.late)++;
  } else if (half.DueDate() < fed::Today()) {
    t.missing++;
  }
}

Timeliness DataCache::TimelinessOf(const std::string& code, const fed::Period& period) const {
  Timeliness t;
  const OrgLife& life = LifeOf(code);
  // Only the half-years at whose end it existed were expected from it.
  for (const auto& half : HalvesOf(period)) {
    if (ExpectedFor(life, half)) CountReceipt(code, half, t);
  }
  return t;
}

const OrgLife& DataCache::LifeOf(const std::string& code) const {
  // Not known yet (registered since the last refresh): expected like any other.
  static const OrgLife kUnknown;
  auto it = unions_.find(code);
  return it == unions_.end() ? kUnknown : it->second;
}

void DataCache::RetimeKept() {
  for (auto& [key, d] : data_) {
    const size_t bar = key.find('|');
    d.timeliness = TimelinessOf(key.substr(0, bar), *fed::Period::Parse(key.substr(bar + 1)));
  }
  for (auto& [key, d] : rolled_) {
    const size_t bar = key.find('|');
    d.timeliness = RolledTimelinessOf(key.substr(0, bar), *fed::Period::Parse(key.substr(bar + 1)));
  }
}

Timeliness DataCache::RolledTimelinessOf(const std::string& code, const fed::Period& period) const {
  Timeliness t = TimelinessOf(code, period);
  auto predecessors = predecessors_.find(code);
  if (predecessors == predecessors_.end()) return t;
  for (const auto& predecessor : predecessors->second) {
    for (const auto& half : HalvesOf(period)) {
      // Its own reports were due only while it existed on its own.
      if (half.LastDay() < predecessor.merged_on) CountReceipt(predecessor.code, half, t);
    }
  }
  return t;
}

absl::Status DataCache::FetchRanges(const std::vector<std::string>& codes, int from_year,
                                    int to_year) {
  std::vector<fed::Period> periods = fed::Period::Range({from_year, fed::Period::Kind::kHalf, 1},
                                                        {to_year, fed::Period::Kind::kHalf, 2});
  for (const auto& year : fed::Period::Range(YearOf(from_year), YearOf(to_year)))
    periods.push_back(year);
  // One bulk call per period (and 5,000 organisations), a few at a time.
  return ParallelFor(periods.size(), [&](size_t i) -> absl::Status {
    ASSIGN_OR_RETURN(auto counted, sources_.CountedValues(codes, periods[i]));
    absl::MutexLock lock(&mu_);
    for (const auto& code : codes) Keep(code, periods[i], false, std::move(counted[code]));
    return absl::OkStatus();
  });
}

void DataCache::Keep(const std::string& code, const fed::Period& period, bool roll_up,
                     Sources::Counted counted) {
  OrgPeriod& d = (roll_up ? rolled_ : data_)[Key(code, period.ToString())];
  if (counted.values.empty())
    counted.values.assign(fed::LatestCatalog().indicators_size(), std::nan(""));
  d.values = std::move(counted.values);
  d.reported = counted.reported;
  d.timeliness = roll_up ? RolledTimelinessOf(code, period) : TimelinessOf(code, period);
}

absl::Status DataCache::Fetch(const std::vector<std::string>& codes, const fed::Period& period,
                              bool roll_up, bool refetch) {
  const std::string p = period.ToString();
  std::vector<std::string> missing;
  {
    absl::ReaderMutexLock lock(&mu_);
    for (const auto& code : codes) {
      if (refetch || !(roll_up ? rolled_ : data_).count(Key(code, p))) missing.push_back(code);
    }
  }
  if (missing.empty()) return absl::OkStatus();
  RETURN_IF_ERROR(fed::CheckMayBlock());  // before any thread is started for fetching
  // A page of changes applied meanwhile did not refetch these (they were not
  // kept yet), so what was just read may predate it: read again then.
  for (int attempt = 1;; ++attempt) {
    const int64_t pages = pages_applied_.load();
    RETURN_IF_ERROR(FetchNow(missing, period, roll_up, refetch));
    if (refetch || pages_applied_.load() == pages || attempt == 3) return absl::OkStatus();
    refetch = true;
  }
}

absl::Status DataCache::FetchNow(const std::vector<std::string>& missing, const fed::Period& period,
                                 bool roll_up, bool refetch) {
  const std::string p = period.ToString();
  RETURN_IF_ERROR(EnsureReceipts(missing, HalvesOf(period), refetch));
  if (!roll_up) {  // every organisation in one call
    ASSIGN_OR_RETURN(auto counted, sources_.CountedValues(missing, period));
    absl::MutexLock lock(&mu_);
    for (const auto& code : missing) Keep(code, period, false, std::move(counted[code]));
    return absl::OkStatus();
  }
  // Rolled up, each organisation with its own predecessors, whose reports
  // count towards its timeliness too.
  return ParallelFor(missing.size(), [&](size_t i) -> absl::Status {
    ASSIGN_OR_RETURN(auto series, sources_.Series(missing[i], period, period, true));
    ASSIGN_OR_RETURN(auto predecessors, sources_.Predecessors(missing[i]));
    std::vector<std::string> codes;
    for (const auto& predecessor : predecessors) codes.push_back(predecessor.code);
    RETURN_IF_ERROR(EnsureReceipts(codes, HalvesOf(period), refetch));
    absl::MutexLock lock(&mu_);
    predecessors_[missing[i]] = std::move(predecessors);
    Keep(missing[i], period, true, std::move(series[p]));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<OrgPeriod>> DataCache::Copy(const std::vector<std::string>& codes,
                                                       const fed::Period& period, bool roll_up) {
  RETURN_IF_ERROR(Fetch(codes, period, roll_up, false));
  absl::ReaderMutexLock lock(&mu_);
  std::vector<OrgPeriod> out;
  for (const OrgPeriod* values : ValuesOf(codes, period, roll_up)) out.push_back(*values);
  return out;
}

std::vector<Member> DataCache::MembersOf(const v1::EmulationCluster& cluster,
                                         const fed::Period& period, bool roll_up) const {
  const std::string p = period.ToString();
  const std::vector<std::string> codes(cluster.member_codes().begin(),
                                       cluster.member_codes().end());
  const std::vector<const OrgPeriod*> values = ValuesOf(codes, period, roll_up);
  std::vector<Member> members;
  for (size_t i = 0; i < codes.size(); ++i) {
    Member m;
    m.code = codes[i];
    const OrgLife& life = LifeOf(m.code);
    m.name = life.name;
    m.not_expected = WhyNotExpected(life, period, LifeOf(life.successor_code).name);
    m.role = ClusterRole(cluster, m.code);
    m.data = values[i];
    auto self = self_.find(Key(m.code, p));
    m.self = self == self_.end() ? nullptr : &self->second;
    members.push_back(std::move(m));
  }
  return members;
}

std::vector<const OrgPeriod*> DataCache::ValuesOf(const std::vector<std::string>& codes,
                                                  const fed::Period& period, bool roll_up) const {
  static const OrgPeriod kNothing;
  const std::string p = period.ToString();
  const auto& kept = roll_up ? rolled_ : data_;
  std::vector<const OrgPeriod*> out;
  for (const auto& code : codes) {
    auto it = kept.find(Key(code, p));
    out.push_back(it == kept.end() ? &kNothing : &it->second);
  }
  return out;
}

bool DataCache::SetUnions(std::map<std::string, OrgLife> unions) {
  absl::MutexLock lock(&mu_);
  if (unions == unions_) return false;
  unions_ = std::move(unions);
  RetimeKept();
  return true;
}

void DataCache::AddUnions(const std::map<std::string, OrgLife>& unions) {
  absl::MutexLock lock(&mu_);
  unions_.insert(unions.begin(), unions.end());
}

void DataCache::KeepSelfAssessment(const v1::SelfAssessment& a) {
  absl::MutexLock lock(&mu_);
  self_[Key(a.organization_code(), a.period())] = a;
}

void DataCache::KeepDescribed(const v1::FeedChange& described, const std::vector<int>& index) {
  const v1::ReportChange& change = described.change();
  const std::string& code = change.organization_code();
  const int indicators = fed::LatestCatalog().indicators_size();
  for (const auto& counted : described.counted()) {
    const std::string key = Key(code, counted.period());
    if (!data_.count(key)) continue;  // not read by any kept ranking
    Sources::Counted values;
    values.reported = counted.present();
    if (values.reported) {
      values.values.assign(indicators, std::nan(""));
      for (int k = 0; k < counted.values_size() && k < static_cast<int>(index.size()); ++k) {
        if (index[k] >= 0) values.values[index[k]] = counted.values(k);
      }
    }
    Keep(code, *fed::Period::Parse(counted.period()), false, std::move(values));
  }
}

absl::StatusOr<DataCache::Touched> DataCache::ApplyChanges(const fed::FeedFollower::Batch& batch) {
  // First, so that a fetch racing with this page sees it (see Fetch).
  pages_applied_++;
  std::vector<int> index;  // position in the feed's values -> catalog index here
  if (batch.indicator_codes != nullptr) {
    for (const auto& code : *batch.indicator_codes) index.push_back(fed::IndicatorIndex(code));
  }
  // Which (organisation, period) changed: the period itself, and the year
  // a half-year belongs to (a year without an annual report is derived
  // from its halves).
  Touched touched;
  std::vector<const v1::FeedChange*> undescribed;
  {
    absl::MutexLock lock(&mu_);
    // Receipts first: the values kept next count their timeliness.
    for (const auto& described : batch.changes) {
      const v1::ReportChange& change = described.change();
      auto period = fed::Period::Parse(change.period());
      if (!period.ok() || period->kind == fed::Period::Kind::kQuarter) continue;
      touched.by_org[change.organization_code()].insert(period->ToString());
      if (period->kind == fed::Period::Kind::kHalf) {
        touched.by_org[change.organization_code()].insert(YearOf(period->year).ToString());
      }
      if (described.counted_size() == 0) {
        undescribed.push_back(&described);
      } else if (period->kind == fed::Period::Kind::kHalf) {
        // A change means a report was received; whether it came on time
        // is the report's, carried with the change.
        receipts_[Key(change.organization_code(), change.period())] =
            Receipt{true, described.timely()};
      }
    }
    for (const auto& described : batch.changes) {
      if (described.counted_size() > 0) KeepDescribed(described, index);
    }
  }
  for (const v1::FeedChange* described : undescribed) {
    const std::string& code = described->change().organization_code();
    for (const auto& text : touched.by_org[code]) {
      const fed::Period period = *fed::Period::Parse(text);
      bool known;
      {
        absl::ReaderMutexLock lock(&mu_);
        known = data_.count(Key(code, text)) > 0;
      }
      if (period.kind == fed::Period::Kind::kHalf) {
        RETURN_IF_ERROR(EnsureReceipts({code}, {period}, true));
      }
      if (known) RETURN_IF_ERROR(Fetch({code}, period, false, true));
    }
  }
  for (const auto& [code, periods] : touched.by_org) {
    touched.periods.insert(periods.begin(), periods.end());
  }
  absl::MutexLock lock(&mu_);
  for (auto it = rolled_.begin(); it != rolled_.end();) {
    const std::string& key = it->first;
    const bool drop = touched.periods.count(key.substr(key.find('|') + 1)) > 0;
    it = drop ? rolled_.erase(it) : std::next(it);
  }
  return touched;
}

void DataCache::Clear() {
  absl::MutexLock lock(&mu_);
  data_.clear();
  rolled_.clear();
  predecessors_.clear();
  receipts_.clear();
}

}  // namespace ranking
