// The arithmetic of judging, free of storage and gRPC so that it is unit-
// tested and benchmarked on its own: automatic assignment of judges, final
// scores, ranking with explicit ties, prizes. Points travel in hundredths
// (integers) so that equal scores compare equal.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "federation/v1/competition.pb.h"

namespace competition {

namespace v1 = federation::v1;

// "82.5" -> 8250; the caller has checked there are at most two decimals.
int64_t ToHundredths(double points);
// Whether `points` has at most two decimals.
bool HasAtMostTwoDecimals(double points);

// ---------------------------------------------------------------------------
// Assignment
// ---------------------------------------------------------------------------

// Where an organisation sits in the registry's tree, as far as conflicts of
// interest go (Directory::LineageOf reads it from the registry).
struct Lineage {
  // The organisation itself first, then its parent, its parent's parent...
  // up to but not including the national union: the national union is above
  // every organisation, so counting it would bar its own staff from judging
  // anything.
  std::vector<std::string> chain;
  // Its provincial union; empty for the national union and the organisations
  // directly under it (national member associations are not one province).
  std::string province;
};

// A lineage of just `code`, for an organisation nothing is known about.
Lineage LineageOfCode(const std::string& code);

// Why a judge from `judge` must not score an entry from `source`, or empty
// when they may. A conflict of interest is more than one organisation: a
// provincial union's judge has a stake in its member associations' entries
// and they in each other's (one province's prizes, one province's report),
// so it exists when the two are the same organisation, one is above the
// other in the registry's tree, or both belong to the same provincial union.
std::string ConflictOfInterest(const Lineage& judge, const Lineage& source);
inline bool Conflicted(const Lineage& judge, const Lineage& source) {
  return !ConflictOfInterest(judge, source).empty();
}

struct JudgeSlot {
  std::string subject;
  std::string organization_code;
  std::vector<std::string> fields;
  int load = 0;  // assignments already held
  Lineage lineage;
};

struct EntrySlot {
  int64_t id = 0;
  std::string field;
  std::string source_organization_code;
  std::vector<std::string> assigned;  // judges already assigned
  Lineage lineage;
};

struct AssignmentPlan {
  // (entry id, judge subject) to add.
  std::vector<std::pair<int64_t, std::string>> added;
  // One sentence per entry that cannot reach the minimum.
  std::vector<std::string> shortfalls;
};

// Gives each entry judges from its field's panel until it has `min_judges`,
// never a conflicted one (by their lineages), always the least loaded eligible judge (ties by
// subject, so the plan is deterministic). Updates the loads in `judges`.
AssignmentPlan PlanAssignment(const std::vector<EntrySlot>& entries, std::vector<JudgeSlot>& judges,
                              int min_judges);

// ---------------------------------------------------------------------------
// Final scores, ranks, prizes
// ---------------------------------------------------------------------------

// A mean kept as a fraction: sum / count hundredths.
struct FinalScore {
  int64_t sum = 0;
  int count = 0;   // sheets counted (after dropping)
  int sheets = 0;  // sheets submitted
  bool scored() const { return count > 0; }
  double value() const { return count == 0 ? 0 : static_cast<double>(sum) / count / 100.0; }
};
// Compares exactly (cross-multiplication): <0, 0, >0.
int Compare(const FinalScore& a, const FinalScore& b);

// Mean of the sheets' totals, dropping one highest and one lowest when five
// or more judges scored.
FinalScore ComputeFinal(std::vector<int64_t> totals);

struct Ranked {
  int64_t entry_id = 0;
  FinalScore score;
  int rank = 0;                    // 0: unscored
  std::vector<int64_t> tied_with;  // other entries with exactly the same score
  v1::Prize prize = v1::PRIZE_NONE;
};

// Standard competition ranking (1, 2, 2, 4) by final score, highest first;
// equal scores share a rank and list each other; unscored entries come last
// with rank 0. Order within a tie is by entry id (display only).
std::vector<Ranked> Rank(const std::vector<std::pair<int64_t, FinalScore>>& scores);

// Prize by rank: rank <= first -> first prize, <= first + second -> second,
// and so on, for entries at or above the minimum score. Entries sharing a
// rank share its prize, so a tie across a prize limit gives every tied entry
// the better prize (reported by TieNotes, never decided silently).
void AssignPrizes(std::vector<Ranked>& ranked, const v1::PrizeStructure& prizes);

// One sentence per tie group (and per prize level given more often than the
// structure says because of a tie).
std::vector<std::string> TieNotes(const std::vector<Ranked>& ranked,
                                  const v1::PrizeStructure& prizes, bool awarded);

// "first", "second", "third", "consolation", "none".
std::string PrizeName(v1::Prize prize);
int TotalPrizes(const v1::PrizeStructure& prizes);

}  // namespace competition
