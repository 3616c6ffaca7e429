#include "services/ranking/engine.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/wire_format_lite.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/blocking.h"
#include "services/common/catalog.h"
#include "services/common/dates.h"
#include "services/common/log.h"
#include "services/common/status.h"
#include "services/ranking/storage.h"

namespace ranking {
namespace {

constexpr int kFetchThreads = 8;
constexpr int kFeedPage = 5000;

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

std::vector<fed::Period> HalvesOf(const fed::Period& p) {
  if (p.kind == fed::Period::Kind::kHalf) return {p};
  return {{p.year, fed::Period::Kind::kHalf, 1}, {p.year, fed::Period::Kind::kHalf, 2}};
}

fed::Period YearOf(int year) { return {year, fed::Period::Kind::kYear, 0}; }

std::vector<fed::Period> EagerPeriods(int year) {
  return {{year, fed::Period::Kind::kHalf, 1}, {year, fed::Period::Kind::kHalf, 2}, YearOf(year)};
}

bool HasMember(const v1::EmulationCluster& c, const std::string& code) {
  return std::find(c.member_codes().begin(), c.member_codes().end(), code) !=
         c.member_codes().end();
}

// Erases the entries of `map` whose value `drop` selects.
template <typename Map, typename Drop>
void EraseIf(Map& map, Drop drop) {
  for (auto it = map.begin(); it != map.end();)
    it = drop(it->second) ? map.erase(it) : std::next(it);
}

std::string ClusterRole(const v1::EmulationCluster& c, const std::string& code) {
  if (c.head_code() == code) return "head";
  if (c.deputy_code() == code) return "deputy";
  return "";
}

}  // namespace

namespace {

// `message` as field 1 of GetRankingResponse: tag, length, bytes.
std::string EncodeAsRankingsEntry(const v1::ClusterRanking& message) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  const size_t size = message.ByteSizeLong();
  coded.WriteTag(google::protobuf::internal::WireFormatLite::MakeTag(
      v1::GetRankingResponse::kRankingsFieldNumber,
      google::protobuf::internal::WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
  coded.WriteVarint64(size);
  message.SerializeWithCachedSizes(&coded);
  return out;
}

}  // namespace

const std::string& ComputedRanking::Encoded(bool totals_only) const {
  Encoding& encoding = totals_only ? totals_ : full_;
  std::call_once(encoding.once, [&] {
    if (!totals_only) {
      encoding.bytes = EncodeAsRankingsEntry(proto_);
      return;
    }
    v1::ClusterRanking totals = proto_;
    for (auto& entry : *totals.mutable_entries()) {
      entry.clear_breakdown();
      entry.clear_adjustments();
    }
    encoding.bytes = EncodeAsRankingsEntry(totals);
  });
  return encoding.bytes;
}

YearClusters::YearClusters(std::vector<v1::EmulationCluster> clusters) : list(std::move(clusters)) {
  for (size_t i = 0; i < list.size(); ++i) {
    for (const auto& code : list[i].member_codes()) member_of.emplace(code, i);
  }
}

const v1::EmulationCluster* YearClusters::Of(const std::string& code) const {
  auto it = member_of.find(code);
  return it == member_of.end() ? nullptr : &list[it->second];
}

std::string Engine::DataKey(const std::string& code, const std::string& period) {
  return absl::StrCat(code, "|", period);
}

std::string Engine::RankingKey(int year, int number, const std::string& period, int version,
                               bool roll_up) {
  return absl::StrCat(year, "/", number, "/", period, "/v", version, roll_up ? "/r" : "");
}

std::string Engine::FiguresKey(int year, int number, const std::string& period, bool roll_up) {
  return absl::StrCat(year, "/", number, "/", period, roll_up ? "/r" : "");
}

absl::Status Engine::Load() {
  absl::MutexLock writing(&write_mu_);
  std::vector<v1::ScoringScheme> schemes;
  std::vector<v1::SelfAssessment> selves;
  int64_t cursor = 0;
  RETURN_IF_ERROR(db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    schemes = storage::LoadSchemes(txn);
    selves = storage::LoadSelfAssessments(txn);
    cursor = storage::LoadCursor(txn);
    return absl::OkStatus();
  }));
  // Everything up to the feed's head is read by the full load below, so the
  // follower starts from there.
  for (;;) {
    ASSIGN_OR_RETURN(auto page, sources_.Changes(cursor, kFeedPage));
    cursor = page.last_sequence();
    if (page.changes_size() < kFeedPage) break;
  }
  sequence_ = cursor;
  ASSIGN_OR_RETURN(auto unions, sources_.ProvincialUnions());
  {
    absl::MutexLock lock(&mu_);
    for (auto& s : schemes)
      schemes_[s.year()].push_back(std::make_shared<const v1::ScoringScheme>(std::move(s)));
    for (auto& a : selves) self_[absl::StrCat(a.organization_code(), "|", a.period())] = a;
    unions_ = std::move(unions);
  }
  return LoadRankings();
}

