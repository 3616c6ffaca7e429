#include "services/aggregator/storage.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <limits>
#include <thread>

#include <google/protobuf/util/json_util.h>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "services/common/catalog.h"
#include "services/common/db.h"
#include "services/common/prepared.h"
#include "services/common/timestamp.h"

namespace aggregator::storage {
namespace {

constexpr int64_t kFeedLockKey = 0x46454446454544;  // "FEDFEED"

int64_t ToMicros(absl::Time t) { return absl::ToUnixMicros(t); }
absl::Time FromMicros(int64_t micros) { return absl::FromUnixMicros(micros); }

using fed::SetTimestamp;

std::vector<std::string> Firsts(const std::vector<Key>& keys) {
  std::vector<std::string> out;
  for (const auto& k : keys) out.push_back(k.first);
  return out;
}
std::vector<std::string> Seconds(const std::vector<Key>& keys) {
  std::vector<std::string> out;
  for (const auto& k : keys) out.push_back(k.second);
  return out;
}

// The snapshot's bytes of `values` (migration 005) as bytea's hex text:
// each an IEEE double in network byte order, as float8send writes it.
std::string PgValueBytes(const Values& values) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + values.size() * 16);
  for (double value : values) {
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    for (int shift = 56; shift >= 0; shift -= 8) {
      const unsigned byte = (bits >> shift) & 0xff;
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  return out;
}

}  // namespace

void LockFeed(pqxx::work& txn) {
  fed::ExecPrepared(txn, "SELECT pg_advisory_xact_lock($1)", kFeedLockKey);
}

std::map<Key, StoredStanding> LockStandings(pqxx::work& txn, const std::vector<Key>& keys,
                                            bool lock) {
  pqxx::result rows = fed::ExecPrepared(
      txn,
      absl::StrCat(
          "SELECT r.organization_code, r.period, r.state, r.latest_revision, r.accepted_revision,"
          " (extract(epoch FROM r.first_submitted_at) * 1000000)::bigint, r.timely,"
          " r.last_sequence"
          " FROM reports r JOIN unnest($1::text[], $2::text[]) AS k(o, p)"
          " ON r.organization_code = k.o AND r.period = k.p"
          " ORDER BY r.organization_code, r.period",
          lock ? " FOR UPDATE OF r" : ""),
      fed::PgTextArray(Firsts(keys)), fed::PgTextArray(Seconds(keys)));
  std::map<Key, StoredStanding> result;
  for (const auto& row : rows) {
    StoredStanding& s = result[{row[0].as<std::string>(), row[1].as<std::string>()}];
    s.state = static_cast<v1::ReportState>(row[2].as<int>());
    s.latest_revision = row[3].as<int32_t>();
    s.accepted_revision = row[4].as<int32_t>();
    s.first_submitted_at = FromMicros(row[5].as<int64_t>());
    s.timely = row[6].as<bool>();
    s.last_sequence = row[7].as<int64_t>();
  }
  return result;
}

std::map<std::tuple<std::string, std::string, int32_t>, std::string> StoredHashes(
    pqxx::work& txn, const std::vector<Key>& keys, const std::vector<int32_t>& revisions) {
  pqxx::result rows = fed::ExecPrepared(
      txn,
      "SELECT v.organization_code, v.period, v.revision, v.content_hash"
      " FROM report_revisions v JOIN unnest($1::text[], $2::text[], $3::int[]) AS k(o, p, r)"
      " ON v.organization_code = k.o AND v.period = k.p AND v.revision = k.r",
      fed::PgTextArray(Firsts(keys)), fed::PgTextArray(Seconds(keys)),
      fed::PgNumberArray(revisions));
  std::map<std::tuple<std::string, std::string, int32_t>, std::string> result;
  for (const auto& row : rows) {
    result[{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<int32_t>()}] =
        row[3].as<std::string>();
  }
  return result;
}

std::vector<std::string> ValueTexts(const v1::Report& report) {
  std::vector<std::string> texts;
  texts.reserve(report.values_size());
  for (const auto& value : report.values()) {
    texts.push_back(absl::StrFormat("%.17g", fed::NumericValue(value)));
  }
  return texts;
}

namespace {

// A timestamptz as COPY's text format reads it, to the microsecond.
std::string CopyTimestamp(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S+00", t, absl::UTCTimeZone());
}

}  // namespace

void InsertRevisions(pqxx::work& txn, const std::vector<NewRevision>& revisions) {
  if (revisions.empty()) return;
  {
    pqxx::stream_to rows(txn, "report_revisions",
                         std::vector<std::string>{"organization_code", "period", "revision",
                                                  "content_hash", "payload", "submitted_at",
                                                  "submitted_by", "received_from", "received_at"});
    for (const auto& r : revisions) {
      rows << std::make_tuple(r.report->organization_code(), r.report->period(),
                              r.report->revision(), r.content_hash, r.payload_json,
                              CopyTimestamp(r.submitted_at), r.report->submitted_by(),
                              r.received_from, CopyTimestamp(r.received_at));
    }
    rows.complete();
  }
  pqxx::stream_to rows(
      txn, "report_values",
      std::vector<std::string>{"organization_code", "period", "revision", "indicator", "value"});
  for (const auto& r : revisions) {
    const std::vector<std::string>& texts = *r.value_texts;
    for (int i = 0; i < r.report->values_size(); ++i) {
      rows << std::make_tuple(r.report->organization_code(), r.report->period(),
                              r.report->revision(), r.report->values(i).code(), texts[i]);
    }
  }
  rows.complete();
}

void UpsertStandings(pqxx::work& txn, const std::vector<StandingRow>& rows) {
  if (rows.empty()) return;
  std::vector<std::string> orgs, periods, due, values;
  std::vector<int32_t> states, latest, accepted;
  std::vector<int64_t> first, sequences;
  std::vector<int32_t> timely;
  for (const auto& row : rows) {
    orgs.push_back(row.key.first);
    periods.push_back(row.key.second);
    states.push_back(static_cast<int32_t>(row.standing.state));
    latest.push_back(row.standing.latest_revision);
    accepted.push_back(row.standing.accepted_revision);
    first.push_back(ToMicros(row.standing.first_submitted_at));
    due.push_back(row.due_date);
    timely.push_back(row.standing.timely ? 1 : 0);
    sequences.push_back(row.sequence);
    values.push_back(row.latest_values.empty() ? "" : PgValueBytes(row.latest_values));
  }
  // The snapshot (migration 005): accepted_values is kept only while the
  // accepted revision is not the latest, so a new revision moves the old
  // latest values there when they were the accepted ones. The arrays stay
  // trustworthy (values_sequence = last_sequence) when they were before, or
  // when this change brings everything they hold.
  fed::ExecPrepared(
      txn,
      "INSERT INTO reports AS r (organization_code, period, state, latest_revision,"
      " accepted_revision, first_submitted_at, due_date, timely, last_sequence, latest_values,"
      " values_sequence)"
      " SELECT o, p, s, l, a, to_timestamp(f / 1000000.0), d::date, t = 1, q,"
      " nullif(v, '')::bytea, CASE WHEN v <> '' AND a IN (0, l) THEN q END FROM unnest("
      " $1::text[], $2::text[], $3::int[], $4::int[], $5::int[], $6::bigint[], $7::text[],"
      " $8::int[], $9::bigint[], $10::text[]) AS u(o, p, s, l, a, f, d, t, q, v)"
      " ON CONFLICT (organization_code, period) DO UPDATE SET state = excluded.state,"
      " latest_revision = excluded.latest_revision, accepted_revision = excluded.accepted_revision,"
      " last_sequence = excluded.last_sequence,"
      " latest_values = coalesce(excluded.latest_values, r.latest_values),"
      " accepted_values = CASE"
      "   WHEN excluded.accepted_revision IN (0, excluded.latest_revision) THEN NULL"
      "   WHEN r.accepted_revision = r.latest_revision THEN r.latest_values"
      "   ELSE r.accepted_values END,"
      " values_sequence = CASE WHEN r.values_sequence = r.last_sequence"
      "   OR excluded.values_sequence IS NOT NULL THEN excluded.last_sequence END",
      fed::PgTextArray(orgs), fed::PgTextArray(periods), fed::PgNumberArray(states),
      fed::PgNumberArray(latest), fed::PgNumberArray(accepted), fed::PgNumberArray(first),
      fed::PgTextArray(due), fed::PgNumberArray(timely), fed::PgNumberArray(sequences),
      fed::PgTextArray(values));
}

std::vector<int64_t> AppendChanges(pqxx::work& txn, const std::vector<ChangeRow>& changes) {
  std::vector<int64_t> sequences;
  if (changes.empty()) return sequences;
  // Take the numbers first so each change knows its own; LockFeed makes
  // them commit in order.
  pqxx::result numbers =
      fed::ExecPrepared(txn, "SELECT nextval('changes_sequence_seq') FROM generate_series(1, $1)",
                        static_cast<int>(changes.size()));
  std::vector<std::string> orgs, periods, events, comments, actors;
  std::vector<int32_t> revisions, states;
  for (size_t i = 0; i < changes.size(); ++i) {
    sequences.push_back(numbers[i][0].as<int64_t>());
    orgs.push_back(changes[i].key.first);
    periods.push_back(changes[i].key.second);
    revisions.push_back(changes[i].revision);
    states.push_back(static_cast<int32_t>(changes[i].state));
    events.push_back(changes[i].event);
    comments.push_back(changes[i].comment);
    actors.push_back(changes[i].actor);
  }
  fed::ExecPrepared(
      txn,
      "INSERT INTO changes (sequence, organization_code, period, revision, state, event,"
      " comment, actor) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[],"
      " $5::int[], $6::text[], $7::text[], $8::text[])",
      fed::PgNumberArray(sequences), fed::PgTextArray(orgs), fed::PgTextArray(periods),
      fed::PgNumberArray(revisions), fed::PgNumberArray(states), fed::PgTextArray(events),
      fed::PgTextArray(comments), fed::PgTextArray(actors));
  return sequences;
}

void RecordDecision(pqxx::work& txn, const Key& key, int32_t revision, v1::ReportState decision,
                    const std::string& comment, const std::string& actor) {
  txn.exec_params0(
      "UPDATE report_revisions SET decision = $4, decision_comment = $5, decided_at = now(),"
      " decided_by = $6 WHERE organization_code = $1 AND period = $2 AND revision = $3",
      key.first, key.second, revision, static_cast<int>(decision), comment, actor);
}

namespace {

v1::Report ReportFromRow(const pqxx::row& row) {
  v1::Report report;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  (void)google::protobuf::util::JsonStringToMessage(row[0].as<std::string>(), &report, options);
  if (!row[1].is_null()) {
    report.set_state(static_cast<v1::ReportState>(row[1].as<int>()));
  } else {
    report.set_state(v1::REPORT_STATE_SUBMITTED);
  }
  report.set_review_comment(row[2].as<std::string>());
  if (!row[3].is_null()) SetTimestamp(row[3].as<int64_t>(), report.mutable_decided_at());
  report.set_decided_by(row[4].as<std::string>());
  report.set_due_date(row[5].is_null() ? "" : row[5].as<std::string>());
  report.set_timely(!row[6].is_null() && row[6].as<bool>());
  // The payload holds the report as pushed, with the time its pusher stated;
  // the times shown are the ones the intake decided and recorded.
  SetTimestamp(row[7].as<int64_t>(), report.mutable_submitted_at());
  SetTimestamp(row[8].as<int64_t>(), report.mutable_received_at());
  return report;
}

constexpr char kRevisionColumns[] =
    "SELECT v.payload::text, v.decision, v.decision_comment,"
    " (extract(epoch FROM v.decided_at) * 1000000)::bigint, v.decided_by,"
    " to_char(r.due_date, 'YYYY-MM-DD'), r.timely,"
    " (extract(epoch FROM v.submitted_at) * 1000000)::bigint,"
    " (extract(epoch FROM v.received_at) * 1000000)::bigint"
    " FROM report_revisions v LEFT JOIN reports r"
    " ON r.organization_code = v.organization_code AND r.period = v.period"
    " WHERE v.organization_code = $1 AND v.period = $2";

}  // namespace

std::optional<v1::Report> LoadRevision(pqxx::work& txn, const Key& key, int32_t revision) {
  pqxx::result rows = txn.exec_params(absl::StrCat(kRevisionColumns, " AND v.revision = $3"),
                                      key.first, key.second, revision);
  if (rows.empty()) return std::nullopt;
  return ReportFromRow(rows[0]);
}

std::vector<v1::Report> LoadRevisions(pqxx::work& txn, const Key& key) {
  pqxx::result rows = txn.exec_params(absl::StrCat(kRevisionColumns, " ORDER BY v.revision"),
                                      key.first, key.second);
  std::vector<v1::Report> reports;
  for (const auto& row : rows) reports.push_back(ReportFromRow(row));
  return reports;
}

Values LoadValues(pqxx::work& txn, const Key& key, int32_t revision) {
  Values values(IndicatorCount(), std::numeric_limits<double>::quiet_NaN());
  pqxx::result rows = txn.exec_params(
      "SELECT indicator, value FROM report_values WHERE organization_code = $1 AND period = $2"
      " AND revision = $3",
      key.first, key.second, revision);
  for (const auto& row : rows) {
    const int i = IndicatorIndex(row[0].as<std::string>());
    if (i >= 0) values[i] = row[1].as<double>();
  }
  return values;
}

std::vector<v1::ReportChange> ListChanges(pqxx::work& txn, int64_t after, int limit,
                                          const std::vector<std::string>& organizations) {
  pqxx::result rows = txn.exec_params(
      "SELECT sequence, organization_code, period, revision, state, event, comment,"
      " (extract(epoch FROM at) * 1000000)::bigint, actor FROM changes"
      " WHERE sequence > $1 AND (cardinality($3::text[]) = 0 OR organization_code = "
      "ANY($3::text[]))"
      " ORDER BY sequence LIMIT $2",
      after, limit, fed::PgTextArray(organizations));
  std::vector<v1::ReportChange> changes;
  for (const auto& row : rows) {
    v1::ReportChange& c = changes.emplace_back();
    c.set_sequence(row[0].as<int64_t>());
    c.set_organization_code(row[1].as<std::string>());
    c.set_period(row[2].as<std::string>());
    c.set_revision(row[3].as<int32_t>());
    c.set_state(static_cast<v1::ReportState>(row[4].as<int>()));
    c.set_event(row[5].as<std::string>());
    c.set_comment(row[6].as<std::string>());
    SetTimestamp(row[7].as<int64_t>(), c.mutable_at());
    c.set_actor(row[8].as<std::string>());
  }
  return changes;
}

int64_t FeedHead(pqxx::work& txn) {
  return txn.exec1("SELECT coalesce(max(sequence), 0) FROM changes")[0].as<int64_t>();
}

int64_t PrunedThrough(pqxx::work& txn) {
  return txn.exec1("SELECT pruned_through FROM feed_horizon")[0].as<int64_t>();
}

int64_t PruneChanges(pqxx::work& txn, absl::Time before) {
  pqxx::result pruned = txn.exec_params(
      "WITH gone AS (DELETE FROM changes WHERE at < to_timestamp($1::double precision / 1000000)"
      " AND sequence < (SELECT max(sequence) FROM changes) RETURNING sequence)"
      " SELECT count(*), coalesce(max(sequence), 0) FROM gone",
      ToMicros(before));
  const int64_t count = pruned[0][0].as<int64_t>();
  if (count > 0) {
    txn.exec_params("UPDATE feed_horizon SET pruned_through = greatest(pruned_through, $1)",
                    pruned[0][1].as<int64_t>());
  }
  return count;
}

namespace {

// The snapshot's layout: the catalog's codes in index order.
std::string CatalogCodes() {
  std::vector<std::string> codes;
  for (const auto& indicator : fed::LatestCatalog().indicators()) codes.push_back(indicator.code());
  return fed::PgTextArray(codes);
}

bool LayoutIsCurrent(pqxx::work& txn) {
  pqxx::result row =
      txn.exec_params("SELECT indicators = $1::text[] FROM value_layout", CatalogCodes());
  return !row.empty() && row[0][0].as<bool>();
}

// A revision's values as the snapshot's bytes, in the layout's order,
// counted from report_values; $1 is the layout. `revision` names a column
// of reports r. For the repair: a start-up recounts with PairsOf, which
// reads each revision's rows in one index range instead of probing once per
// indicator.
std::string RecountOf(const char* revision) {
  return absl::StrCat(
      "(SELECT string_agg(float8send(coalesce(v.value, 'NaN')), ''::bytea ORDER BY c.n)"
      " FROM unnest($1::text[]) WITH ORDINALITY AS c(code, n) LEFT JOIN report_values v"
      " ON v.organization_code = r.organization_code AND v.period = r.period"
      " AND v.revision = r.",
      revision, " AND v.indicator = c.code)");
}

// A revision's values as "code=value" texts, from report_values.
std::string PairsOf(const char* revision) {
  return absl::StrCat(
      "(SELECT array_agg(v.indicator || '=' || v.value::text) FROM report_values v"
      " WHERE v.organization_code = r.organization_code AND v.period = r.period"
      " AND v.revision = r.",
      revision, ")");
}

// The columns of a standing, as StandingOf reads them: whether its snapshot
// may be read (s.valid, see QuerySlice), then the
// snapshot's latest and accepted arrays, or else the value rows of both
// revisions. Accepted values are NULL when they are the latest ones.
std::string StandingColumns() {
  return absl::StrCat(
      "r.organization_code, r.period, r.state, r.latest_revision, r.accepted_revision,"
      " r.timely, (extract(epoch FROM r.first_submitted_at) * 1000000)::bigint, r.last_sequence,"
      " s.valid,"
      " CASE WHEN s.valid THEN r.latest_values END,"
      " CASE WHEN s.valid AND r.accepted_revision NOT IN (0, r.latest_revision)"
      "   THEN r.accepted_values END,"
      " CASE WHEN NOT s.valid THEN ",
      PairsOf("latest_revision"),
      " END,"
      " CASE WHEN NOT s.valid AND r.accepted_revision NOT IN (0, r.latest_revision) THEN ",
      PairsOf("accepted_revision"), " END");
}

// Hex digits' values by character, -1 for anything else.
struct HexTable {
  int8_t digit[256];
  constexpr HexTable() : digit() {
    for (int c = 0; c < 256; ++c) {
      digit[c] = c >= '0' && c <= '9'   ? static_cast<int8_t>(c - '0')
                 : c >= 'a' && c <= 'f' ? static_cast<int8_t>(c - 'a' + 10)
                 : c >= 'A' && c <= 'F' ? static_cast<int8_t>(c - 'A' + 10)
                                        : -1;
    }
  }
};
constexpr HexTable kHexTable;

int HexDigit(char c) { return kHexTable.digit[static_cast<unsigned char>(c)]; }

// Parses the snapshot's bytes (bytea's hex text, see PgValueBytes) in the
// layout's order; anything malformed reads as not reported.
Values ParseValues(const pqxx::field& field) {
  Values values(IndicatorCount(), std::numeric_limits<double>::quiet_NaN());
  if (field.is_null()) return values;
  const char* p = field.c_str();
  const size_t size = field.size();
  if (size < 2 || p[0] != '\\' || p[1] != 'x') return values;
  const size_t count = std::min(values.size(), (size - 2) / 16);
  for (size_t i = 0; i < count; ++i) {
    uint64_t bits = 0;
    bool ok = true;
    for (size_t k = 0; k < 16; ++k) {
      const int digit = HexDigit(p[2 + i * 16 + k]);
      ok = ok && digit >= 0;
      bits = (bits << 4) | static_cast<uint64_t>(digit & 0xf);
    }
    if (ok) std::memcpy(&values[i], &bits, sizeof bits);
  }
  return values;
}

// Parses an array of "code=value" (PairsOf).
Values ParsePairs(const pqxx::field& field) {
  Values values(IndicatorCount(), std::numeric_limits<double>::quiet_NaN());
  if (field.is_null()) return values;
  auto parser = field.as_array();
  for (auto item = parser.get_next(); item.first != pqxx::array_parser::done;
       item = parser.get_next()) {
    if (item.first != pqxx::array_parser::string_value) continue;
    const size_t eq = item.second.find('=');
    const int i = IndicatorIndex(item.second.substr(0, eq));
    if (i >= 0) values[i] = std::strtod(item.second.c_str() + eq + 1, nullptr);
  }
  return values;
}

Standing StandingOf(const pqxx::row& row) {
  Standing s;
  s.organization_code = row[0].as<std::string>();
  s.period = row[1].as<std::string>();
  s.state = static_cast<v1::ReportState>(row[2].as<int>());
  s.latest_revision = row[3].as<int32_t>();
  s.accepted_revision = row[4].as<int32_t>();
  s.timely = row[5].as<bool>();
  s.first_submitted_at = FromMicros(row[6].as<int64_t>());
  s.sequence = row[7].as<int64_t>();
  const bool snapshot = row[8].as<bool>();
  const auto parse = snapshot ? ParseValues : ParsePairs;
  s.latest_values = parse(row[snapshot ? 9 : 11]);
  if (s.KeepsOwnAcceptedValues()) {
    s.accepted_values = parse(row[snapshot ? 10 : 12]);
  }
  return s;
}

// A slice of standings in the feed's order. Whether the snapshot may be
// read is decided in the same statement (the layout is this build's, once
// per statement): the standby's catch-up runs this every 200 ms.
pqxx::result QuerySlice(pqxx::work& txn, int64_t after_sequence, int limit, ValuesFrom from) {
  return txn.exec_params(
      absl::StrCat("SELECT ", StandingColumns(),
                   " FROM reports r, LATERAL (SELECT $1"
                   " AND (SELECT l.indicators = $4::text[] FROM value_layout l) IS TRUE"
                   " AND r.values_sequence IS NOT DISTINCT FROM r.last_sequence AS valid) s"
                   " WHERE r.last_sequence > $2 ORDER BY r.last_sequence LIMIT $3"),
      from == ValuesFrom::kSnapshot, after_sequence, limit, CatalogCodes());
}

}  // namespace

namespace {

// Slices of a full load handed from the thread that fetches them to the one
// that parses them.
struct SliceQueue {
  absl::Mutex mu;
  std::deque<pqxx::result> slices ABSL_GUARDED_BY(mu);
  bool fetched_all ABSL_GUARDED_BY(mu) = false;
  bool parser_gone ABSL_GUARDED_BY(mu) = false;
  std::exception_ptr error ABSL_GUARDED_BY(mu);

