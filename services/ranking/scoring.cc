#include "services/ranking/scoring.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "absl/strings/str_cat.h"
#include "services/common/catalog.h"
#include "services/common/dates.h"

namespace ranking {
namespace {

std::optional<double> Indicator(const std::string& code, const OrgPeriod& data) {
  const int index = fed::IndicatorIndex(code);
  if (index < 0 || index >= static_cast<int>(data.values.size())) return std::nullopt;
  if (std::isnan(data.values[index])) return std::nullopt;
  return data.values[index];
}

}  // namespace

bool OrgLife::ExistsOn(absl::CivilDay day) const {
  return (!from || *from <= day) && (!until || day < *until);
}

bool operator==(const OrgLife& a, const OrgLife& b) {
  return a.name == b.name && a.from == b.from && a.until == b.until &&
         a.successor_code == b.successor_code;
}

bool ExpectedFor(const OrgLife& life, const fed::Period& period) {
  return life.ExistsOn(period.LastDay());
}

std::optional<v1::NotExpected> WhyNotExpected(const OrgLife& life, const fed::Period& period,
                                              const std::string& successor_name) {
  if (ExpectedFor(life, period)) return std::nullopt;
  v1::NotExpected why;
  if (life.from && *life.from > period.LastDay()) {
    why.set_starts_on(fed::FormatDate(*life.from));
    why.set_note(absl::StrCat("exists from ", why.starts_on()));
    return why;
  }
  why.set_ended_on(fed::FormatDate(*life.until));
  if (life.successor_code.empty()) {
    why.set_note(absl::StrCat("retired on ", why.ended_on()));
    return why;
  }
  why.set_successor_code(life.successor_code);
  why.set_successor_name(successor_name);
  why.set_note(absl::StrCat("merged into ", life.successor_code, successor_name.empty() ? "" : " ",
                            successor_name, " on ", why.ended_on()));
  return why;
}

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

namespace {

// What every entry shows, scored or not: who, and the self-assessment.
v1::RankedEntry EntryOf(const Member& m, std::map<std::string, double>* self_points) {
  v1::RankedEntry e;
  e.set_organization_code(m.code);
  e.set_organization_name(m.name);
  e.set_cluster_role(m.role);
  e.set_reported(m.data->reported);
  if (m.self != nullptr) {
    e.set_has_self_assessment(true);
    e.set_self_total(m.self->total());
    for (const auto& s : m.self->scores()) (*self_points)[s.criterion_code()] = s.points();
  }
  return e;
}

// How many times `rule` applies to `data`.
int TimesApplied(const v1::ScoringRule& rule, const OrgPeriod& data) {
  switch (rule.kind()) {
    case v1::SCORING_RULE_KIND_LATE_REPORT_PENALTY:
      return data.timeliness.late;
    case v1::SCORING_RULE_KIND_MISSING_REPORT_PENALTY:
      return data.timeliness.missing;
    case v1::SCORING_RULE_KIND_INDICATOR_BONUS: {
      v1::ScoringCriterion probe;
      probe.set_source(v1::CRITERION_SOURCE_INDICATOR);
      probe.set_indicator_code(rule.indicator_code());
      auto raw = RawValue(probe, data);
      return raw && *raw >= rule.threshold() ? 1 : 0;
    }
    default:
      return 0;
  }
}

double SignOf(const v1::ScoringRule& rule) {
  return rule.kind() == v1::SCORING_RULE_KIND_INDICATOR_BONUS ? 1 : -1;
}

// The scored entry of an expected member; `best` per criterion.
v1::RankedEntry ScoredEntry(const v1::ScoringScheme& scheme, const Member& m,
                            const std::vector<double>& best) {
  std::map<std::string, double> self_points;
  v1::RankedEntry e = EntryOf(m, &self_points);
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
    const int count = TimesApplied(rule, *m.data);
    if (count == 0) continue;
    v1::RuleApplication* applied = e.add_adjustments();
    applied->set_rule_code(rule.code());
    applied->set_count(count);
    applied->set_points(RoundPoints(SignOf(rule) * count * rule.points()));
    total += applied->points();
  }
  e.set_total(RoundPoints(total));
  return e;
}

// A member nothing was expected from: listed with why, never scored.
v1::RankedEntry UnscoredEntry(const Member& m) {
  std::map<std::string, double> ignored;
  v1::RankedEntry e = EntryOf(m, &ignored);
  *e.mutable_not_expected() = *m.not_expected;
  return e;
}

bool ByCode(const v1::RankedEntry& a, const v1::RankedEntry& b) {
  return a.organization_code() < b.organization_code();
}

}  // namespace

void ScoreCluster(const v1::ScoringScheme& scheme, const std::vector<Member>& members,
                  v1::ClusterRanking* out) {
  // The best raw value per criterion (share-of-best needs it) among the
  // members scored: one not expected sets no bar for the others.
  std::vector<double> best(scheme.criteria_size(), 0.0);
  for (int c = 0; c < scheme.criteria_size(); ++c) {
    for (const Member& m : members) {
      if (m.not_expected) continue;
      if (auto raw = RawValue(scheme.criteria(c), *m.data)) best[c] = std::max(best[c], *raw);
    }
  }
  std::vector<v1::RankedEntry> entries, unscored;
  entries.reserve(members.size());
  for (const Member& m : members) {
    if (m.not_expected) {
      unscored.push_back(UnscoredEntry(m));
    } else {
      entries.push_back(ScoredEntry(scheme, m, best));
    }
  }
  std::sort(entries.begin(), entries.end(), [](const v1::RankedEntry& a, const v1::RankedEntry& b) {
    if (a.total() != b.total()) return a.total() > b.total();
    return ByCode(a, b);
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
  std::sort(unscored.begin(), unscored.end(), ByCode);
  for (auto& e : unscored) *out->add_entries() = std::move(e);
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
  auto first_not_above =
      std::lower_bound(descending.begin(), descending.end(), value, std::greater<double>());
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
    std::copy_n(values.begin(), std::min<size_t>(values.size(), indicator_count),
                f.values[m].begin());
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
