#include "services/ranking/scoring.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "services/common/catalog.h"

namespace ranking {
namespace {

std::optional<double> Indicator(const std::string& code, const OrgPeriod& data) {
  const int index = fed::IndicatorIndex(code);
  if (index < 0 || index >= static_cast<int>(data.values.size())) return std::nullopt;
  if (std::isnan(data.values[index])) return std::nullopt;
  return data.values[index];
}

}  // namespace

std::optional<double> RawValue(const v1::ScoringCriterion& criterion, const OrgPeriod& data) {
  if (criterion.source() == v1::CRITERION_SOURCE_TIMELINESS) {
    const Timeliness& t = data.timeliness;
    // Nothing received is no timeliness at all: absent, and the missing
    // penalty (if the scheme has one) says what it costs.
    if (t.on_time + t.late == 0) return std::nullopt;
    return static_cast<double>(t.on_time) / (t.on_time + t.late + t.missing);
  }
  return Indicator(criterion.indicator_code(), data);
}

double Normalise(const v1::ScoringCriterion& criterion, double raw, double best) {
  switch (criterion.normalisation()) {
    case v1::NORMALISATION_SHARE_OF_BEST:
      return best > 0 ? std::clamp(raw / best, 0.0, 1.0) : 0.0;
    case v1::NORMALISATION_LINEAR:
      if (raw <= criterion.lower()) return 0;
      if (raw >= criterion.upper()) return 1;
      return (raw - criterion.lower()) / (criterion.upper() - criterion.lower());
    case v1::NORMALISATION_TABLE: {
      double share = 0;
      for (const auto& step : criterion.table()) {
        if (raw >= step.at_least()) share = step.share();
      }
      return share;
    }
    default:
      return 0;
  }
}

double RoundPoints(double points) { return std::round(points * 1000.0) / 1000.0; }

std::vector<int> CompetitionRanks(const std::vector<double>& sorted_totals) {
  std::vector<int> ranks(sorted_totals.size());
  for (size_t i = 0; i < sorted_totals.size(); ++i) {
    ranks[i] = (i > 0 && sorted_totals[i] == sorted_totals[i - 1]) ? ranks[i - 1]
                                                                   : static_cast<int>(i) + 1;
  }
  return ranks;
}

void ScoreCluster(const v1::ScoringScheme& scheme, const std::vector<Member>& members,
                  v1::ClusterRanking* out) {
  // The cluster's best raw value per criterion (share-of-best needs it).
  std::vector<double> best(scheme.criteria_size(), 0.0);
  for (int c = 0; c < scheme.criteria_size(); ++c) {
    for (const Member& m : members) {
      if (auto raw = RawValue(scheme.criteria(c), *m.data)) best[c] = std::max(best[c], *raw);
    }
  }
  std::vector<v1::RankedEntry> entries;
  entries.reserve(members.size());
  for (const Member& m : members) {
    v1::RankedEntry e;
    e.set_organization_code(m.code);
    e.set_organization_name(m.name);
    e.set_cluster_role(m.role);
    e.set_reported(m.data->reported);
    std::map<std::string, double> self_points;
    if (m.self != nullptr) {
      e.set_has_self_assessment(true);
      e.set_self_total(m.self->total());
      for (const auto& s : m.self->scores()) self_points[s.criterion_code()] = s.points();
    }
    double total = 0;
    for (int c = 0; c < scheme.criteria_size(); ++c) {
      const v1::ScoringCriterion& criterion = scheme.criteria(c);
      v1::CriterionPoints* score = e.add_breakdown();
      score->set_criterion_code(criterion.code());
      if (auto raw = RawValue(criterion, *m.data)) {
        const double normalised = Normalise(criterion, *raw, best[c]);
        const double weight = criterion.weight() == 0 ? 1.0 : criterion.weight();
        score->set_raw_value(*raw);
        score->set_present(true);
        score->set_normalised(RoundPoints(normalised));
        score->set_points(RoundPoints(normalised * criterion.max_points() * weight));
        total += score->points();
      }
      if (auto it = self_points.find(criterion.code()); it != self_points.end()) {
        score->set_has_self_points(true);
        score->set_self_points(it->second);
      }
    }
    for (const v1::ScoringRule& rule : scheme.rules()) {
      int count = 0;
      double sign = -1;
      switch (rule.kind()) {
        case v1::SCORING_RULE_KIND_LATE_REPORT_PENALTY: count = m.data->timeliness.late; break;
        case v1::SCORING_RULE_KIND_MISSING_REPORT_PENALTY: count = m.data->timeliness.missing; break;
        case v1::SCORING_RULE_KIND_INDICATOR_BONUS: {
          sign = 1;
          v1::ScoringCriterion probe;
          probe.set_source(v1::CRITERION_SOURCE_INDICATOR);
          probe.set_indicator_code(rule.indicator_code());
          auto raw = RawValue(probe, *m.data);
          count = raw && *raw >= rule.threshold() ? 1 : 0;
          break;
        }
        default: break;
      }
      if (count == 0) continue;
      v1::RuleApplication* applied = e.add_adjustments();
      applied->set_rule_code(rule.code());
      applied->set_count(count);
      applied->set_points(RoundPoints(sign * count * rule.points()));
      total += applied->points();
    }
    e.set_total(RoundPoints(total));
    entries.push_back(std::move(e));
  }
  std::sort(entries.begin(), entries.end(), [](const v1::RankedEntry& a, const v1::RankedEntry& b) {
    if (a.total() != b.total()) return a.total() > b.total();
    return a.organization_code() < b.organization_code();
  });
  std::vector<double> totals;
  for (const auto& e : entries) totals.push_back(e.total());
  const std::vector<int> ranks = CompetitionRanks(totals);
  for (size_t i = 0; i < entries.size(); ++i) {
    entries[i].set_rank(ranks[i]);
    // Nobody is proposed for the flag on nothing: a cluster with no
    // reports at all has no proposal.
    entries[i].set_flag_proposal(ranks[i] == 1 && entries[i].reported());
    *out->add_entries() = std::move(entries[i]);
  }
}

Stats StatsOf(const std::vector<std::pair<std::string, double>>& values) {
  Stats s;
  s.count = static_cast<int>(values.size());
  if (values.empty()) return s;
  std::vector<double> sorted;
  s.best = values[0].second;
  s.best_code = values[0].first;
  for (const auto& [code, v] : values) {
    s.sum += v;
    sorted.push_back(v);
    if (v > s.best || (v == s.best && code < s.best_code)) {
      s.best = v;
      s.best_code = code;
    }
  }
  std::sort(sorted.begin(), sorted.end());
  const size_t n = sorted.size();
  s.median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  s.average = RoundPoints(s.sum / n);
  return s;
}

int ClusterFigures::Indicator::RankOf(double value) const {
  // The values strictly above `value` are the prefix of `descending` before it.
  auto first_not_above = std::lower_bound(descending.begin(), descending.end(), value, std::greater<double>());
  return static_cast<int>(first_not_above - descending.begin()) + 1;
}

int ClusterFigures::MemberIndex(const std::string& code) const {
  auto it = std::find(members.begin(), members.end(), code);
  return it == members.end() ? -1 : static_cast<int>(it - members.begin());
}

ClusterFigures FiguresOf(const std::vector<std::string>& members,
                         const std::vector<const OrgPeriod*>& data, int indicator_count) {
  ClusterFigures f;
  f.members = members;
  f.values.resize(members.size());
  for (size_t m = 0; m < members.size(); ++m) {
    f.values[m].assign(indicator_count, std::nan(""));
    const auto& values = data[m]->values;
    std::copy_n(values.begin(), std::min<size_t>(values.size(), indicator_count), f.values[m].begin());
  }
  f.indicators.resize(indicator_count);
  std::vector<std::pair<std::string, double>> present;
  for (int i = 0; i < indicator_count; ++i) {
    present.clear();
    for (size_t m = 0; m < members.size(); ++m) {
      if (!std::isnan(f.values[m][i])) present.emplace_back(members[m], f.values[m][i]);
    }
    ClusterFigures::Indicator& indicator = f.indicators[i];
    indicator.stats = StatsOf(present);
    for (const auto& [code, value] : present) indicator.descending.push_back(value);
    std::sort(indicator.descending.begin(), indicator.descending.end(), std::greater<double>());
  }
  return f;
}

}  // namespace ranking
