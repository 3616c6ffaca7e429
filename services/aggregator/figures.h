// The national figures, kept in memory and updated on every write, so that
// dashboard and ranking queries never rescan reports: totals per period and
// indicator are running sums adjusted by each change (subtract the old
// contribution of an organisation, add the new one).
//
// One aggregator process owns the figures; they are rebuilt from PostgreSQL
// at start-up and every committed change is applied here in sequence order.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "federation/v1/aggregator.pb.h"
#include "services/common/catalog.h"
#include "services/common/period.h"

namespace aggregator {

namespace v1 = federation::v1;

// Values by catalog index (see IndicatorIndex); NaN = not reported.
using Values = std::vector<double>;

int IndicatorCount();
// Index of an indicator code in Values, or -1.
using fed::IndicatorIndex;
Values ValuesOf(const v1::Report& report);

// Everything the figures need to know about one organisation's report for
// one period, as of one change in the feed.
struct Standing {
  std::string organization_code;
  std::string period;
  v1::ReportState state = v1::REPORT_STATE_UNSPECIFIED;
  int32_t latest_revision = 0;
  int32_t accepted_revision = 0;  // 0 = nothing accepted yet
  bool timely = false;
  absl::Time first_submitted_at;
  Values latest_values;
  // Empty when nothing is accepted, and when the accepted revision is the
  // latest one: AcceptedValues() then gives the latest values, so that the
  // usual accepted report holds one vector, not two equal ones (at 2,000,000
  // reports the copy was a quarter of the figures' memory and its restart).
  Values accepted_values;
  int64_t sequence = 0;  // the change that produced this standing

  // The values that count as accepted (meaningful when accepted_revision > 0).
  const Values& AcceptedValues() const {
    return accepted_revision == latest_revision ? latest_values : accepted_values;
  }
  // Whether accepted_values must be filled: something is accepted, and it is
  // not the latest revision.
  bool KeepsOwnAcceptedValues() const {
    return accepted_revision > 0 && accepted_revision != latest_revision;
  }
};

// Which reports count: accepted only (the default), or also those submitted
// and awaiting review.
enum class Scope { kAccepted = 0, kIncludingSubmitted = 1 };

class Figures {
  using ByOrganization = std::unordered_map<std::string, Standing>;

 public:
  // What a restart reads, placed as it arrives (in any order; the newest of
  // each report wins) by the thread that reads it, while the next slice is
  // still being fetched, and out of the figures' sight until Rebuild.
  // Placing straight into the tables the figures keep, instead of into a
  // list moved into them afterwards, spares 2,000,000 standings a second
  // allocation and the kernel zeroing its pages (perf).
  class Loaded {
   public:
    void Place(Standing standing);

   private:
    friend class Figures;
    std::unordered_map<std::string, ByOrganization> by_period_;
    int64_t last_sequence_ = 0;
  };

  // Records a standing unless a newer one (higher sequence) is already known.
  void Apply(Standing standing);

  // Start-up: takes every standing at once and computes the sums in one
  // pass, reaching what Apply would one by one at a fraction of its cost
  // (each Apply subtracts and adds eight contributions). Figures that
  // already hold standings Apply them instead.
  void Rebuild(Loaded loaded) ABSL_LOCKS_EXCLUDED(mu_);
  void Rebuild(std::vector<Standing> standings) ABSL_LOCKS_EXCLUDED(mu_);

  v1::TotalsResponse Totals(const std::string& period, Scope scope,
                            const std::vector<int>& indicator_indexes) const;

  // The values that count for (organisation, period): a year without an
  // annual report is derived from its halves. nullopt = nothing counts.
  std::optional<Values> Counted(const std::string& organization_code, const std::string& period,
                                Scope scope) const;

  // Where every organisation that sent a report for exactly `period` stands
  // (without values: completeness needs only the state).
  struct Reporter {
    std::string organization_code;
    v1::ReportState state;
    int32_t latest_revision;
    bool timely;
    absl::Time first_submitted_at;
  };
  std::vector<Reporter> ReportersFor(const std::string& period) const;
  std::optional<Standing> Find(const std::string& organization_code,
                               const std::string& period) const;

  int64_t last_sequence() const;

  // Fills `out` with `change` and what a feed follower needs with it: the
  // report's timeliness and the accepted values that count now for the
  // change's period (and a half-year's year). False when the standing the
  // change produced has not been applied here yet (it is applied just after
  // its commit).
  bool DescribeChange(const v1::ReportChange& change, v1::FeedChange* out) const;

  // Called after every Apply, outside the lock (the change feed's tail
  // wakes on it). Set once, before serving.
  void SetOnApplied(std::function<void()> listener);

 private:
  struct Sums {
    std::vector<double> value;
    std::vector<int32_t> reporting;
    int32_t derived = 0;  // contributions derived from half-years
  };

  // Apply without calling the listener; hands it back to call unlocked.
  void Record(Standing standing, std::function<void()>* listener) ABSL_LOCKS_EXCLUDED(mu_);
  std::optional<Values> CountedLocked(const std::string& org, const fed::Period& period,
                                      Scope scope, bool* derived) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  const Standing* FindLocked(const std::string& org, const std::string& period) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void AddContribution(const std::string& period, Scope scope, const std::optional<Values>& v,
                       bool derived, int sign) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Sums& SumsOf(const std::string& period, Scope scope) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Rebuild: adds the year's sums from scratch, every organisation that has
  // the year's report or either half's counted as CountedLocked would.
  void AddYear(const fed::Period& year) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::unordered_map<std::string, ByOrganization> by_period_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, Sums> sums_[2] ABSL_GUARDED_BY(mu_);
  int64_t last_sequence_ ABSL_GUARDED_BY(mu_) = 0;
  std::function<void()> on_applied_ ABSL_GUARDED_BY(mu_);
};

}  // namespace aggregator
