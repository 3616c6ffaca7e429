#include "services/competition/calibration.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include "absl/strings/str_cat.h"

namespace competition {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double Mean(const std::vector<double>& values) {
  if (values.empty()) return 0;
  return std::accumulate(values.begin(), values.end(), 0.0) / values.size();
}

// Sum over ordered pairs (i != j) of (v_i - v_j)^2, from the sums alone:
// 2 (n * sum(v^2) - sum(v)^2).
double SumOfSquaredPairDifferences(double n, double sum, double sum_squares) {
  return 2 * (n * sum_squares - sum * sum);
}

// Disjoint sets over judges and entries, to find the groups that scored
// entries in common.
class Components {
 public:
  explicit Components(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  size_t Find(size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void Join(size_t a, size_t b) { parent_[Find(a)] = Find(b); }

 private:
  std::vector<size_t> parent_;
};

// Average ranks (1-based), ties sharing the mean of their positions.
std::vector<double> AverageRanks(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
    const double rank = (i + j) / 2.0 + 1;
    for (size_t k = i; k <= j; ++k) ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

double Pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const double ma = Mean(a), mb = Mean(b);
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  if (saa == 0 || sbb == 0) return kNaN;
  return sab / std::sqrt(saa * sbb);
}

}  // namespace

double StudentT95(int df) {
  // Two-sided 95% quantiles; between tabulated rows the row below is used
  // (a slightly wider interval, never a narrower one).
  static constexpr double kTable[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
                                      2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
                                      2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
                                      2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
  if (df < 1) return kNaN;
  if (df <= 30) return kTable[df - 1];
  if (df < 40) return 2.042;
  if (df < 60) return 2.021;
  if (df < 120) return 2.000;
  if (df == 120) return 1.980;
  return 1.960;
}

EntrySpread SpreadOf(std::vector<double> totals, double scale_max, double disagreement_share) {
  EntrySpread s;
  s.sheets = static_cast<int>(totals.size());
  if (totals.empty()) return s;
  std::sort(totals.begin(), totals.end());
  const size_t n = totals.size();
  s.mean = Mean(totals);
  s.median = n % 2 == 1 ? totals[n / 2] : (totals[n / 2 - 1] + totals[n / 2]) / 2;
  s.min = totals.front();
  s.max = totals.back();
  s.low = s.high = s.mean;
  if (n >= 2) {
    double squares = 0;
    for (double t : totals) squares += (t - s.mean) * (t - s.mean);
    s.sd = std::sqrt(squares / (n - 1));
    const double half = StudentT95(static_cast<int>(n) - 1) * s.sd / std::sqrt(n);
    s.low = s.mean - half;
    s.high = s.mean + half;
  }
  s.disagreement = n >= 2 && scale_max > 0 && s.max - s.min > disagreement_share * scale_max;
  return s;
}

Agreement AgreementOf(const std::vector<SheetTotal>& sheets) {
  std::map<int64_t, std::vector<double>> by_entry;
  for (const SheetTotal& sheet : sheets) by_entry[sheet.entry_id].push_back(sheet.points);

  Agreement out;
  double n = 0, sum = 0, sum_squares = 0;  // over every pairable value
  double within_pairs = 0;                 // Krippendorff's observed disagreement, times n
  double within_squares = 0;               // ICC's within-entry sum of squares
  std::vector<std::pair<double, double>> unit_means;  // (sheets, mean) per unit
  for (const auto& [entry, values] : by_entry) {
    const double m = values.size();
    if (m < 2) continue;  // one sheet says nothing about agreement
    ++out.units;
    double s = 0, ss = 0;
    for (double v : values) {
      s += v;
      ss += v * v;
    }
    n += m;
    sum += s;
    sum_squares += ss;
    within_pairs += SumOfSquaredPairDifferences(m, s, ss) / (m - 1);
    within_squares += ss - s * s / m;
    unit_means.emplace_back(m, s / m);
  }
  out.krippendorff_alpha = kNaN;
  out.icc1 = kNaN;
  if (out.units < 2) return out;

  const double observed = within_pairs / n;
  const double expected = SumOfSquaredPairDifferences(n, sum, sum_squares) / (n * (n - 1));
  if (expected > 0) out.krippendorff_alpha = 1 - observed / expected;

  const double k = out.units;
  const double grand = sum / n;
  double between_squares = 0, sizes_squared = 0;
  for (const auto& [m, mean] : unit_means) {
    between_squares += m * (mean - grand) * (mean - grand);
    sizes_squared += m * m;
  }
  const double msb = between_squares / (k - 1);
  const double msw = n > k ? within_squares / (n - k) : 0;
  const double n0 = (n - sizes_squared / n) / (k - 1);  // the "average" sheets per entry
  if (msb + (n0 - 1) * msw > 0) out.icc1 = (msb - msw) / (msb + (n0 - 1) * msw);
  return out;
}

Calibration Calibrate(const std::vector<SheetTotal>& sheets, const CalibrationOptions& options) {
  Calibration out;
  // Judges by name and entries by id, in order, so the fit is deterministic.
  std::map<std::string, size_t> judge_index;
  std::map<int64_t, size_t> entry_index;
  for (const SheetTotal& sheet : sheets) {
    judge_index.emplace(sheet.judge, 0);
    entry_index.emplace(sheet.entry_id, 0);
  }
  std::vector<std::string> judge_names;
  for (auto& [name, index] : judge_index) {
    index = judge_names.size();
    judge_names.push_back(name);
  }
  std::vector<int64_t> entry_ids;
  for (auto& [id, index] : entry_index) {
    index = entry_ids.size();
    entry_ids.push_back(id);
  }
  const size_t judges = judge_names.size(), entries = entry_ids.size();
  if (judges < 2) {
    out.components = judges;
    out.why_not = judges == 0 ? "no sheets yet" : "one judge: there is no one to compare with";
    return out;
  }

  struct Obs {
    size_t judge, entry;
    double y;
  };
  std::vector<Obs> obs;
  obs.reserve(sheets.size());
  Components groups(judges + entries);
  for (const SheetTotal& sheet : sheets) {
    const Obs o{judge_index[sheet.judge], entry_index[sheet.entry_id], sheet.points};
    obs.push_back(o);
    groups.Join(o.judge, judges + o.entry);
  }
  std::map<size_t, std::vector<std::string>> judges_by_group;
  for (size_t j = 0; j < judges; ++j) judges_by_group[groups.Find(j)].push_back(judge_names[j]);
  out.components = static_cast<int>(judges_by_group.size());
  if (out.components > 1) {
    auto first = judges_by_group.begin(), second = std::next(first);
    out.why_not =
        absl::StrCat("the judges form ", out.components, " groups that scored no entry in common (",
                     first->second.front(), " and ", second->second.front(),
                     " for one): their scales cannot be compared");
    return out;
  }

  std::vector<double> offset(judges, 0), quality(entries, 0);
  std::vector<double> judge_sheets(judges, 0), entry_sheets(entries, 0);
  for (const Obs& o : obs) {
    ++judge_sheets[o.judge];
    ++entry_sheets[o.entry];
  }
  // Alternating exact minimisation of the penalised sum of squares: each
  // step solves one block given the other, so the objective never rises and
  // (being strictly convex once the offsets are penalised) reaches its
  // unique minimum.
  std::vector<double> acc;
  for (out.iterations = 1; out.iterations <= options.max_iterations; ++out.iterations) {
    double moved = 0;
    acc.assign(entries, 0);
    for (const Obs& o : obs) acc[o.entry] += o.y - offset[o.judge];
    for (size_t e = 0; e < entries; ++e) {
      const double next = acc[e] / entry_sheets[e];
      moved = std::max(moved, std::abs(next - quality[e]));
      quality[e] = next;
    }
    acc.assign(judges, 0);
    for (const Obs& o : obs) acc[o.judge] += o.y - quality[o.entry];
    for (size_t j = 0; j < judges; ++j) {
      const double next = acc[j] / (judge_sheets[j] + options.shrinkage);
      moved = std::max(moved, std::abs(next - offset[j]));
      offset[j] = next;
    }
    if (moved <= options.tolerance) break;
  }
  out.iterations = std::min(out.iterations, options.max_iterations);

  // Residual spread, on the degrees of freedom left after the qualities and
  // the (shrunk, so partly free) offsets.
  double residual_squares = 0;
  for (const Obs& o : obs) {
    const double r = o.y - quality[o.entry] - offset[o.judge];
    residual_squares += r * r;
  }
  double used = entries;
  for (size_t j = 0; j < judges; ++j) {
    used += judge_sheets[j] / (judge_sheets[j] + options.shrinkage);
  }
  const double df = std::max(1.0, static_cast<double>(obs.size()) - used);
  out.residual_sd = std::sqrt(residual_squares / df);
  const double variance = out.residual_sd * out.residual_sd;

  std::vector<double> offset_variance(judges), tougher(judges, 0), sums(judges, 0);
  for (size_t j = 0; j < judges; ++j) {
    offset_variance[j] = variance / (judge_sheets[j] + options.shrinkage);
  }
  std::vector<double> entry_offset_variance(entries, 0), raw(entries, 0);
  for (const Obs& o : obs) {
    entry_offset_variance[o.entry] += offset_variance[o.judge];
    raw[o.entry] += o.y;
    sums[o.judge] += o.y;
    if (o.y < quality[o.entry]) ++tougher[o.judge];
  }
  for (size_t j = 0; j < judges; ++j) {
    JudgeCalibration c;
    c.judge = judge_names[j];
    c.sheets = static_cast<int>(judge_sheets[j]);
    c.mean = sums[j] / judge_sheets[j];
    c.offset = offset[j];
    c.se = std::sqrt(offset_variance[j]);
    c.toughness_share = tougher[j] / judge_sheets[j];
    out.judges.push_back(c);
  }
  for (size_t e = 0; e < entries; ++e) {
    EntryCalibration c;
    const double m = entry_sheets[e];
    c.entry_id = entry_ids[e];
    c.sheets = static_cast<int>(m);
    c.raw_mean = raw[e] / m;
    c.calibrated = quality[e];
    c.se = std::sqrt(variance / m + entry_offset_variance[e] / (m * m));
    out.entries.push_back(c);
  }
  out.comparable = true;
  return out;
}

std::vector<BoundaryOverlap> OverlappingBoundaries(const std::vector<ScoredInterval>& ranked,
                                                   const std::vector<int>& boundaries) {
  std::vector<BoundaryOverlap> out;
  for (int after : boundaries) {
    if (after < 1 || static_cast<size_t>(after) >= ranked.size()) continue;
    const ScoredInterval& above = ranked[after - 1];
    const ScoredInterval& below = ranked[after];
    if (above.low <= below.high) out.push_back({after, above.entry_id, below.entry_id});
  }
  return out;
}

double SpearmanCorrelation(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size() || a.size() < 2) return kNaN;
  return Pearson(AverageRanks(a), AverageRanks(b));
}

}  // namespace competition
