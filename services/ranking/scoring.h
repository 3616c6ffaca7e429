// The arithmetic of emulation scores, free of I/O so that every rule is
// unit-tested: normalisation of a criterion's raw value, points, bonus and
// penalty rules, standard competition ranking, and cluster statistics.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "federation/v1/ranking.pb.h"
#include "services/common/period.h"

namespace ranking {

namespace v1 = federation::v1;

// Which of a period's reports arrived, and when (from the aggregator).
struct Timeliness {
  int on_time = 0;  // received by the due date
  int late = 0;     // received after it
  int missing = 0;  // due date passed, nothing received
};

// Everything scoring needs about one organisation for one period: counted
// (accepted) values by catalog index, NaN = not reported.
struct OrgPeriod {
  std::vector<double> values;
  bool reported = false;
  Timeliness timeliness;
};

// An organisation as rankings see it: its display name and when it existed
// on its own in the registry's timeline.
struct OrgLife {
  std::string name;
  std::optional<absl::CivilDay> from;   // unset when not known
  std::optional<absl::CivilDay> until;  // first day it no longer existed on its own
  std::string successor_code;           // what it was merged into, if it was
  bool ExistsOn(absl::CivilDay day) const;
};
bool operator==(const OrgLife& a, const OrgLife& b);

// Effective dating: a report for `period` is expected from an organisation
// only when it exists on the period's last day (the due date comes later),
// the same organisations the aggregator's completeness expects. A province
// merged on 2025-07-01 owes 2025H1, but neither 2025H2 nor the year 2025.
bool ExpectedFor(const OrgLife& life, const fed::Period& period);

// Why the organisation was not expected for `period`, for its ranking
// entry; nullopt when it was. `successor_name` names life.successor_code.
std::optional<v1::NotExpected> WhyNotExpected(const OrgLife& life, const fed::Period& period,
                                              const std::string& successor_name);

// One member of a cluster as scoring sees it.
struct Member {
  std::string code;
  std::string name;
  std::string role;                          // "head", "deputy", ""
  const OrgPeriod* data = nullptr;           // never null
  const v1::SelfAssessment* self = nullptr;  // may be null
  // Set when nothing was expected from it for the period: listed, not scored.
  std::optional<v1::NotExpected> not_expected;
};

// The raw value a criterion reads; nullopt when absent.
std::optional<double> RawValue(const v1::ScoringCriterion& criterion, const OrgPeriod& data);

// 0..1. `best` is the cluster's best raw value (share-of-best only).
double Normalise(const v1::ScoringCriterion& criterion, double raw, double best);

// Points rounded to 1/1000, so that sums of the same figures tie exactly.
double RoundPoints(double points);

// Standard competition ranks for totals already sorted best first:
// {90, 80, 80, 70} -> {1, 2, 2, 4}.
std::vector<int> CompetitionRanks(const std::vector<double>& sorted_totals);

// Scores and ranks one cluster: entries best first (ties by code), rank 1
// marked as the flag proposal, then the members not expected for the period
// (by code, unscored). Fills entries only; the caller sets the rest.
void ScoreCluster(const v1::ScoringScheme& scheme, const std::vector<Member>& members,
                  v1::ClusterRanking* out);

// Whether an entry was scored and ranked (its member was expected).
inline bool IsRanked(const v1::RankedEntry& entry) { return !entry.has_not_expected(); }

// Average, median and best over the present values.
struct Stats {
  int count = 0;
  double sum = 0, average = 0, median = 0, best = 0;
  std::string best_code;
};
Stats StatsOf(const std::vector<std::pair<std::string, double>>& values);

// Every catalog indicator of one cluster for one period, for comparisons:
// what each member counted and the cluster's statistics, computed once so
// that a comparison query is lookups.
struct ClusterFigures {
  struct Indicator {
    Stats stats;                     // over the members that reported it
    std::vector<double> descending;  // their values, best first
    // Standard competition rank of `value` among them (1 + how many are above).
    int RankOf(double value) const;
  };
  std::vector<std::string> members;         // in the cluster's order
  std::vector<std::vector<double>> values;  // [member][catalog index], NaN = not reported
  std::vector<Indicator> indicators;        // by catalog index
  // -1 when `code` is not a member.
  int MemberIndex(const std::string& code) const;
};
// `data[i]` is what `members[i]` counted; `indicator_count` the catalog's size.
ClusterFigures FiguresOf(const std::vector<std::string>& members,
                         const std::vector<const OrgPeriod*>& data, int indicator_count);

}  // namespace ranking
