#include "services/competition/scoring.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace competition {

int64_t ToHundredths(double points) { return std::llround(points * 100.0); }

bool HasAtMostTwoDecimals(double points) {
  if (!std::isfinite(points)) return false;
  return std::fabs(points * 100.0 - std::round(points * 100.0)) < 1e-6;
}

Lineage LineageOfCode(const std::string& code) { return Lineage{{code}, ""}; }

std::string ConflictOfInterest(const Lineage& judge, const Lineage& source) {
  if (judge.chain.empty() || source.chain.empty()) return "";
  const std::string& j = judge.chain.front();
  const std::string& e = source.chain.front();
  if (j == e) return absl::StrCat("the judge's organisation ", j, " is where the entry comes from");
  if (std::find(source.chain.begin(), source.chain.end(), j) != source.chain.end()) {
    return absl::StrCat("the judge's organisation ", j, " is above ", e,
                        ", where the entry comes from");
  }
  if (std::find(judge.chain.begin(), judge.chain.end(), e) != judge.chain.end()) {
    return absl::StrCat("the judge's organisation ", j, " is under ", e,
                        ", where the entry comes from");
  }
  if (!judge.province.empty() && judge.province == source.province) {
    return absl::StrCat("the judge's organisation ", j, " and ", e,
                        ", where the entry comes from, are both in province ", judge.province);
  }
  return "";
}

AssignmentPlan PlanAssignment(const std::vector<EntrySlot>& entries, std::vector<JudgeSlot>& judges,
                              int min_judges) {
  AssignmentPlan plan;
  // Panels: field -> judge indices, sorted by subject for determinism.
  std::vector<size_t> order(judges.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return judges[a].subject < judges[b].subject; });
  std::map<std::string, std::vector<size_t>> panels;
  for (size_t i : order) {
    for (const auto& field : judges[i].fields) panels[field].push_back(i);
  }
  // A slot whose lineage was not filled in still conflicts with its own
  // organisation: never less than the exact rule.
  std::vector<Lineage> judge_lineage, entry_lineage;
  for (const auto& j : judges) {
    judge_lineage.push_back(j.lineage.chain.empty() ? LineageOfCode(j.organization_code)
                                                    : j.lineage);
  }
  for (const auto& e : entries) {
    entry_lineage.push_back(e.lineage.chain.empty() ? LineageOfCode(e.source_organization_code)
                                                    : e.lineage);
  }
  // Most constrained entries first (fewest eligible judges), so that the
  // judges they depend on are not used up by entries that had a choice.
  std::vector<std::pair<size_t, size_t>> by_choice;  // (eligible judges, index)
  for (size_t k = 0; k < entries.size(); ++k) {
    size_t eligible = 0;
    for (size_t i : panels[entries[k].field]) {
      if (!Conflicted(judge_lineage[i], entry_lineage[k])) ++eligible;
    }
    by_choice.emplace_back(eligible, k);
  }
  std::stable_sort(by_choice.begin(), by_choice.end());
  for (const auto& [eligible, k] : by_choice) {
    const EntrySlot& entry = entries[k];
    int have = static_cast<int>(entry.assigned.size());
    if (have >= min_judges) continue;
    std::set<std::string> taken(entry.assigned.begin(), entry.assigned.end());
    const std::vector<size_t>& panel = panels[entry.field];
    while (have < min_judges) {
      const JudgeSlot* best = nullptr;
      size_t best_index = 0;
      for (size_t i : panel) {
        const JudgeSlot& judge = judges[i];
        if (taken.count(judge.subject) || Conflicted(judge_lineage[i], entry_lineage[k])) {
          continue;
        }
        if (best == nullptr || judge.load < best->load) {
          best = &judge;
          best_index = i;
        }
      }
      if (best == nullptr) {
        plan.shortfalls.push_back(absl::StrCat(
            "entry ", entry.id, " (field \"", entry.field, "\", from ",
            entry.source_organization_code, ") has ", have, " of ", min_judges,
            " judges and no further judge of its panel without a conflict of interest"));
        break;
      }
      taken.insert(best->subject);
      ++judges[best_index].load;
      plan.added.emplace_back(entry.id, best->subject);
      ++have;
    }
  }
  return plan;
}

int Compare(const FinalScore& a, const FinalScore& b) {
  // Both scored: a.sum/a.count vs b.sum/b.count; counts are positive.
  const __int128 left = static_cast<__int128>(a.sum) * b.count;
  const __int128 right = static_cast<__int128>(b.sum) * a.count;
  return left < right ? -1 : (left > right ? 1 : 0);
}

FinalScore ComputeFinal(std::vector<int64_t> totals) {
  FinalScore score;
  score.sheets = static_cast<int>(totals.size());
  if (totals.empty()) return score;
  std::sort(totals.begin(), totals.end());
  size_t first = 0, last = totals.size();
  if (totals.size() >= 5) {
    ++first;
    --last;
  }
  for (size_t i = first; i < last; ++i) score.sum += totals[i];
  score.count = static_cast<int>(last - first);
  return score;
}

