// Edge validation of aggregator requests: every problem, with its field,
// before anything is read or written. The content rules of a pushed report
// are fed::ValidateReportContent's; this file adds what the aggregator needs
// around them. Pure functions, apart from the catalog they read.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "federation/v1/aggregator.pb.h"
#include "federation/v1/registry.pb.h"
#include "services/aggregator/condition.h"
#include "services/common/period.h"
#include "services/common/validation.h"

namespace aggregator {

namespace v1 = federation::v1;

inline constexpr size_t kMaxCommentChars = 4000;
inline constexpr size_t kMaxSubmittedByChars = 200;
inline constexpr int kMaxPushedValues = 1000;
inline constexpr int kMaxChangesPerPage = 5000;
inline constexpr int kMaxSeriesPeriods = 200;
inline constexpr int kMaxCountedOrganizations = 10000;

// A pushed report: its content, and a revision the province numbered.
fed::Violations ValidatePushedReport(const v1::Report& report, absl::CivilDay today);
// The registry's organisation existed at some point of the report's period.
void CheckActiveDuring(fed::Violations& v, const v1::Organization& organization,
                       const v1::Report& report);

// The (organisation, period) a read names.
fed::Violations ValidateReportKey(const std::string& organization_code, const std::string& period);
// A review decision names the revision reviewed; returning and reopening
// say why in the comment.
fed::Violations ValidateReview(const v1::ReviewRequest& req, bool comment_required);

fed::Violations ValidateListChanges(const v1::ListChangesRequest& req);
fed::Violations ValidateWatchChanges(const v1::WatchChangesRequest& req);

// The figures' requests, each also giving back what it parsed.
fed::Violations ValidateTotals(const v1::TotalsRequest& req, fed::Period* period,
                               std::vector<int>* indexes);
// `map_day`: the organisational map to count against (as_of, or the
// period's last day).
fed::Violations ValidateCoverage(const v1::CoverageRequest& req, fed::Period* period,
                                 std::unique_ptr<Condition>* condition, std::string* map_day);
fed::Violations ValidateCompleteness(const v1::CompletenessRequest& req, fed::Period* period,
                                     std::string* map_day);
// `indexes`: the catalog index of each indicator asked for, in order.
fed::Violations ValidateSeries(const v1::SeriesRequest& req, std::vector<fed::Period>* periods,
                               std::vector<int>* indexes);
fed::Violations ValidateCountedValues(const v1::CountedValuesRequest& req, fed::Period* period);

}  // namespace aggregator
