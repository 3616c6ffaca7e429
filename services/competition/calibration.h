// How far a jury can trust its numbers: per-entry spread and intervals,
// agreement between judges, and an advisory calibrated score that takes each
// judge's habitual toughness or leniency out. Pure arithmetic over sheet
// totals (no storage, no gRPC), deterministic, so that it is unit-tested
// against planted answers and benchmarked on its own.
//
// The model behind the calibrated score: a sheet's total is
//   points(judge, entry) = quality(entry) + offset(judge) + noise,
// fitted by least squares with a ridge penalty on the offsets: a judge with
// few sheets is pulled toward offset 0 (no evidence of toughness) instead of
// being trusted on two numbers. Judges can only be compared through entries
// they scored in common, so the fit is offered only when the judge-entry
// graph is connected; otherwise it says why and gives no numbers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace competition {

// One submitted score sheet, reduced to what the statistics need.
struct SheetTotal {
  std::string judge;
  int64_t entry_id = 0;
  double points = 0;  // the sheet's total
};

// ---------------------------------------------------------------------------
// Per entry: spread and interval of its sheets
// ---------------------------------------------------------------------------

struct EntrySpread {
  int sheets = 0;
  double mean = 0;
  double median = 0;
  double sd = 0;  // sample standard deviation (0 with one sheet)
  double min = 0;
  double max = 0;
  // 95% interval of the mean (Student's t); equal to the mean with one sheet.
  double low = 0;
  double high = 0;
  // Judges differ by more than `disagreement_share` of the scale (max - min).
  bool disagreement = false;
};

// The spread of one entry's sheet totals; `scale_max` is the highest total a
// sheet can have (the criteria's maximum points added up).
EntrySpread SpreadOf(std::vector<double> totals, double scale_max,
                     double disagreement_share = 0.25);

// Student's t quantile for a two-sided 95% interval with `df` degrees of
// freedom (df >= 1; 1.96 from df > 120).
double StudentT95(int df);

// ---------------------------------------------------------------------------
// Agreement of a panel
// ---------------------------------------------------------------------------

struct Agreement {
  // Entries with at least two sheets (only those say anything about agreement).
  int units = 0;
  // Krippendorff's alpha, interval metric: 1 = perfect agreement, 0 = no more
  // than chance; missing sheets allowed. NaN when undefined (no pairable
  // values, or no variation at all).
  double krippendorff_alpha = 0;
  // ICC(1): one-way random effects, single rater, absolute agreement, with
  // unequal numbers of sheets per entry (the judges differ between entries,
  // so the two-way forms do not apply). NaN when undefined.
  double icc1 = 0;
};

Agreement AgreementOf(const std::vector<SheetTotal>& sheets);

// ---------------------------------------------------------------------------
// Calibrated scores
// ---------------------------------------------------------------------------

struct CalibrationOptions {
  // Ridge penalty on the offsets, in sheets: an offset is shrunk as if the
  // judge had also scored this many entries exactly at their quality (a
  // judge with 3 sheets keeps half of their apparent offset at 3).
  double shrinkage = 3;
  int max_iterations = 1000;
  // Stop when no estimate moves by more than this (points).
  double tolerance = 1e-7;
};

struct JudgeCalibration {
  std::string judge;
  int sheets = 0;
  double mean = 0;    // of their totals, as given
  double offset = 0;  // > 0 lenient, < 0 tough, in points
  double se = 0;      // standard error of the offset (approximate, below)
  // Share of the judge's sheets below the calibrated quality of the entry
  // (how often they scored tougher than the consensus).
  double toughness_share = 0;
};

struct EntryCalibration {
  int64_t entry_id = 0;
  int sheets = 0;
  double raw_mean = 0;
  double calibrated = 0;  // estimated quality
  double se = 0;          // standard error (approximate, below)
};

struct Calibration {
  // False when judges cannot be compared; `why_not` then says why in words
  // and the lists are empty.
  bool comparable = false;
  std::string why_not;
  int components = 0;  // connected groups of judges and entries
  int iterations = 0;
  // Residual standard deviation of a sheet around quality + offset.
  double residual_sd = 0;
  std::vector<JudgeCalibration> judges;   // by judge name
  std::vector<EntryCalibration> entries;  // by entry id
};

// Fits the model to `sheets` (at most one sheet per judge and entry).
// Standard errors are conditional approximations: an offset's is
// sigma / sqrt(sheets + shrinkage), a quality's adds its judges' offset
// uncertainty to sigma^2 / sheets; they size intervals, they are not exact.
Calibration Calibrate(const std::vector<SheetTotal>& sheets,
                      const CalibrationOptions& options = {});

// ---------------------------------------------------------------------------
// Prize boundaries
// ---------------------------------------------------------------------------

// A score with its 95% interval, in rank order (best first).
struct ScoredInterval {
  int64_t entry_id = 0;
  double score = 0;
  double low = 0;
  double high = 0;
};

// A prize boundary the data cannot draw: the last entry above it and the
// first below have overlapping intervals.
struct BoundaryOverlap {
  int after_rank = 0;  // the boundary lies after this many entries
  int64_t above = 0;
  int64_t below = 0;
};

// For each boundary (a count of entries above it, e.g. {1, 3, 6} for one
// first, two second and three third prizes) whose neighbours' intervals
// overlap. `ranked` is best first.
std::vector<BoundaryOverlap> OverlappingBoundaries(const std::vector<ScoredInterval>& ranked,
                                                   const std::vector<int>& boundaries);

// Spearman's rank correlation of two equally long lists (average ranks for
// ties); NaN for fewer than two values or no variation.
double SpearmanCorrelation(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace competition