absl::Status Engine::LoadRankings() {
  std::vector<int> years;
  {
    absl::ReaderMutexLock lock(&mu_);
    for (const auto& [year, list] : schemes_) years.push_back(year);
  }
  for (int year : years) {
    ASSIGN_OR_RETURN(auto clusters, sources_.Clusters(year));
    absl::MutexLock lock(&mu_);
    clusters_[year] = std::make_shared<const YearClusters>(std::move(clusters));
  }
  if (!years.empty()) {
    std::set<std::string> codes;
    std::vector<fed::Period> halves;
    {
      absl::ReaderMutexLock lock(&mu_);
      for (const auto& [year, clusters] : clusters_) {
        for (const auto& c : clusters->list)
          codes.insert(c.member_codes().begin(), c.member_codes().end());
        for (const auto& h : HalvesOf(YearOf(year))) halves.push_back(h);
      }
    }
    const std::vector<std::string> list(codes.begin(), codes.end());
    RETURN_IF_ERROR(EnsureReceipts(list, halves, false));
    RETURN_IF_ERROR(FetchRanges(list, years.front(), years.back()));
  }
  for (int year : years) RETURN_IF_ERROR(RankYear(year));
  spdlog::info("event=rankings_loaded years={} rankings={} last_sequence={}", years.size(),
               ranking_count(), sequence_.load());
  return absl::OkStatus();
}