std::vector<Ranked> Rank(const std::vector<std::pair<int64_t, FinalScore>>& scores) {
  std::vector<Ranked> ranked;
  ranked.reserve(scores.size());
  for (const auto& [id, score] : scores) {
    Ranked r;
    r.entry_id = id;
    r.score = score;
    ranked.push_back(std::move(r));
  }
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.score.scored() != b.score.scored()) return a.score.scored();
    if (a.score.scored()) {
      const int c = Compare(a.score, b.score);
      if (c != 0) return c > 0;
    }
    return a.entry_id < b.entry_id;
  });
  size_t i = 0;
  while (i < ranked.size() && ranked[i].score.scored()) {
    size_t j = i + 1;
    while (j < ranked.size() && ranked[j].score.scored() &&
           Compare(ranked[i].score, ranked[j].score) == 0) {
      ++j;
    }
    for (size_t k = i; k < j; ++k) {
      ranked[k].rank = static_cast<int>(i) + 1;
      for (size_t m = i; m < j; ++m) {
        if (m != k) ranked[k].tied_with.push_back(ranked[m].entry_id);
      }
    }
    i = j;
  }
  return ranked;
}

int TotalPrizes(const v1::PrizeStructure& p) {
  return p.first() + p.second() + p.third() + p.consolation();
}

void AssignPrizes(std::vector<Ranked>& ranked, const v1::PrizeStructure& prizes) {
  const int64_t min = ToHundredths(prizes.min_score());
  const int limits[4] = {prizes.first(), prizes.first() + prizes.second(),
                         prizes.first() + prizes.second() + prizes.third(), TotalPrizes(prizes)};
  const v1::Prize levels[4] = {v1::PRIZE_FIRST, v1::PRIZE_SECOND, v1::PRIZE_THIRD,
                               v1::PRIZE_CONSOLATION};
  for (Ranked& r : ranked) {
    r.prize = v1::PRIZE_NONE;
    if (r.rank == 0) continue;
    // Below the minimum: sum/count < min  <=>  sum < min * count.
    if (r.score.sum < min * r.score.count) continue;
    for (int level = 0; level < 4; ++level) {
      if (r.rank <= limits[level] &&
          (level == 0 ? prizes.first() : limits[level] - limits[level - 1]) > 0) {
        r.prize = levels[level];
        break;
      }
    }
  }
}

std::string PrizeName(v1::Prize prize) {
  switch (prize) {
    case v1::PRIZE_FIRST:
      return "first";
    case v1::PRIZE_SECOND:
      return "second";
    case v1::PRIZE_THIRD:
      return "third";
    case v1::PRIZE_CONSOLATION:
      return "consolation";
    default:
      return "none";
  }
}

std::vector<std::string> TieNotes(const std::vector<Ranked>& ranked,
                                  const v1::PrizeStructure& prizes, bool awarded) {
  std::vector<std::string> notes;
  for (size_t i = 0; i < ranked.size();) {
    size_t j = i + 1;
    while (j < ranked.size() && ranked[i].rank != 0 && ranked[j].rank == ranked[i].rank) ++j;
    if (j - i > 1) {
      std::vector<int64_t> ids;
      for (size_t k = i; k < j; ++k) ids.push_back(ranked[k].entry_id);
      std::string note =
          absl::StrFormat("entries %s share rank %d with %.2f", absl::StrJoin(ids, ", "),
                          ranked[i].rank, ranked[i].score.value());
      if (awarded) {
        absl::StrAppend(&note, ranked[i].prize == v1::PRIZE_NONE
                                   ? "; none of them receives a prize"
                                   : absl::StrCat("; each receives the ",
                                                  PrizeName(ranked[i].prize), " prize"));
      } else {
        absl::StrAppend(&note, "; the tie stands (no tie-break)");
      }
      notes.push_back(note);
    }
    i = j;
  }
  if (awarded) {
    std::map<v1::Prize, int> given;
    for (const Ranked& r : ranked) ++given[r.prize];
    const std::pair<v1::Prize, int> planned[] = {{v1::PRIZE_FIRST, prizes.first()},
                                                 {v1::PRIZE_SECOND, prizes.second()},
                                                 {v1::PRIZE_THIRD, prizes.third()},
                                                 {v1::PRIZE_CONSOLATION, prizes.consolation()}};
    for (const auto& [prize, count] : planned) {
      if (given[prize] > count) {
        notes.push_back(absl::StrCat(given[prize], " ", PrizeName(prize),
                                     " prizes given where the structure has ", count,
                                     ", because of a tie"));
      }
    }
  }
  return notes;
}

}  // namespace competition
