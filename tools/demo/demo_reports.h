// The demo report history `fed-demo reports` pushes to the aggregator:
// every provincial union's half-year reports 2019H1..2025H1, the successor
// units' 2025H2 reports (once that half-year has started), and Sơn La's real
// 2015 annual figures. Like demo_data.h, everything is computed from
// provinces.csv and fixed tables with a seeded generator (splitmix64 over the
// code and period), never from randomness or the clock, so that every run
// produces exactly the same reports and loading twice changes nothing.
//
// Which reports are late, missing or returned is decided per period by
// ranking the organisations on a hash, so that the counts are fixed and every
// period has a few of each.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "federation/v1/report.pb.h"
#include "tools/demo/demo_data.h"

namespace fedctl::demo {

// The half-years of the 63 provinces, and the first one of the 34 successors.
inline constexpr char kFirstProvincePeriod[] = "2019H1";
inline constexpr char kLastProvincePeriod[] = "2025H1";
inline constexpr char kFirstSuccessorPeriod[] = "2025H2";
// The period whose reviews the demo leaves half done, for the national board.
inline constexpr char kOpenPeriod[] = "2025H2";

// What the national office does with a report in the demo.
enum class ReviewPlan {
  kAccept,              // revision 1 accepted
  kReturnThenAccept,    // revision 1 returned, revision 2 submitted and accepted
  kReturnThenResubmit,  // revision 1 returned, revision 2 submitted, awaiting review
  kLeaveReturned,       // revision 1 returned; the province has not resubmitted yet
  kLeaveSubmitted,      // revision 1 awaiting review
};

struct PlannedReport {
  federation::v1::Report first;   // revision 1, as the province submitted it
  federation::v1::Report second;  // revision 2 when resubmitted, else empty
  ReviewPlan review = ReviewPlan::kAccept;
  std::string return_comment;  // the reviewer's comment when returned (Vietnamese)
  bool late = false;           // revision 1 submitted after the due date
};

struct ReportHistory {
  std::vector<PlannedReport> reports;
  // (organisation, period) pairs that are deliberately never submitted.
  std::vector<std::pair<std::string, std::string>> missing;
};

// The whole history for `rows` (provinces.csv). `today` only decides whether
// the successors' first half-year has started; nothing else depends on it.
ReportHistory GenerateReportHistory(const std::vector<ProvinceRow>& rows, absl::CivilDay today);

// Sơn La's 2015 annual report with the figures of its union's 2015 account
// (15 member associations, 3 collective members, over 200,000 members of whom
// about 17,000 S&T intellectuals; both a bulletin and a website).
federation::v1::Report SonLa2015Report();

// "accept", "return, resubmit, accept", ... for tables and tests.
const char* ReviewPlanLabel(ReviewPlan plan);

}  // namespace fedctl::demo
