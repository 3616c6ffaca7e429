// What the rankings are computed from, kept in memory: each provincial
// union's life (name, when it existed), the counted values and report
// timeliness of each (organisation, period) some kept ranking reads, the
// predecessors of merged unions, and self-assessments.
//
// Values are fetched from the aggregator once, then kept fresh from the
// change feed (ApplyChanges carries them in); only a change sent without
// figures makes this fetch again. Readers that compute a ranking hold mu()
// shared for as long as they use the pointers they were given.
#pragma once

#include <atomic>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "federation/v1/ranking.pb.h"
#include "services/common/feed_follower.h"
#include "services/common/period.h"
#include "services/ranking/scoring.h"
#include "services/ranking/sources.h"

namespace ranking {

// The half-years `period` is made of (itself when it is one).
std::vector<fed::Period> HalvesOf(const fed::Period& period);
fed::Period YearOf(int year);

class DataCache {
 public:
  explicit DataCache(Sources& sources) : sources_(sources) {}

  // Held shared by whoever reads MembersOf/ValuesOf; taken exclusively
  // inside this class only.
  absl::Mutex& mu() const ABSL_LOCK_RETURNED(mu_) { return mu_; }

  // Keeps the values and receipts of `codes` for the period that are not
  // kept yet (all of them on refetch). Returns fed::WouldBlockError() when
  // it would have to fetch and fed::BlockingAllowed() is false.
  absl::Status Fetch(const std::vector<std::string>& codes, const fed::Period& period, bool roll_up,
                     bool refetch) ABSL_LOCKS_EXCLUDED(mu_);
  // Every half-year and year from `from_year` to `to_year` of `codes`, in
  // one bulk call per period (the start-up load).
  absl::Status FetchRanges(const std::vector<std::string>& codes, int from_year, int to_year)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Whether each of `codes` reported each half-year, and on time.
  absl::Status EnsureReceipts(const std::vector<std::string>& codes,
                              const std::vector<fed::Period>& halves, bool refetch)
      ABSL_LOCKS_EXCLUDED(mu_);
  // A copy of the kept values of `codes` (fetched first when missing).
  absl::StatusOr<std::vector<OrgPeriod>> Copy(const std::vector<std::string>& codes,
                                              const fed::Period& period, bool roll_up)
      ABSL_LOCKS_EXCLUDED(mu_);

  // The members of `cluster` as scoring reads them: pointers into this
  // cache, valid while mu() is held.
  std::vector<Member> MembersOf(const v1::EmulationCluster& cluster, const fed::Period& period,
                                bool roll_up) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The kept values of `codes` for the period (an empty OrgPeriod when none).
  std::vector<const OrgPeriod*> ValuesOf(const std::vector<std::string>& codes,
                                         const fed::Period& period, bool roll_up) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  // Replaces every provincial union's life; when anything changed, recounts
  // the timeliness of every kept value and returns true.
  bool SetUnions(std::map<std::string, OrgLife> unions) ABSL_LOCKS_EXCLUDED(mu_);
  // Adds unions not known yet (registered since start-up).
  void AddUnions(const std::map<std::string, OrgLife>& unions) ABSL_LOCKS_EXCLUDED(mu_);
  void KeepSelfAssessment(const v1::SelfAssessment& assessment) ABSL_LOCKS_EXCLUDED(mu_);

  // What one page of the change feed touched: by organisation, the periods
  // whose values moved (a half-year and its year), and all of those periods.
  struct Touched {
    std::map<std::string, std::set<std::string>> by_org;
    std::set<std::string> periods;
  };
  // Applies a page of the feed: receipts and counted values carried by the
  // changes, values fetched again for a change sent without them (written
  // by another aggregator process), and every rolled-up value of a touched
  // period dropped (a change to a predecessor moves its successor; they are
  // fetched again on the next request).
  absl::StatusOr<Touched> ApplyChanges(const fed::FeedFollower::Batch& batch)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Forgets every value and receipt (the feed lost our cursor).
  void Clear() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  static std::string Key(const std::string& code, const std::string& period);

  absl::Status FetchNow(const std::vector<std::string>& missing, const fed::Period& period,
                        bool roll_up, bool refetch) ABSL_LOCKS_EXCLUDED(mu_);
  // Keeps what was fetched for (code, period); empty values = nothing counted.
  void Keep(const std::string& code, const fed::Period& period, bool roll_up,
            Sources::Counted counted) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Keeps the counted values a described change carries, for the
  // organisations and periods kept here (receipts are kept before).
  void KeepDescribed(const v1::FeedChange& change, const std::vector<int>& index)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void CountReceipt(const std::string& code, const fed::Period& half, Timeliness& t) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // What the registry says of a provincial union (an empty life, always
  // existing, when it knows nothing yet).
  const OrgLife& LifeOf(const std::string& code) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  Timeliness TimelinessOf(const std::string& code, const fed::Period& period) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // With the reports of its predecessors while they existed.
  Timeliness RolledTimelinessOf(const std::string& code, const fed::Period& period) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Recounts the timeliness of every kept value after the unions' lives changed.
  void RetimeKept() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Sources& sources_;
  // Pages of changes ApplyChanges began: a fetch that saw this move while it
  // read may hold values older than the page, and reads again.
  std::atomic<int64_t> pages_applied_{0};

  mutable absl::Mutex mu_;
  // Every provincial union by code: name and when it existed.
  std::map<std::string, OrgLife> unions_ ABSL_GUARDED_BY(mu_);
  // Counted values by "code|period": as reported, and with merged
  // predecessors rolled in (kept apart: a change drops every rolled-up
  // value of its period, and there are few of those).
  std::unordered_map<std::string, OrgPeriod> data_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, OrgPeriod> rolled_ ABSL_GUARDED_BY(mu_);
  // Predecessors of the organisations whose rolled-up values are kept.
  std::unordered_map<std::string, std::vector<Sources::Predecessor>> predecessors_
      ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, Receipt> receipts_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, v1::SelfAssessment> self_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ranking
