#include "services/ranking/kept_rankings.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/wire_format_lite.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/catalog.h"

namespace ranking {
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

std::string KeptRankings::RankingKey(const v1::EmulationCluster& cluster, const fed::Period& period,
                                     int version, bool roll_up) {
  return absl::StrCat(cluster.year(), "/", cluster.number(), "/", period.ToString(), "/v", version,
                      roll_up ? "/r" : "");
}

std::string KeptRankings::FiguresKey(const v1::EmulationCluster& cluster, const fed::Period& period,
                                     bool roll_up) {
  return absl::StrCat(cluster.year(), "/", cluster.number(), "/", period.ToString(),
                      roll_up ? "/r" : "");
}

RankingPtr KeptRankings::Find(const v1::EmulationCluster& cluster, const fed::Period& period,
                              int version, bool roll_up) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = rankings_.find(RankingKey(cluster, period, version, roll_up));
  return it == rankings_.end() ? nullptr : it->second.ranking;
}

FiguresPtr KeptRankings::FindFigures(const v1::EmulationCluster& cluster, const fed::Period& period,
                                     bool roll_up) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = figures_.find(FiguresKey(cluster, period, roll_up));
  return it == figures_.end() ? nullptr : it->second.figures;
}

RankingPtr KeptRankings::Rank(const v1::EmulationCluster& cluster, const fed::Period& period,
                              const SchemePtr& scheme, bool roll_up) {
  Of of{cluster, period, roll_up};
  // The data stays as it was until the result is kept: a page of changes
  // applied meanwhile recomputes it afterwards, never before.
  absl::ReaderMutexLock reading(&data_.mu());
  RankingPtr ranking = Compute(of, *scheme);
  absl::MutexLock lock(&mu_);
  rankings_[RankingKey(cluster, period, scheme->version(), roll_up)] =
      Kept{std::move(of), scheme, ranking};
  return ranking;
}

FiguresPtr KeptRankings::Figure(const v1::EmulationCluster& cluster, const fed::Period& period,
                                bool roll_up) {
  Of of{cluster, period, roll_up};
  absl::ReaderMutexLock reading(&data_.mu());
  FiguresPtr figures = ComputeFigures(of);
  absl::MutexLock lock(&mu_);
  figures_[FiguresKey(cluster, period, roll_up)] = KeptFigures{std::move(of), figures};
  return figures;
}

RankingPtr KeptRankings::Compute(const Of& of, const v1::ScoringScheme& scheme) const {
  const std::vector<Member> members = data_.MembersOf(of.cluster, of.period, of.roll_up);
  auto out = std::make_unique<v1::ClusterRanking>();
  out->set_year(of.cluster.year());
  out->set_cluster_number(of.cluster.number());
  out->set_cluster_name(of.cluster.name());
  out->set_period(of.period.ToString());
  out->set_scheme_version(scheme.version());
  out->set_rolled_up(of.roll_up);
  out->mutable_computed_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  out->set_source_sequence(sequence_.load());
  ScoreCluster(scheme, members, out.get());
  return std::make_shared<const ComputedRanking>(std::move(*out));
}

FiguresPtr KeptRankings::ComputeFigures(const Of& of) const {
  const std::vector<std::string> members(of.cluster.member_codes().begin(),
                                         of.cluster.member_codes().end());
  return std::make_shared<const ClusterFigures>(
      FiguresOf(members, data_.ValuesOf(members, of.period, of.roll_up),
                fed::LatestCatalog().indicators_size()));
}

int KeptRankings::Recompute(Which which_rankings, Which which_figures) {
  std::vector<std::pair<std::string, RankingPtr>> rankings;
  std::vector<std::pair<std::string, FiguresPtr>> figures;
  absl::ReaderMutexLock reading(&data_.mu());
  {
    absl::ReaderMutexLock lock(&mu_);
    for (const auto& [key, kept] : rankings_) {
      if (which_rankings(kept.of)) rankings.emplace_back(key, Compute(kept.of, *kept.scheme));
    }
    for (const auto& [key, kept] : figures_) {
      if (which_figures(kept.of)) figures.emplace_back(key, ComputeFigures(kept.of));
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

void KeptRankings::Forget(Which which) {
  absl::MutexLock lock(&mu_);
  for (auto it = rankings_.begin(); it != rankings_.end();)
    it = which(it->second.of) ? rankings_.erase(it) : std::next(it);
  for (auto it = figures_.begin(); it != figures_.end();)
    it = which(it->second.of) ? figures_.erase(it) : std::next(it);
}

size_t KeptRankings::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return rankings_.size();
}

}  // namespace ranking
