#include "services/ranking/engine.h"

#include <algorithm>

#include "absl/time/clock.h"
#include "services/common/blocking.h"
#include "services/common/log.h"
#include "services/common/status.h"
#include "services/ranking/storage.h"

namespace ranking {
namespace {

constexpr int kFeedPage = 5000;

std::vector<fed::Period> EagerPeriods(int year) {
  return {{year, fed::Period::Kind::kHalf, 1}, {year, fed::Period::Kind::kHalf, 2}, YearOf(year)};
}

bool HasMember(const v1::EmulationCluster& c, const std::string& code) {
  return std::find(c.member_codes().begin(), c.member_codes().end(), code) !=
         c.member_codes().end();
}

}  // namespace

YearClusters::YearClusters(std::vector<v1::EmulationCluster> clusters) : list(std::move(clusters)) {
  for (size_t i = 0; i < list.size(); ++i) {
    for (const auto& code : list[i].member_codes()) member_of.emplace(code, i);
  }
}

const v1::EmulationCluster* YearClusters::Of(const std::string& code) const {
  auto it = member_of.find(code);
  return it == member_of.end() ? nullptr : &list[it->second];
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
  data_.SetUnions(std::move(unions));
  for (const auto& a : selves) data_.KeepSelfAssessment(a);
  {
    absl::MutexLock lock(&mu_);
    for (auto& s : schemes)
      schemes_[s.year()].push_back(std::make_shared<const v1::ScoringScheme>(std::move(s)));
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
    RETURN_IF_ERROR(data_.EnsureReceipts(list, halves, false));
    RETURN_IF_ERROR(data_.FetchRanges(list, years.front(), years.back()));
  }
  for (int year : years) RETURN_IF_ERROR(RankYear(year));
  spdlog::info("event=rankings_loaded years={} rankings={} last_sequence={}", years.size(),
               ranking_count(), sequence_.load());
  return absl::OkStatus();
}

absl::Status Engine::RankYear(int year) {
  ASSIGN_OR_RETURN(auto clusters, Clusters(year));
  auto scheme = Scheme(year, 0);
  if (!scheme) return absl::OkStatus();
  std::vector<std::string> codes;
  for (const auto& c : clusters->list)
    codes.insert(codes.end(), c.member_codes().begin(), c.member_codes().end());
  for (const auto& period : EagerPeriods(year)) {
    RETURN_IF_ERROR(data_.Fetch(codes, period, false, false));
    for (const auto& c : clusters->list) {
      kept_.Rank(c, period, scheme, false);
      // Comparisons read the same values: ready before anyone asks.
      kept_.Figure(c, period, false);
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
  if (auto unions = sources_.ProvincialUnions(); unions.ok()) data_.AddUnions(*unions);
  absl::MutexLock lock(&mu_);
  // Years without clusters are not remembered: they may be set up later.
  if (!clusters->list.empty()) clusters_[year] = clusters;
  return clusters;
}

absl::StatusOr<RankingPtr> Engine::Ranking(const v1::EmulationCluster& cluster,
                                           const fed::Period& period, const SchemePtr& scheme,
                                           bool roll_up) {
  if (RankingPtr kept = kept_.Find(cluster, period, scheme->version(), roll_up)) return kept;
  std::vector<std::string> codes(cluster.member_codes().begin(), cluster.member_codes().end());
  RETURN_IF_ERROR(data_.Fetch(codes, period, roll_up, false));
  return kept_.Rank(cluster, period, scheme, roll_up);
}

absl::StatusOr<FiguresPtr> Engine::Figures(const v1::EmulationCluster& cluster,
                                           const fed::Period& period, bool roll_up) {
  if (FiguresPtr kept = kept_.FindFigures(cluster, period, roll_up)) return kept;
  std::vector<std::string> codes(cluster.member_codes().begin(), cluster.member_codes().end());
  RETURN_IF_ERROR(data_.Fetch(codes, period, roll_up, false));
  return kept_.Figure(cluster, period, roll_up);
}

absl::StatusOr<std::vector<OrgPeriod>> Engine::Data(const std::vector<std::string>& codes,
                                                    const fed::Period& period, bool roll_up) {
  return data_.Copy(codes, period, roll_up);
}

int Engine::RecomputeAll() {
  absl::MutexLock writing(&write_mu_);
  auto everything = [](const KeptRankings::Of&) { return true; };
  return kept_.Recompute(everything, everything);
}

Engine::Refresh Engine::last_refresh() const {
  absl::ReaderMutexLock lock(&mu_);
  return last_refresh_;
}

size_t Engine::ranking_count() const { return kept_.size(); }

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
  data_.KeepSelfAssessment(a);
  // Comparisons do not read self-assessments.
  kept_.Recompute(
      [&](const KeptRankings::Of& of) {
        return of.period.ToString() == a.period() && HasMember(of.cluster, a.organization_code());
      },
      [](const KeptRankings::Of&) { return false; });
}

absl::StatusOr<int> Engine::ApplyFeed(const fed::FeedFollower::Batch& batch) {
  absl::MutexLock writing(&write_mu_);
  const absl::Time start = absl::Now();
  ASSIGN_OR_RETURN(const DataCache::Touched touched, data_.ApplyChanges(batch));
  // Rolled-up rankings and figures of those periods go, like the rolled-up
  // values the cache dropped: they are computed again on the next request.
  kept_.Forget([&](const KeptRankings::Of& of) {
    return of.roll_up && touched.periods.count(of.period.ToString()) > 0;
  });
  // The rest is recomputed where a changed organisation is a member.
  auto affected = [&](const KeptRankings::Of& of) {
    const std::string p = of.period.ToString();
    if (!touched.periods.count(p)) return false;
    for (const auto& [code, periods] : touched.by_org) {
      if (periods.count(p) && HasMember(of.cluster, code)) return true;
    }
    return false;
  };
  const int recomputed = kept_.Recompute(affected, affected);
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
  data_.Clear();
  kept_.Forget([](const KeptRankings::Of&) { return true; });
  spdlog::warn("event=rankings_reloading reason=\"the change feed no longer holds our cursor\"");
  return LoadRankings();
}

absl::Status Engine::RefreshUnions() {
  ASSIGN_OR_RETURN(auto fresh, sources_.ProvincialUnions());
  if (!data_.SetUnions(std::move(fresh))) return absl::OkStatus();
  spdlog::info("event=provincial_unions_changed");
  kept_.Recompute([](const KeptRankings::Of&) { return true; },
                  [](const KeptRankings::Of&) { return false; });
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
    {
      absl::MutexLock lock(&mu_);
      auto& old = clusters_[year];
      bool changed = !old || old->list.size() != fresh.size();
      for (size_t i = 0; !changed && i < old->list.size(); ++i) {
        changed = old->list[i].SerializeAsString() != fresh[i].SerializeAsString();
      }
      if (!changed) continue;
      old = std::make_shared<const YearClusters>(fresh);
    }
    kept_.Forget([&](const KeptRankings::Of& of) { return of.cluster.year() == year; });
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
    spdlog::warn("event=cluster_refresh_failed error={}", fed::LogQuoted(status.message()));
    refresh_wait_ = std::min(refresh_wait_ * 2, std::max(cluster_refresh_, absl::Seconds(10)));
  } else {
    refresh_wait_ = cluster_refresh_;
  }
  return {refresh_wait_};
}

}  // namespace ranking
