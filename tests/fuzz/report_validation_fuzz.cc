// The aggregator's intake reads a PushedReport off the stream from any
// provincial system: the fuzz bytes are that message, run through every
// content and edge check it meets before anything is stored. The same bytes
// are also read as the aggregator's other requests (review, figures, feed),
// whose checks are validate.h's too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "federation/v1/aggregator.pb.h"
#include "services/aggregator/validate.h"
#include "services/common/report_validation.h"

namespace {

namespace v1 = federation::v1;

// A fixed calendar, so that a crash found once reproduces on any day.
const absl::CivilDay kToday(2025, 8, 1);

// A plausible previous report, for the jump warnings against it: stocks and
// flows, a zero and a flag.
v1::Report PreviousReport() {
  v1::Report previous;
  previous.set_organization_code("14");
  previous.set_period("2024H2");
  const struct {
    const char* code;
    int64_t count;
  } kCounts[] = {{"members", 1200},
                 {"intellectuals", 800},
                 {"workshops", 6},
                 {"contest_entries", 0},
                 {"staff", 12}};
  for (const auto& c : kCounts) {
    v1::IndicatorValue* value = previous.add_values();
    value->set_code(c.code);
    value->set_count(c.count);
  }
  v1::IndicatorValue* flag = previous.add_values();
  flag->set_code("has_website");
  flag->set_flag(true);
  return previous;
}

// The registry's record of the pushing organisation.
v1::Organization Organization() {
  v1::Organization organization;
  organization.set_code("14");
  organization.set_active_from("2010-01-01");
  organization.set_active_until("2025-07-01");
  return organization;
}

// Every violation names a field: a check that forgot to would leave the
// province guessing what to fix.
void CheckNamed(const fed::Violations& v) {
  for (const auto& violation : v.errors().violations()) {
    if (violation.field().empty() || violation.description().empty()) std::abort();
  }
}

void ReportChecks(const v1::Report& report) {
  static const v1::Report* const previous = new v1::Report(PreviousReport());
  static const v1::Organization* const organization = new v1::Organization(Organization());
  fed::Violations content = fed::ValidateReportContent(report, kToday);
  CheckNamed(content);
  fed::Violations pushed = aggregator::ValidatePushedReport(report, kToday);
  CheckNamed(pushed);
  // The intake's checks include the content rules: never fewer problems.
  if (pushed.errors().violations_size() < content.errors().violations_size()) std::abort();
  aggregator::CheckActiveDuring(pushed, *organization, report);
  (void)pushed.ToStatus();
  (void)fed::CompareWithPrevious(report, *previous);
  (void)fed::CompareWithPrevious(*previous, report);
}

void RequestChecks(const uint8_t* data, size_t size) {
  fed::Period period;
  std::vector<int> indexes;
  if (v1::ReviewRequest req; req.ParseFromArray(data, size)) {
    CheckNamed(aggregator::ValidateReview(req, /*comment_required=*/true));
  }
  if (v1::TotalsRequest req; req.ParseFromArray(data, size)) {
    CheckNamed(aggregator::ValidateTotals(req, &period, &indexes));
  }
  if (v1::CoverageRequest req; req.ParseFromArray(data, size)) {
    std::unique_ptr<aggregator::Condition> condition;
    std::string map_day;
    CheckNamed(aggregator::ValidateCoverage(req, &period, &condition, &map_day));
  }
  if (v1::SeriesRequest req; req.ParseFromArray(data, size)) {
    std::vector<fed::Period> periods;
    fed::Violations v = aggregator::ValidateSeries(req, &periods, &indexes);
    CheckNamed(v);
    if (v.empty() && static_cast<int>(periods.size()) > aggregator::kMaxSeriesPeriods) std::abort();
  }
  if (v1::CountedValuesRequest req; req.ParseFromArray(data, size)) {
    CheckNamed(aggregator::ValidateCountedValues(req, &period));
  }
  if (v1::WatchChangesRequest req; req.ParseFromArray(data, size)) {
    CheckNamed(aggregator::ValidateWatchChanges(req));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v1::PushedReport pushed;
  if (pushed.ParseFromArray(data, static_cast<int>(size))) ReportChecks(pushed.report());
  RequestChecks(data, size);
  return 0;
}
