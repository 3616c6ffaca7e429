// Checks a report's content against the catalog and the domain's rules.
// Shared by the reporting service (dry run, submit) and the aggregator
// (intake from any provincial system). Rules that need other services (is
// the organisation active in the period?) are the caller's.
#pragma once

#include <vector>

#include "absl/time/civil_time.h"
#include "federation/v1/report.pb.h"
#include "services/common/validation.h"

namespace fed {

// Every content problem, with fields like "values[3].count" or "period".
Violations ValidateReportContent(const federation::v1::Report& report, absl::CivilDay today);

// Warnings (not errors) for implausible jumps against the previous period
// of the same kind: a stock that more than doubles or halves, a flow more
// than five times the previous value.
std::vector<federation::v1::ValidationWarning> CompareWithPrevious(
    const federation::v1::Report& report, const federation::v1::Report& previous);

}  // namespace fed
