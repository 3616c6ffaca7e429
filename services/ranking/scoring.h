// The arithmetic of emulation scores, free of I/O so that every rule is
// unit-tested: normalisation of a criterion's raw value, points, bonus and
// penalty rules, standard competition ranking, and cluster statistics.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "federation/v1/ranking.pb.h"

namespace ranking {

namespace v1 = federation::v1;

// Which of a period's reports arrived, and when (from the aggregator).
struct Timeliness {
  int on_time = 0;   // received by the due date
  int late = 0;      // received after it
  int missing = 0;   // due date passed, nothing received
};

// Everything scoring needs about one organisation for one period: counted
// (accepted) values by catalog index, NaN = not reported.
struct OrgPeriod {
  std::vector<double> values;
  bool reported = false;
  Timeliness timeliness;
};

// One member of a cluster as scoring sees it.
struct Member {
  std::string code;
  std::string name;
  std::string role;  // "head", "deputy", ""
  const OrgPeriod* data = nullptr;  // never null
  const v1::SelfAssessment* self = nullptr;  // may be null
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
// marked as the flag proposal. Fills entries only; the caller sets the rest.
void ScoreCluster(const v1::ScoringScheme& scheme, const std::vector<Member>& members,
                  v1::ClusterRanking* out);

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
