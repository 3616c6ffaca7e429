// SQL of the aggregator. Batch statements take lists as array parameters so
// that a group commit of a hundred reports costs a handful of round trips.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <pqxx/pqxx>

#include "absl/time/time.h"
#include "federation/v1/aggregator.pb.h"
#include "services/aggregator/figures.h"

namespace aggregator::storage {

using Key = std::pair<std::string, std::string>;  // (organisation, period)

struct StoredStanding {
  v1::ReportState state = v1::REPORT_STATE_UNSPECIFIED;
  int32_t latest_revision = 0;
  int32_t accepted_revision = 0;
  absl::Time first_submitted_at;
  bool timely = false;
  int64_t last_sequence = 0;  // the change that produced this standing
};

// Serialises writers of the change feed until the transaction ends, so that
// sequence numbers become visible in the order they were taken: a reader
// polling "after sequence N" never skips a change committed late. Writers
// lock the standings' rows they change (LockStandings) before this, never
// after: the other order could deadlock with the intake's committers.
void LockFeed(pqxx::work& txn);

// Current standings of the given (organisation, period) pairs, row-locked
// for a change; readers pass lock = false and wait for no one.
std::map<Key, StoredStanding> LockStandings(pqxx::work& txn, const std::vector<Key>& keys,
                                            bool lock = true);

// content_hash of the given revisions that are already stored.
std::map<std::tuple<std::string, std::string, int32_t>, std::string> StoredHashes(
    pqxx::work& txn, const std::vector<Key>& keys, const std::vector<int32_t>& revisions);

// Each of `report`'s values as report_values holds it, in the report's
// order: the number in full precision ("%.17g"; std::to_string would round
// decimals to 6 places). The intake's preparer renders them off the
// committer's path.
std::vector<std::string> ValueTexts(const v1::Report& report);

struct NewRevision {
  const v1::Report* report;
  std::string content_hash;
  std::string payload_json;
  const std::vector<std::string>* value_texts;  // ValueTexts(*report)
  absl::Time submitted_at;  // when it counts as submitted (intake.cc, SubmittedAt)
  absl::Time received_at;   // when the intake read it off the stream
  std::string received_from;
};
// Writes the revisions and their values with COPY: a push storm's batch is
// thousands of value rows, which COPY reads about a third faster than an
// INSERT of unnest()ed arrays (aggregator_bench prints both).
void InsertRevisions(pqxx::work& txn, const std::vector<NewRevision>& revisions);

struct StandingRow {
  Key key;
  StoredStanding standing;
  std::string due_date;
  int64_t sequence;
  // The latest revision's values when this change brought a new revision;
  // empty when the latest revision stays (a review decision).
  Values latest_values;
};
// Writes each standing with the figures' snapshot of its values (migration
// 005): what a restart reads instead of recounting report_values.
void UpsertStandings(pqxx::work& txn, const std::vector<StandingRow>& rows);

struct ChangeRow {
  Key key;
  int32_t revision;
  v1::ReportState state;
  std::string event;
  std::string comment;
  std::string actor;
};
// Appends changes in order; returns their sequence numbers.
std::vector<int64_t> AppendChanges(pqxx::work& txn, const std::vector<ChangeRow>& changes);

void RecordDecision(pqxx::work& txn, const Key& key, int32_t revision, v1::ReportState decision,
                    const std::string& comment, const std::string& actor);

std::optional<v1::Report> LoadRevision(pqxx::work& txn, const Key& key, int32_t revision);
std::vector<v1::Report> LoadRevisions(pqxx::work& txn, const Key& key);
Values LoadValues(pqxx::work& txn, const Key& key, int32_t revision);

std::vector<v1::ReportChange> ListChanges(pqxx::work& txn, int64_t after, int limit,
                                          const std::vector<std::string>& organizations);

// The feed's newest sequence (0 when empty).
int64_t FeedHead(pqxx::work& txn);
// Changes at or below this sequence may have been pruned (0 = none were).
int64_t PrunedThrough(pqxx::work& txn);
// Deletes changes recorded before `before`, always keeping the newest one so
// that the feed's head survives; moves the horizon. Returns how many went.
int64_t PruneChanges(pqxx::work& txn, absl::Time before);

// Whether the snapshot's arrays may be read, or every standing recounted
// from report_values (the slow path, and what a check compares against).
enum class ValuesFrom { kSnapshot, kRecount };

// Streams every standing with its latest and accepted values, oldest change
// first, for rebuilding the in-memory figures at start-up. Rows whose
// snapshot is missing or stale are recounted whatever `from` says.
void LoadAllStandings(pqxx::work& txn, const std::function<void(Standing)>& sink,
                      ValuesFrom from = ValuesFrom::kSnapshot);
// At most `limit` standings changed after `after_sequence`, oldest first (a
// standby's catch-up, see leadership.h); returns how many.
int64_t LoadStandingsSince(pqxx::work& txn, int64_t after_sequence, int limit,
                           const std::function<void(Standing)>& sink,
                           ValuesFrom from = ValuesFrom::kSnapshot);

// Rewrites the snapshot of every standing whose arrays are missing, stale or
// in another catalog's layout, from report_values; returns how many. The
// active aggregator runs it when it takes over, under the feed's lock.
int64_t RepairValueSnapshots(pqxx::work& txn);

// The writers' epoch (and who raised it last): a write may go ahead only
// while it is the epoch its aggregator took over with (leadership.h).
int64_t WriterEpoch(pqxx::work& txn, std::string* holder = nullptr);
// Raises the epoch for `holder`, fencing off every earlier writer; returns it.
int64_t TakeWriterEpoch(pqxx::work& txn, const std::string& holder);

}  // namespace aggregator::storage
