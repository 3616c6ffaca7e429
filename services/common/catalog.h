// The indicator catalog (DOMAIN.md, "Reports"). Codes are public API: a new
// version may add indicators, never rename or drop one.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "federation/v1/report.pb.h"

namespace fed {

// The newest catalog version this build knows.
inline constexpr int kLatestCatalogVersion = 1;

// The catalog at `version` (the newest when 0 or unknown-newer); nullptr
// for a version that never existed.
const federation::v1::IndicatorCatalog* CatalogVersion(int version);
const federation::v1::IndicatorCatalog& LatestCatalog();

// The indicator with this code in the latest catalog, or nullptr.
const federation::v1::Indicator* FindIndicator(absl::string_view code);
// Its position in the latest catalog (the index of per-indicator arrays), or -1.
int IndicatorIndex(absl::string_view code);

// The value of an IndicatorValue as a number (flags: 1 or 0).
double NumericValue(const federation::v1::IndicatorValue& value);

}  // namespace fed
