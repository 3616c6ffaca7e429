// Edge validation of reporting requests. The content rules themselves
// (catalog codes, types, relations between indicators, narrative) are
// fed::ValidateReportContent's; this file adds what the reporting service
// needs around them. Pure functions, unit-tested without a server.
#pragma once

#include <string>

#include "absl/time/civil_time.h"
#include "federation/v1/registry.pb.h"
#include "federation/v1/report.pb.h"
#include "services/common/period.h"
#include "services/common/validation.h"

namespace reporting {

namespace v1 = federation::v1;

// The (organisation, period) a request names: code well-formed, period
// well-formed and started by `today`.
fed::Violations ValidateReportKey(const std::string& organization_code, const std::string& period,
                                  absl::CivilDay today);

// What a draft may hold: fed::ValidateReportContent (missing values are fine).
fed::Violations ValidateDraftContent(const v1::Report& report, absl::CivilDay today);

// Adds one violation per catalog indicator without a value: a submitted
// report answers every indicator (0 or false when nothing happened).
void CheckComplete(fed::Violations& v, const v1::Report& report);

// The registry's organisation existed during `period`: active_from on or
// before its last day, and active_until (exclusive) empty or after its first.
bool ActiveDuring(const v1::Organization& organization, const fed::Period& period);
void CheckActiveDuring(fed::Violations& v, const v1::Organization& organization,
                       const fed::Period& period);

}  // namespace reporting