  bool RoomOrGone() const ABSL_SHARED_LOCKS_REQUIRED(mu) {
    return slices.size() < 2 || parser_gone;
  }
  bool SliceOrEnd() const ABSL_SHARED_LOCKS_REQUIRED(mu) { return !slices.empty() || fetched_all; }
};

}  // namespace

void LoadAllStandings(pqxx::work& txn, const std::function<void(Standing)>& sink, ValuesFrom from) {
  // In slices in the feed's order, the way a standby catches up: the whole
  // set (2,000,000 standings) does not belong in one libpq result. One
  // thread fetches while this one parses, so that PostgreSQL prints the
  // next slice meanwhile instead of waiting (a third of a restart's time
  // was one side waiting for the other).
  constexpr int kSlice = 5000;
  SliceQueue queue;
  std::thread fetcher([&] {
    try {
      for (int64_t after = 0;;) {
        pqxx::result slice = QuerySlice(txn, after, kSlice, from);
        const bool last = static_cast<int>(slice.size()) < kSlice;
        if (!slice.empty()) after = slice[slice.size() - 1][7].as<int64_t>();
        absl::MutexLock lock(&queue.mu, absl::Condition(&queue, &SliceQueue::RoomOrGone));
        if (queue.parser_gone) break;
        queue.slices.push_back(std::move(slice));
        if (last) break;
      }
    } catch (...) {
      absl::MutexLock lock(&queue.mu);
      queue.error = std::current_exception();
    }
    absl::MutexLock lock(&queue.mu);
    queue.fetched_all = true;
  });
  std::exception_ptr error;
  try {
    for (;;) {
      pqxx::result slice;
      {
        absl::MutexLock lock(&queue.mu, absl::Condition(&queue, &SliceQueue::SliceOrEnd));
        if (queue.slices.empty()) break;
        slice = std::move(queue.slices.front());
        queue.slices.pop_front();
      }
      for (const auto& row : slice) sink(StandingOf(row));
    }
  } catch (...) {
    error = std::current_exception();
  }
  {
    absl::MutexLock lock(&queue.mu);
    queue.parser_gone = true;
    if (!error) error = queue.error;
  }
  fetcher.join();
  if (error) std::rethrow_exception(error);
}

int64_t LoadStandingsSince(pqxx::work& txn, int64_t after_sequence, int limit,
                           const std::function<void(Standing)>& sink, ValuesFrom from) {
  pqxx::result rows = QuerySlice(txn, after_sequence, limit, from);
  for (const auto& row : rows) sink(StandingOf(row));
  return static_cast<int64_t>(rows.size());
}

int64_t RepairValueSnapshots(pqxx::work& txn) {
  const bool layout_current = LayoutIsCurrent(txn);
  const int64_t repaired =
      txn.exec_params(
             absl::StrCat("UPDATE reports r SET latest_values = ", RecountOf("latest_revision"),
                          ", accepted_values = CASE WHEN r.accepted_revision IN"
                          " (0, r.latest_revision) THEN NULL ELSE ",
                          RecountOf("accepted_revision"),
                          " END, values_sequence = r.last_sequence"
                          " WHERE NOT $2 OR r.values_sequence IS DISTINCT FROM r.last_sequence"),
             CatalogCodes(), layout_current)
          .affected_rows();
  if (!layout_current) {
    txn.exec_params(
        "INSERT INTO value_layout (indicators) VALUES ($1::text[])"
        " ON CONFLICT (only_row) DO UPDATE SET indicators = excluded.indicators",
        CatalogCodes());
  }
  return repaired;
}

int64_t WriterEpoch(pqxx::work& txn, std::string* holder) {
  pqxx::row row = txn.exec1("SELECT epoch, holder FROM leadership");
  if (holder != nullptr) *holder = row[1].as<std::string>();
  return row[0].as<int64_t>();
}

int64_t TakeWriterEpoch(pqxx::work& txn, const std::string& holder) {
  return txn
      .exec_params1(
          "UPDATE leadership SET epoch = epoch + 1, holder = $1, since = now()"
          " RETURNING epoch",
          holder)[0]
      .as<int64_t>();
}

}  // namespace aggregator::storage