absl::Status Engine::EnsureReceipts(const std::vector<std::string>& codes,
                                    const std::vector<fed::Period>& halves, bool refetch) {
  for (const auto& half : halves) {
    const std::string p = half.ToString();
    std::vector<std::string> missing;
    {
      absl::ReaderMutexLock lock(&mu_);
      for (const auto& code : codes) {
        if (!ExpectedFor(LifeOf(code), half)) continue;  // never counted: nothing to read
        if (refetch || !receipts_.count(absl::StrCat(code, "|", p))) missing.push_back(code);
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
      if (auto it = found.find(code); it != found.end())
        receipts_[absl::StrCat(code, "|", p)] = it->second;
    }
    for (size_t i = 0; i < single.size(); ++i)
      receipts_[absl::StrCat(single[i], "|", p)] = singles[i];
  }
  return absl::OkStatus();
}

void Engine::CountReceipt(const std::string& code, const fed::Period& half, Timeliness& t) const {
  auto it = receipts_.find(absl::StrCat(code, "|", half.ToString()));
  if (it != receipts_.end() && it->second.received) {
    (it->second.timely ? t.on_time : t.late)++;
  } else if (half.DueDate() < fed::Today()) {
    t.missing++;
  }
}

Timeliness Engine::TimelinessOf(const std::string& code, const fed::Period& period) const {
  Timeliness t;
  const OrgLife& life = LifeOf(code);
  // Only the half-years at whose end it existed were expected from it.
  for (const auto& half : HalvesOf(period)) {
    if (ExpectedFor(life, half)) CountReceipt(code, half, t);
  }
  return t;
}

const OrgLife& Engine::LifeOf(const std::string& code) const {
  // Not known yet (registered since the last refresh): expected like any other.
  static const OrgLife kUnknown;
  auto it = unions_.find(code);
  return it == unions_.end() ? kUnknown : it->second;
}

void Engine::RetimeKept() {
  for (auto& [key, d] : data_) {
    const size_t bar = key.find('|');
    d.timeliness = TimelinessOf(key.substr(0, bar), *fed::Period::Parse(key.substr(bar + 1)));
  }
  for (auto& [key, d] : rolled_) {
    const size_t bar = key.find('|');
    d.timeliness = RolledTimelinessOf(key.substr(0, bar), *fed::Period::Parse(key.substr(bar + 1)));
  }
}

Timeliness Engine::RolledTimelinessOf(const std::string& code, const fed::Period& period) const {
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

absl::Status Engine::FetchRanges(const std::vector<std::string>& codes, int from_year,
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

void Engine::Keep(const std::string& code, const fed::Period& period, bool roll_up,
                  Sources::Counted counted) {
  OrgPeriod& d = (roll_up ? rolled_ : data_)[DataKey(code, period.ToString())];
  if (counted.values.empty())
    counted.values.assign(fed::LatestCatalog().indicators_size(), std::nan(""));
  d.values = std::move(counted.values);
  d.reported = counted.reported;
  d.timeliness = roll_up ? RolledTimelinessOf(code, period) : TimelinessOf(code, period);
}

absl::Status Engine::Fetch(const std::vector<std::string>& codes, const fed::Period& period,
                           bool roll_up, bool refetch) {
  const std::string p = period.ToString();
  std::vector<std::string> missing;
  {
    absl::ReaderMutexLock lock(&mu_);
    for (const auto& code : codes) {
      if (refetch || !(roll_up ? rolled_ : data_).count(DataKey(code, p))) missing.push_back(code);
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

absl::Status Engine::FetchNow(const std::vector<std::string>& missing, const fed::Period& period,
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

RankingPtr Engine::Compute(const v1::EmulationCluster& cluster, const fed::Period& period,
                           const v1::ScoringScheme& scheme, bool roll_up) const {
  static const OrgPeriod kNothing;
  const std::string p = period.ToString();
  std::vector<Member> members;
  for (const auto& code : cluster.member_codes()) {
    Member m;
    m.code = code;
    const OrgLife& life = LifeOf(code);
    m.name = life.name;
    m.not_expected = WhyNotExpected(life, period, LifeOf(life.successor_code).name);
    m.role = ClusterRole(cluster, code);
    const auto& values = roll_up ? rolled_ : data_;
    auto data = values.find(DataKey(code, p));
    m.data = data == values.end() ? &kNothing : &data->second;
    auto self = self_.find(absl::StrCat(code, "|", p));
    m.self = self == self_.end() ? nullptr : &self->second;
    members.push_back(std::move(m));
  }
  auto out = std::make_unique<v1::ClusterRanking>();
  out->set_year(cluster.year());
  out->set_cluster_number(cluster.number());
  out->set_cluster_name(cluster.name());
  out->set_period(p);
  out->set_scheme_version(scheme.version());
  out->set_rolled_up(roll_up);
  out->mutable_computed_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  out->set_source_sequence(sequence_.load());
  ScoreCluster(scheme, members, out.get());
  return std::make_shared<const ComputedRanking>(std::move(*out));
}

absl::Status Engine::RankYear(int year) {
  ASSIGN_OR_RETURN(auto clusters, Clusters(year));
  auto scheme = Scheme(year, 0);
  if (!scheme) return absl::OkStatus();
  std::vector<std::string> codes;
  for (const auto& c : clusters->list)
    codes.insert(codes.end(), c.member_codes().begin(), c.member_codes().end());
  for (const auto& period : EagerPeriods(year)) {
    RETURN_IF_ERROR(Fetch(codes, period, false, false));
    absl::MutexLock lock(&mu_);
    for (const auto& c : clusters->list) {
      rankings_[RankingKey(year, c.number(), period.ToString(), scheme->version(), false)] =
          Kept{c, period, scheme, false, Compute(c, period, *scheme, false)};
      // Comparisons read the same values: ready before anyone asks.
      figures_[FiguresKey(year, c.number(), period.ToString(), false)] =
          KeptFigures{c, period, false, ComputeFigures(c, period, false)};
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Engine::ClusterList> Engine::Clusters(int year) {
  {
    absl::ReaderMutexLock lock(&mu_);
    if (auto it = clusters_.find(year); it != clusters_.end()) return it->second;
  }
  RETURN_IF_ERROR(fed::CheckMayBlock());
  ASSIGN_OR_RETURN(auto fetched, sources_.Clusters(year));
  auto clusters = std::make_shared<const YearClusters>(std::move(fetched));
  // A year seen for the first time may bring organisations registered since
  // start-up (the demo loads after the services start): add them. What
  // changed about those already known waits for RefreshUnions, which
  // recounts what was kept about them.
  auto unions = sources_.ProvincialUnions();
  absl::MutexLock lock(&mu_);
  if (unions.ok()) unions_.insert(unions->begin(), unions->end());
  // Years without clusters are not remembered: they may be set up later.
  if (!clusters->list.empty()) clusters_[year] = clusters;
  return clusters;
}

absl::StatusOr<RankingPtr> Engine::Ranking(const v1::EmulationCluster& cluster,
                                           const fed::Period& period, const SchemePtr& scheme,
                                           bool roll_up) {
  const std::string key =
      RankingKey(cluster.year(), cluster.number(), period.ToString(), scheme->version(), roll_up);
  {
    absl::ReaderMutexLock lock(&mu_);
    if (auto it = rankings_.find(key); it != rankings_.end()) return it->second.ranking;
  }
  std::vector<std::string> codes(cluster.member_codes().begin(), cluster.member_codes().end());
  RETURN_IF_ERROR(Fetch(codes, period, roll_up, false));
  absl::MutexLock lock(&mu_);
  RankingPtr ranking = Compute(cluster, period, *scheme, roll_up);
  rankings_[key] = Kept{cluster, period, scheme, roll_up, ranking};
  return ranking;
}

absl::StatusOr<FiguresPtr> Engine::Figures(const v1::EmulationCluster& cluster,
                                           const fed::Period& period, bool roll_up) {
  const std::string key = FiguresKey(cluster.year(), cluster.number(), period.ToString(), roll_up);
  {
    absl::ReaderMutexLock lock(&mu_);
    if (auto it = figures_.find(key); it != figures_.end()) return it->second.figures;
  }
  std::vector<std::string> codes(cluster.member_codes().begin(), cluster.member_codes().end());
  RETURN_IF_ERROR(Fetch(codes, period, roll_up, false));
  absl::MutexLock lock(&mu_);
  FiguresPtr figures = ComputeFigures(cluster, period, roll_up);
  figures_[key] = KeptFigures{cluster, period, roll_up, figures};
  return figures;
}

FiguresPtr Engine::ComputeFigures(const v1::EmulationCluster& cluster, const fed::Period& period,
                                  bool roll_up) const {
  static const OrgPeriod kNothing;
  const std::string p = period.ToString();
  const auto& values = roll_up ? rolled_ : data_;
  std::vector<std::string> members(cluster.member_codes().begin(), cluster.member_codes().end());
  std::vector<const OrgPeriod*> data;
  for (const auto& code : members) {
    auto it = values.find(DataKey(code, p));
    data.push_back(it == values.end() ? &kNothing : &it->second);
  }
  return std::make_shared<const ClusterFigures>(
      FiguresOf(members, data, fed::LatestCatalog().indicators_size()));
}

template <typename WhichRankings, typename WhichFigures>
int Engine::Recompute(WhichRankings which_rankings, WhichFigures which_figures) {
  std::vector<std::pair<std::string, RankingPtr>> rankings;
  std::vector<std::pair<std::string, FiguresPtr>> figures;
  {
    absl::ReaderMutexLock lock(&mu_);
    for (const auto& [key, kept] : rankings_) {
      if (which_rankings(kept)) {
        rankings.emplace_back(key, Compute(kept.cluster, kept.period, *kept.scheme, kept.roll_up));
      }
    }
    for (const auto& [key, kept] : figures_) {
      if (which_figures(kept))
        figures.emplace_back(key, ComputeFigures(kept.cluster, kept.period, kept.roll_up));
    }
  }
  absl::MutexLock lock(&mu_);
  for (auto& [key, ranking] : rankings) {
    if (auto it = rankings_.find(key); it != rankings_.end())
      it->second.ranking = std::move(ranking);
  }
  for (auto& [key, computed] : figures) {
    if (auto it = figures_.find(key); it != figures_.end())
      it->second.figures = std::move(computed);
  }
  return static_cast<int>(rankings.size());
}

absl::StatusOr<std::vector<OrgPeriod>> Engine::Data(const std::vector<std::string>& codes,
                                                    const fed::Period& period, bool roll_up) {
  RETURN_IF_ERROR(Fetch(codes, period, roll_up, false));
  absl::ReaderMutexLock lock(&mu_);
  std::vector<OrgPeriod> out;
  for (const auto& code : codes) {
    const auto& values = roll_up ? rolled_ : data_;
    auto it = values.find(DataKey(code, period.ToString()));
    out.push_back(it == values.end() ? OrgPeriod{} : it->second);
  }
  return out;
}

int Engine::RecomputeAll() {
  absl::MutexLock writing(&write_mu_);
  auto everything = [](const auto&) { return true; };
  return Recompute(everything, everything);
}

Engine::Refresh Engine::last_refresh() const {
  absl::ReaderMutexLock lock(&mu_);
  return last_refresh_;
}

size_t Engine::ranking_count() const {
  absl::ReaderMutexLock lock(&mu_);
  return rankings_.size();
}

std::vector<v1::ScoringScheme> Engine::Schemes(int year) const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<v1::ScoringScheme> out;
  for (const auto& [y, list] : schemes_) {
    if (year != 0 && y != year) continue;
    for (const auto& scheme : list) out.push_back(*scheme);
  }
  return out;
}

SchemePtr Engine::Scheme(int year, int version) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = schemes_.find(year);
  if (it == schemes_.end() || it->second.empty()) return nullptr;
  if (version == 0) return it->second.back();
  for (const auto& s : it->second) {
    if (s->version() == version) return s;
  }
  return nullptr;
}

absl::Status Engine::SchemeDefined(const v1::ScoringScheme& scheme) {
  absl::MutexLock writing(&write_mu_);
  {
    absl::MutexLock lock(&mu_);
    auto& list = schemes_[scheme.year()];
    list.push_back(std::make_shared<const v1::ScoringScheme>(scheme));
    std::sort(list.begin(), list.end(),
              [](const SchemePtr& a, const SchemePtr& b) { return a->version() < b->version(); });
  }
  return RankYear(scheme.year());
}

void Engine::SelfAssessed(const v1::SelfAssessment& a) {
  absl::MutexLock writing(&write_mu_);
  {
    absl::MutexLock lock(&mu_);
    self_[absl::StrCat(a.organization_code(), "|", a.period())] = a;
  }
  // Comparisons do not read self-assessments.
  Recompute(
      [&](const Kept& kept) {
        return kept.period.ToString() == a.period() &&
               HasMember(kept.cluster, a.organization_code());
      },
      [](const KeptFigures&) { return false; });
}

void Engine::KeepDescribed(const v1::FeedChange& described, const std::vector<int>& index) {
  const v1::ReportChange& change = described.change();
  const std::string& code = change.organization_code();
  const int indicators = fed::LatestCatalog().indicators_size();
  for (const auto& counted : described.counted()) {
    const std::string key = DataKey(code, counted.period());
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

absl::StatusOr<int> Engine::ApplyFeed(const fed::FeedFollower::Batch& batch) {
  absl::MutexLock writing(&write_mu_);
  const absl::Time start = absl::Now();
  // First, so that a fetch racing with this batch sees it (see Fetch).
  pages_applied_++;
  std::vector<int> index;  // position in the feed's values -> catalog index here
  if (batch.indicator_codes != nullptr) {
    for (const auto& code : *batch.indicator_codes) index.push_back(fed::IndicatorIndex(code));
  }
  // Which (organisation, period) changed: the period itself, and the year
  // a half-year belongs to (a year without an annual report is derived
  // from its halves).
  std::map<std::string, std::set<std::string>> periods_by_org;
  std::vector<const v1::FeedChange*> undescribed;
  {
    absl::MutexLock lock(&mu_);
    // Receipts first: the values kept next count their timeliness.
    for (const auto& described : batch.changes) {
      const v1::ReportChange& change = described.change();
      auto period = fed::Period::Parse(change.period());
      if (!period.ok() || period->kind == fed::Period::Kind::kQuarter) continue;
      periods_by_org[change.organization_code()].insert(period->ToString());
      if (period->kind == fed::Period::Kind::kHalf) {
        periods_by_org[change.organization_code()].insert(YearOf(period->year).ToString());
      }
      // Sent without figures (written by another aggregator process): read them.
      if (described.counted_size() == 0) {
        undescribed.push_back(&described);
      } else if (period->kind == fed::Period::Kind::kHalf) {
        // A change means a report was received; whether it came on time
        // is the report's, carried with the change.
        receipts_[absl::StrCat(change.organization_code(), "|", change.period())] =
            Receipt{true, described.timely()};
      }
    }
    for (const auto& described : batch.changes) {
      if (described.counted_size() > 0) KeepDescribed(described, index);
    }
  }
  for (const v1::FeedChange* described : undescribed) {
    const std::string& code = described->change().organization_code();
    for (const auto& text : periods_by_org[code]) {
      const fed::Period period = *fed::Period::Parse(text);
      bool known;
      {
        absl::ReaderMutexLock lock(&mu_);
        known = data_.count(DataKey(code, text)) > 0;
      }
      if (period.kind == fed::Period::Kind::kHalf) {
        RETURN_IF_ERROR(EnsureReceipts({code}, {period}, true));
      }
      if (known) RETURN_IF_ERROR(Fetch({code}, period, false, true));
    }
  }
  std::set<std::string> touched_periods;
  for (const auto& [code, periods] : periods_by_org) {
    touched_periods.insert(periods.begin(), periods.end());
  }
  absl::ReleasableMutexLock lock(&mu_);
  // Rolled-up values of the touched periods are dropped (they are fetched
  // again on the next request): a change to a predecessor moves its successor.
  for (auto it = rolled_.begin(); it != rolled_.end();) {
    const std::string& key = it->first;
    const bool drop = touched_periods.count(key.substr(key.find('|') + 1)) > 0;
    it = drop ? rolled_.erase(it) : std::next(it);
  }
  // Rolled-up rankings and figures of those periods go the same way.
  auto rolled_up_and_touched = [&](const auto& kept) {
    return kept.roll_up && touched_periods.count(kept.period.ToString()) > 0;
  };
  EraseIf(rankings_, rolled_up_and_touched);
  EraseIf(figures_, rolled_up_and_touched);
  lock.Release();
  // The rest is recomputed where a changed organisation is a member.
  auto affected = [&](const auto& kept) {
    const std::string p = kept.period.ToString();
    if (!touched_periods.count(p)) return false;
    for (const auto& [code, periods] : periods_by_org) {
      if (periods.count(p) && HasMember(kept.cluster, code)) return true;
    }
    return false;
  };
  const int recomputed = Recompute(affected, affected);
  const absl::Duration took = absl::Now() - start;
  {
    absl::MutexLock lock(&mu_);
    last_refresh_ = Refresh{static_cast<int>(batch.changes.size()), recomputed, took};
  }
  sequence_ = batch.through;
  RETURN_IF_ERROR(db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    storage::StoreCursor(txn, batch.through);
    return absl::OkStatus();
  }));
  spdlog::info("event=rankings_refreshed changes={} recomputed={} ms={:.1f} last_sequence={}",
               batch.changes.size(), recomputed, absl::ToDoubleMilliseconds(took), batch.through);
  return recomputed;
}

absl::Status Engine::Reload() {
  absl::MutexLock writing(&write_mu_);
  {
    absl::MutexLock lock(&mu_);
    data_.clear();
    rolled_.clear();
    predecessors_.clear();
    receipts_.clear();
    rankings_.clear();
    figures_.clear();
  }
  spdlog::warn("event=rankings_reloading reason=\"the change feed no longer holds our cursor\"");
  return LoadRankings();
}

absl::Status Engine::RefreshUnions() {
  ASSIGN_OR_RETURN(auto fresh, sources_.ProvincialUnions());
  {
    absl::MutexLock lock(&mu_);
    if (fresh == unions_) return absl::OkStatus();
    unions_ = std::move(fresh);
    RetimeKept();
  }
  spdlog::info("event=provincial_unions_changed");
  Recompute([](const Kept&) { return true; }, [](const KeptFigures&) { return false; });
  return absl::OkStatus();
}

absl::Status Engine::RefreshClusters() {
  absl::MutexLock writing(&write_mu_);
  RETURN_IF_ERROR(RefreshUnions());
  std::vector<int> years;
  {
    absl::ReaderMutexLock lock(&mu_);
    for (const auto& [year, list] : clusters_) years.push_back(year);
  }
  for (int year : years) {
    ASSIGN_OR_RETURN(auto fresh, sources_.Clusters(year));
    bool changed = false;
    {
      absl::MutexLock lock(&mu_);
      auto& old = clusters_[year];
      changed = !old || old->list.size() != fresh.size();
      for (size_t i = 0; !changed && i < old->list.size(); ++i) {
        changed = old->list[i].SerializeAsString() != fresh[i].SerializeAsString();
      }
      if (!changed) continue;
      old = std::make_shared<const YearClusters>(fresh);
      auto of_the_year = [&](const auto& kept) { return kept.cluster.year() == year; };
      EraseIf(rankings_, of_the_year);
      EraseIf(figures_, of_the_year);
    }
    spdlog::info("event=clusters_changed year={}", year);
    RETURN_IF_ERROR(RankYear(year));
  }
  return absl::OkStatus();
}

void Engine::Start(absl::Duration cluster_refresh) {
  Stop();
  cluster_refresh_ = refresh_wait_ = cluster_refresh;
  first_refresh_round_ = true;
  follower_ = sources_.FollowChanges(
      sequence_.load(),
      [this](const fed::FeedFollower::Batch& batch) { return ApplyFeed(batch).status(); },
      [this] { return Reload(); });
  follower_->Start();
  refresher_ =
      std::make_unique<fed::BackgroundLoop>("ranking-refresh", [this] { return RefreshRound(); });
  refresher_->Start();
}

void Engine::Stop() {
  if (follower_) follower_->Stop();
  if (refresher_) refresher_->Stop();
}

bool Engine::caught_up() const { return follower_ != nullptr && follower_->caught_up(); }

fed::BackgroundLoop::Next Engine::RefreshRound() {
  if (first_refresh_round_) {
    first_refresh_round_ = false;  // Load() has just read them
    return {cluster_refresh_};
  }
  absl::Status status = RefreshClusters();
  if (!status.ok()) {
    spdlog::warn("event=cluster_refresh_failed error=\"{}\"", status.message());
    refresh_wait_ = std::min(refresh_wait_ * 2, std::max(cluster_refresh_, absl::Seconds(10)));
  } else {
    refresh_wait_ = cluster_refresh_;
  }
  return {refresh_wait_};
}

}  // namespace ranking
