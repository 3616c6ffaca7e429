// What a jury sees beside each official score (calibration.h's arithmetic
// applied to one contest): each entry's spread and interval, the calibrated
// scores when judges can be compared, the agreement of the whole contest and
// of each field's panel, and the prize boundaries the data cannot draw.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "federation/v1/competition.pb.h"
#include "services/competition/calibration.h"

namespace competition {

namespace v1 = federation::v1;

struct JuryStatistics {
  std::map<int64_t, EntrySpread> spreads;  // by entry id, entries with sheets
  Calibration calibration;
  // The whole contest ("") first, then each field with sheets, by name.
  std::vector<std::pair<std::string, Agreement>> agreement;
};

// The highest total a sheet can have: the criteria's weight x max points.
double ScaleMax(const v1::Contest& contest);

// `sheets` of `contest`; `field_of` names each entry's field.
JuryStatistics ComputeJury(const v1::Contest& contest, const std::vector<SheetTotal>& sheets,
                           const std::map<int64_t, std::string>& field_of);

// How an entry's final score was reached under `rule` from `sheets`, in the
// jury's words ("bỏ 1 cao nhất, 1 thấp nhất trong 7 phiếu").
std::string RuleWords(v1::ScoreRule rule, int sheets);

// The ranks after which a prize level ends ({1, 3, 6} for one first, two
// second and three third prizes), levels without prizes left out.
std::vector<int> PrizeBoundaries(const v1::PrizeStructure& prizes);

}  // namespace competition
