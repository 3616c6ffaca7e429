#include "services/competition/storage.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "services/common/db.h"
#include "services/common/prepared.h"
#include "services/common/timestamp.h"

namespace competition::storage {
namespace {

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) return "{}";
  return json;
}

void FromJson(const std::string& json, google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  (void)google::protobuf::util::JsonStringToMessage(json, message, options);
}

using fed::SetTimestamp;

constexpr char kContestColumns[] =
    "c.id, c.kind, c.organizer_code, c.level, c.edition, c.year, c.title, c.state,"
    " c.definition::text, (extract(epoch FROM c.updated_at) * 1000000)::bigint, c.updated_by,"
    " (SELECT count(*) FROM entries e WHERE e.contest_id = c.id AND NOT e.withdrawn)";

v1::Contest ContestFromRow(const pqxx::row& r) {
  v1::Contest c;
  FromJson(r[8].as<std::string>(), &c);
  c.set_id(r[0].as<int64_t>());
  c.set_kind(static_cast<v1::ContestKind>(r[1].as<int>()));
  c.set_organizer_code(r[2].as<std::string>());
  c.set_level(static_cast<v1::ContestLevel>(r[3].as<int>()));
  c.set_edition(r[4].as<int>());
  c.set_year(r[5].as<int>());
  c.set_title(r[6].as<std::string>());
  c.set_state(static_cast<v1::ContestState>(r[7].as<int>()));
  SetTimestamp(r[9].as<int64_t>(), c.mutable_updated_at());
  c.set_updated_by(r[10].as<std::string>());
  c.set_entry_count(r[11].as<int>());
  return c;
}

// The definition column: the contest without what has its own column.
std::string Definition(const v1::Contest& contest) {
  v1::Contest d = contest;
  d.clear_id();
  d.clear_state();
  d.clear_entry_count();
  d.clear_updated_at();
  d.clear_updated_by();
  return ToJson(d);
}

constexpr char kEntryColumns[] =
    "e.id, e.contest_id, e.title, e.authors::text, e.source_org, e.source_province, e.field,"
    " e.summary, (extract(epoch FROM e.submitted_at) * 1000000)::bigint, e.withdrawn,"
    " e.withdrawal_reason, coalesce(e.nominated_from, 0)";

v1::Entry EntryFromRow(const pqxx::row& r) {
  v1::Entry e;
  FromJson(r[3].as<std::string>(), &e);  // {"authors": [...]}
  e.set_id(r[0].as<int64_t>());
  e.set_contest_id(r[1].as<int64_t>());
  e.set_title(r[2].as<std::string>());
  e.set_source_organization_code(r[4].as<std::string>());
  e.set_source_province_code(r[5].as<std::string>());
  e.set_field(r[6].as<std::string>());
  e.set_summary(r[7].as<std::string>());
  SetTimestamp(r[8].as<int64_t>(), e.mutable_submitted_at());
  e.set_withdrawn(r[9].as<bool>());
  e.set_withdrawal_reason(r[10].as<std::string>());
  e.set_nominated_from_entry_id(r[11].as<int64_t>());
  return e;
}

void AddJudgesTo(pqxx::work& txn, std::vector<v1::Entry>& entries, int64_t contest_id) {
  std::map<int64_t, v1::Entry*> by_id;
  for (auto& e : entries) by_id[e.id()] = &e;
  pqxx::result rows = txn.exec_params(
      "SELECT entry_id, judge_subject FROM assignments WHERE contest_id = $1"
      " ORDER BY entry_id, judge_subject",
      contest_id);
  for (const auto& row : rows) {
    auto it = by_id.find(row[0].as<int64_t>());
    if (it != by_id.end()) it->second->add_judge_subjects(row[1].as<std::string>());
  }
}

}  // namespace

// --- contests ----------------------------------------------------------------

namespace {

// The contests' sheet locks: advisory locks keyed by this plus the contest id.
constexpr int64_t kSheetLockBase = 0x46534845455400;  // "FSHEET"

}  // namespace

absl::StatusOr<v1::Contest> LoadContest(pqxx::work& txn, int64_t id, bool lock) {
  if (lock) txn.exec_params("SELECT pg_advisory_xact_lock($1)", kSheetLockBase + id);
  pqxx::result r =
      txn.exec_params(absl::StrCat("SELECT ", kContestColumns, " FROM contests c WHERE c.id = $1",
                                   lock ? " FOR UPDATE OF c" : ""),
                      id);
  if (r.empty()) return absl::NotFoundError(absl::StrCat("no contest with id ", id));
  return ContestFromRow(r[0]);
}

int64_t InsertContest(pqxx::work& txn, const v1::Contest& c, const std::string& actor) {
  return txn
      .exec_params1(
          "INSERT INTO contests (kind, organizer_code, level, edition, year, title, state,"
          " definition, updated_by) VALUES ($1, $2, $3, $4, $5, normalize($6, NFC), $7, $8::jsonb, "
          "$9)"
          " RETURNING id",
          static_cast<int>(c.kind()), c.organizer_code(), static_cast<int>(c.level()), c.edition(),
          c.year(), c.title(), static_cast<int>(v1::CONTEST_STATE_DRAFT), Definition(c), actor)[0]
      .as<int64_t>();
}

bool ContestEditionExists(pqxx::work& txn, const std::string& organizer, v1::ContestKind kind,
                          int edition, int64_t except_id) {
  return !txn.exec_params(
                 "SELECT 1 FROM contests WHERE organizer_code = $1 AND kind = $2 AND edition = $3"
                 " AND id <> $4",
                 organizer, static_cast<int>(kind), edition, except_id)
              .empty();
}

void UpdateContest(pqxx::work& txn, const v1::Contest& c, const std::string& actor) {
  txn.exec_params0(
      "UPDATE contests SET edition = $2, year = $3, title = normalize($4, NFC), definition = "
      "$5::jsonb,"
      " updated_at = now(), updated_by = $6 WHERE id = $1",
      c.id(), c.edition(), c.year(), c.title(), Definition(c), actor);
}

void SetContestState(pqxx::work& txn, int64_t id, v1::ContestState from, v1::ContestState to,
                     const std::string& actor, const std::string& note) {
  txn.exec_params0(
      "UPDATE contests SET state = $2, updated_at = now(), updated_by = $3 WHERE id = $1", id,
      static_cast<int>(to), actor);
  txn.exec_params0(
      "INSERT INTO contest_state_changes (contest_id, from_state, to_state, actor, note)"
      " VALUES ($1, $2, $3, $4, $5)",
      id, static_cast<int>(from), static_cast<int>(to), actor, note);
}

std::vector<v1::Contest> ListContests(pqxx::work& txn, const v1::ListContestsRequest& f) {
  pqxx::result rows = txn.exec_params(
      absl::StrCat(
          "SELECT ", kContestColumns,
          " FROM contests c WHERE ($1 = '' OR c.organizer_code = $1) AND ($2 = 0 OR c.year = $2)"
          " AND ($3 = 0 OR c.kind = $3) AND ($4 = 0 OR c.state = $4)"
          " ORDER BY c.year, c.organizer_code, c.kind, c.edition"),
      f.organizer_code(), f.year(), static_cast<int>(f.kind()), static_cast<int>(f.state()));
  std::vector<v1::Contest> out;
  for (const auto& row : rows) out.push_back(ContestFromRow(row));
  return out;
}

std::vector<v1::ContestStateChange> ListStateChanges(pqxx::work& txn, int64_t contest_id) {
  pqxx::result rows = txn.exec_params(
      "SELECT from_state, to_state, (extract(epoch FROM at) * 1000000)::bigint, actor, note"
      " FROM contest_state_changes WHERE contest_id = $1 ORDER BY id",
      contest_id);
  std::vector<v1::ContestStateChange> out;
  for (const auto& r : rows) {
    v1::ContestStateChange& c = out.emplace_back();
    c.set_from(static_cast<v1::ContestState>(r[0].as<int>()));
    c.set_to(static_cast<v1::ContestState>(r[1].as<int>()));
    SetTimestamp(r[2].as<int64_t>(), c.mutable_at());
    c.set_actor(r[3].as<std::string>());
    c.set_note(r[4].as<std::string>());
  }
  return out;
}

// --- entries -----------------------------------------------------------------

int64_t InsertEntry(pqxx::work& txn, const v1::Entry& e, const std::string& author_key,
                    const std::string& actor) {
  v1::Entry authors;
  *authors.mutable_authors() = e.authors();
  const int64_t micros = e.submitted_at().seconds() * 1000000 + e.submitted_at().nanos() / 1000;
  const int64_t from = e.nominated_from_entry_id();
  return txn
      .exec_params1(
          "INSERT INTO entries (contest_id, title, author_key, authors, source_org, "
          "source_province,"
          " field, summary, submitted_at, nominated_from, created_by)"
          " VALUES ($1, normalize($2, NFC), $3, $4::jsonb, $5, $6, $7, $8,"
          " to_timestamp($9::double precision / 1000000), $10, $11) RETURNING id",
          e.contest_id(), e.title(), author_key, ToJson(authors), e.source_organization_code(),
          e.source_province_code(), e.field(), e.summary(), micros, from == 0 ? nullptr : &from,
          actor)[0]
      .as<int64_t>();
}

absl::StatusOr<v1::Entry> LoadEntry(pqxx::work& txn, int64_t id, bool lock) {
  pqxx::result r =
      txn.exec_params(absl::StrCat("SELECT ", kEntryColumns, " FROM entries e WHERE e.id = $1",
                                   lock ? " FOR UPDATE" : ""),
                      id);
  if (r.empty()) return absl::NotFoundError(absl::StrCat("no entry with id ", id));
  v1::Entry entry = EntryFromRow(r[0]);
  for (const auto& row : txn.exec_params(
           "SELECT judge_subject FROM assignments WHERE entry_id = $1 ORDER BY judge_subject",
           id)) {
    entry.add_judge_subjects(row[0].as<std::string>());
  }
  return entry;
}

std::vector<v1::Entry> ListEntries(pqxx::work& txn, int64_t contest_id, const std::string& field,
                                   bool include_withdrawn, bool with_judges) {
  pqxx::result rows = txn.exec_params(
      absl::StrCat("SELECT ", kEntryColumns,
                   " FROM entries e WHERE e.contest_id = $1 AND ($2 = '' OR e.field = $2)"
                   " AND ($3 OR NOT e.withdrawn) ORDER BY e.id"),
      contest_id, field, include_withdrawn);
  std::vector<v1::Entry> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(EntryFromRow(row));
  if (with_judges) AddJudgesTo(txn, out, contest_id);
  return out;
}

int64_t FindSameWork(pqxx::work& txn, int64_t contest_id, const std::string& title,
                     const std::string& author_key) {
  pqxx::result r = txn.exec_params(
      "SELECT id FROM entries WHERE contest_id = $1 AND lower(title) = lower(normalize($2, NFC))"
      " AND author_key = $3 AND NOT withdrawn",
      contest_id, title, author_key);
  return r.empty() ? 0 : r[0][0].as<int64_t>();
}

int64_t FindNomination(pqxx::work& txn, int64_t contest_id, int64_t from_entry) {
  pqxx::result r = txn.exec_params(
      "SELECT id FROM entries WHERE contest_id = $1 AND nominated_from = $2 AND NOT withdrawn",
      contest_id, from_entry);
  return r.empty() ? 0 : r[0][0].as<int64_t>();
}

void WithdrawEntry(pqxx::work& txn, int64_t id, const std::string& reason) {
  txn.exec_params0(
      "UPDATE entries SET withdrawn = true, withdrawn_at = now(), withdrawal_reason = $2 WHERE id "
      "= $1",
      id, reason);
}

std::vector<int64_t> NominationsOf(pqxx::work& txn, int64_t id) {
  std::vector<int64_t> out;
  for (const auto& r :
       txn.exec_params("SELECT id FROM entries WHERE nominated_from = $1 ORDER BY id", id)) {
    out.push_back(r[0].as<int64_t>());
  }
  return out;
}

// --- judges and assignments ---------------------------------------------------

void UpsertJudge(pqxx::work& txn, const v1::Judge& j) {
  std::vector<std::string> fields(j.fields().begin(), j.fields().end());
  txn.exec_params0(
      "INSERT INTO judges (contest_id, subject, name, organization_code, fields)"
      " VALUES ($1, $2, normalize($3, NFC), $4, $5::text[]) ON CONFLICT (contest_id, subject)"
      " DO UPDATE SET name = EXCLUDED.name, organization_code = EXCLUDED.organization_code,"
      " fields = EXCLUDED.fields",
      j.contest_id(), j.subject(), j.name(), j.organization_code(), fed::PgTextArray(fields));
}

namespace {
constexpr char kJudgeSelect[] =
    "SELECT j.contest_id, j.subject, j.name, j.organization_code, array_to_json(j.fields)::text,"
    " (SELECT count(*) FROM assignments a WHERE a.contest_id = j.contest_id"
    "  AND a.judge_subject = j.subject) FROM judges j";

v1::Judge JudgeFromRow(const pqxx::row& r) {
  v1::Judge j;
  j.set_contest_id(r[0].as<int64_t>());
  j.set_subject(r[1].as<std::string>());
  j.set_name(r[2].as<std::string>());
  j.set_organization_code(r[3].as<std::string>());
  v1::Judge fields;
  FromJson(absl::StrCat("{\"fields\":", r[4].as<std::string>(), "}"), &fields);
  *j.mutable_fields() = fields.fields();
  j.set_assigned(r[5].as<int>());
  return j;
}
}  // namespace

std::vector<v1::Judge> ListJudges(pqxx::work& txn, int64_t contest_id) {
  std::vector<v1::Judge> out;
  for (const auto& r : txn.exec_params(
           absl::StrCat(kJudgeSelect, " WHERE j.contest_id = $1 ORDER BY j.subject"), contest_id)) {
    out.push_back(JudgeFromRow(r));
  }
  return out;
}

absl::StatusOr<v1::Judge> LoadJudge(pqxx::work& txn, int64_t contest_id,
                                    const std::string& subject) {
  pqxx::result r =
      txn.exec_params(absl::StrCat(kJudgeSelect, " WHERE j.contest_id = $1 AND j.subject = $2"),
                      contest_id, subject);
  if (r.empty()) {
    return absl::NotFoundError(absl::StrCat("no judge ", subject, " in contest ", contest_id));
  }
  return JudgeFromRow(r[0]);
}

void InsertAssignments(pqxx::work& txn, int64_t contest_id,
                       const std::vector<std::pair<int64_t, std::string>>& pairs, bool manual) {
  if (pairs.empty()) return;
  std::vector<int64_t> ids;
  std::vector<std::string> subjects;
  for (const auto& [id, subject] : pairs) {
    ids.push_back(id);
    subjects.push_back(subject);
  }
  txn.exec_params0(
      "INSERT INTO assignments (entry_id, judge_subject, contest_id, manual)"
      " SELECT e, j, $3, $4 FROM unnest($1::bigint[], $2::text[]) AS t(e, j)"
      " ON CONFLICT DO NOTHING",
      fed::PgNumberArray(ids), fed::PgTextArray(subjects), contest_id, manual);
}

void DeleteAssignment(pqxx::work& txn, int64_t entry_id, const std::string& judge) {
  txn.exec_params0("DELETE FROM assignments WHERE entry_id = $1 AND judge_subject = $2", entry_id,
                   judge);
}

bool IsAssigned(pqxx::work& txn, int64_t entry_id, const std::string& judge) {
  return !txn.exec_params("SELECT 1 FROM assignments WHERE entry_id = $1 AND judge_subject = $2",
                          entry_id, judge)
              .empty();
}

std::vector<int64_t> AssignedEntries(pqxx::work& txn, int64_t contest_id,
                                     const std::string& judge) {
  std::vector<int64_t> out;
  for (const auto& r :
       txn.exec_params("SELECT a.entry_id FROM assignments a JOIN entries e ON e.id = a.entry_id"
                       " WHERE a.contest_id = $1 AND a.judge_subject = $2 AND NOT e.withdrawn "
                       "ORDER BY a.entry_id",
                       contest_id, judge)) {
    out.push_back(r[0].as<int64_t>());
  }
  return out;
}

// --- score sheets ------------------------------------------------------------

namespace {
constexpr char kSheetColumns[] =
    "entry_id, judge_subject, scores::text, total_hundredths, comment, revision,"
    " (extract(epoch FROM updated_at) * 1000000)::bigint";

v1::ScoreSheet SheetFromRow(const pqxx::row& r) {
  v1::ScoreSheet s;
  s.set_entry_id(r[0].as<int64_t>());
  s.set_judge_subject(r[1].as<std::string>());
  google::protobuf::Struct scores;
  FromJson(r[2].as<std::string>(), &scores);
  std::map<std::string, double> sorted;
  for (const auto& [code, value] : scores.fields()) sorted[code] = value.number_value() / 100.0;
  for (const auto& [code, points] : sorted) {
    auto* c = s.add_scores();
    c->set_criterion_code(code);
    c->set_points(points);
  }
  s.set_total(r[3].as<int64_t>() / 100.0);
  s.set_comment(r[4].as<std::string>());
  s.set_revision(r[5].as<int>());
  SetTimestamp(r[6].as<int64_t>(), s.mutable_updated_at());
  return s;
}
}  // namespace

v1::ScoreSheet UpsertSheet(pqxx::work& txn, int64_t contest_id, const v1::ScoreSheet& sheet,
                           const std::map<std::string, int64_t>& hundredths, int64_t total,
                           const fed::AuditEntry& audit) {
  std::string json = "{";
  for (const auto& [code, points] : hundredths) {
    absl::StrAppend(&json, json.size() > 1 ? "," : "", "\"", code, "\":", points);
  }
  json += "}";
  // A data-modifying WITH runs once whether or not the outer query reads it:
  // the audit row is written with the sheet, one round trip per sheet less
  // on the judges' busiest call.
  pqxx::result r = fed::ExecPrepared(
      txn,
      absl::StrCat(
          "WITH sheet AS (INSERT INTO score_sheets (entry_id, judge_subject, contest_id, scores,"
          " total_hundredths, comment) VALUES ($1, $2, $3, $4::jsonb, $5, $6)"
          " ON CONFLICT (entry_id, judge_subject) DO UPDATE SET scores = EXCLUDED.scores,"
          " total_hundredths = EXCLUDED.total_hundredths, comment = EXCLUDED.comment,"
          " revision = score_sheets.revision + 1, updated_at = now() RETURNING ",
          kSheetColumns, "), audited AS (", fed::AuditInsertSql(7), ") SELECT * FROM sheet"),
      sheet.entry_id(), sheet.judge_subject(), contest_id, json, total, sheet.comment(),
      audit.subject, audit.role, audit.actor_org, audit.action, audit.target, audit.detail_json);
  return SheetFromRow(r[0]);
}

absl::StatusOr<SheetContext> LoadSheetContext(pqxx::work& txn, int64_t entry_id,
                                              const std::string& judge) {
  // The lock first, in a statement of its own: the next one's snapshot then
  // sees whatever a contest change that held the lock committed.
  pqxx::result locked = fed::ExecPrepared(
      txn, "SELECT pg_advisory_xact_lock_shared($2 + e.contest_id) FROM entries e WHERE e.id = $1",
      entry_id, kSheetLockBase);
  if (locked.empty()) return absl::NotFoundError(absl::StrCat("no entry with id ", entry_id));
  pqxx::result r = fed::ExecPrepared(
      txn,
      "SELECT e.contest_id, e.source_org, e.withdrawn, c.kind, c.organizer_code, c.level,"
      " c.state, c.definition::text,"
      " EXISTS (SELECT 1 FROM assignments a WHERE a.entry_id = e.id AND a.judge_subject = $2),"
      " (SELECT j.organization_code FROM judges j"
      "   WHERE j.contest_id = e.contest_id AND j.subject = $2)"
      " FROM entries e JOIN contests c ON c.id = e.contest_id WHERE e.id = $1",
      entry_id, judge);
  if (r.empty()) return absl::NotFoundError(absl::StrCat("no entry with id ", entry_id));
  SheetContext context;
  context.entry.set_id(entry_id);
  context.entry.set_contest_id(r[0][0].as<int64_t>());
  context.entry.set_source_organization_code(r[0][1].as<std::string>());
  context.entry.set_withdrawn(r[0][2].as<bool>());
  FromJson(r[0][7].as<std::string>(), &context.contest);
  context.contest.set_id(context.entry.contest_id());
  context.contest.set_kind(static_cast<v1::ContestKind>(r[0][3].as<int>()));
  context.contest.set_organizer_code(r[0][4].as<std::string>());
  context.contest.set_level(static_cast<v1::ContestLevel>(r[0][5].as<int>()));
  context.contest.set_state(static_cast<v1::ContestState>(r[0][6].as<int>()));
  context.assigned = r[0][8].as<bool>();
  if (!r[0][9].is_null()) context.judge_organization = r[0][9].as<std::string>();
  return context;
}

absl::StatusOr<v1::ScoreSheet> LoadSheet(pqxx::work& txn, int64_t entry_id,
                                         const std::string& judge) {
  pqxx::result r =
      txn.exec_params(absl::StrCat("SELECT ", kSheetColumns,
                                   " FROM score_sheets WHERE entry_id = $1 AND judge_subject = $2"),
                      entry_id, judge);
  if (r.empty()) return absl::NotFoundError("no sheet");
  return SheetFromRow(r[0]);
}

std::vector<v1::ScoreSheet> ListSheets(pqxx::work& txn, int64_t entry_id) {
  std::vector<v1::ScoreSheet> out;
  for (const auto& r : txn.exec_params(
           absl::StrCat("SELECT ", kSheetColumns,
                        " FROM score_sheets WHERE entry_id = $1 ORDER BY judge_subject"),
           entry_id)) {
    out.push_back(SheetFromRow(r));
  }
  return out;
}

std::map<int64_t, std::vector<int64_t>> SheetTotals(pqxx::work& txn, int64_t contest_id) {
  std::map<int64_t, std::vector<int64_t>> out;
  for (const auto& r : txn.exec_params(
           "SELECT id FROM entries WHERE contest_id = $1 AND NOT withdrawn", contest_id)) {
    out[r[0].as<int64_t>()];
  }
  for (const auto& r : txn.exec_params("SELECT s.entry_id, s.total_hundredths FROM score_sheets s "
                                       "JOIN entries e ON e.id = s.entry_id"
                                       " WHERE s.contest_id = $1 AND NOT e.withdrawn",
                                       contest_id)) {
    out[r[0].as<int64_t>()].push_back(r[1].as<int64_t>());
  }
  return out;
}

std::vector<SheetTotal> ContestSheets(pqxx::work& txn, int64_t contest_id) {
  std::vector<SheetTotal> out;
  for (const auto& r : txn.exec_params(
           "SELECT s.judge_subject, s.entry_id, s.total_hundredths FROM score_sheets s"
           " JOIN entries e ON e.id = s.entry_id"
           " WHERE s.contest_id = $1 AND NOT e.withdrawn ORDER BY s.entry_id, s.judge_subject",
           contest_id)) {
    out.push_back({r[0].as<std::string>(), r[1].as<int64_t>(), r[2].as<int64_t>() / 100.0});
  }
  return out;
}

// --- results -------------------------------------------------------------------

void ReplaceResults(pqxx::work& txn, int64_t contest_id, const std::vector<Ranked>& ranked) {
  txn.exec_params0("DELETE FROM results WHERE contest_id = $1", contest_id);
  std::vector<int64_t> ids, sums, counts, sheets, ranks;
  for (const Ranked& r : ranked) {
    ids.push_back(r.entry_id);
    sums.push_back(r.score.sum);
    counts.push_back(r.score.count);
    sheets.push_back(r.score.sheets);
    ranks.push_back(r.rank);
  }
  txn.exec_params0(
      "INSERT INTO results (entry_id, contest_id, sheets, final_sum, final_count, rank)"
      " SELECT e, $1, s, f, c, r FROM unnest($2::bigint[], $3::int[], $4::bigint[], $5::int[], "
      "$6::int[])"
      " AS t(e, s, f, c, r)",
      contest_id, fed::PgNumberArray(ids), fed::PgNumberArray(sheets), fed::PgNumberArray(sums),
      fed::PgNumberArray(counts), fed::PgNumberArray(ranks));
}

void SetPrizes(pqxx::work& txn, const std::vector<Ranked>& ranked) {
  std::vector<int64_t> ids, prizes;
  for (const Ranked& r : ranked) {
    ids.push_back(r.entry_id);
    prizes.push_back(static_cast<int>(r.prize));
  }
  txn.exec_params0(
      "UPDATE results SET prize = t.p FROM unnest($1::bigint[], $2::int[]) AS t(e, p)"
      " WHERE results.entry_id = t.e",
      fed::PgNumberArray(ids), fed::PgNumberArray(prizes));
}

std::vector<Ranked> LoadResults(pqxx::work& txn, int64_t contest_id) {
  std::vector<std::pair<int64_t, FinalScore>> scores;
  std::map<int64_t, v1::Prize> prizes;
  for (const auto& r : txn.exec_params("SELECT entry_id, sheets, final_sum, final_count, prize "
                                       "FROM results WHERE contest_id = $1",
                                       contest_id)) {
    FinalScore s;
    s.sheets = r[1].as<int>();
    s.sum = r[2].as<int64_t>();
    s.count = r[3].as<int>();
    scores.emplace_back(r[0].as<int64_t>(), s);
    prizes[r[0].as<int64_t>()] = static_cast<v1::Prize>(r[4].as<int>());
  }
  std::vector<Ranked> ranked = Rank(scores);
  for (Ranked& r : ranked) r.prize = prizes[r.entry_id];
  return ranked;
}

// --- statistics ----------------------------------------------------------------

std::vector<v1::StatisticsRow> Statistics(pqxx::work& txn, const v1::StatisticsRequest& f,
                                          bool totals) {
  // Organised side: contests that ran (OPEN or later) and their active
  // entries and prizes, attributed to the organiser. National side: prizes
  // of awarded national-level contests, attributed to the entry's province.
  const std::string keys = totals ? "org, year, 0 AS kind, '' AS field" : "org, year, kind, field";
  const std::string group = totals ? "org, year" : "org, year, kind, field";
  pqxx::result rows = txn.exec_params(
      absl::StrCat(
          "WITH organised AS ("
          "  SELECT c.organizer_code AS org, c.year, c.kind, coalesce(e.field, '') AS field, c.id "
          "AS contest,"
          "   e.id AS entry, (c.state = 5 AND coalesce(r.prize, 0) BETWEEN 2 AND 5) AS prized"
          "  FROM contests c LEFT JOIN entries e ON e.contest_id = c.id AND NOT e.withdrawn"
          "  LEFT JOIN results r ON r.entry_id = e.id WHERE c.state >= 2),"
          " national AS ("
          "  SELECT e.source_province AS org, c.year, c.kind, e.field"
          "  FROM contests c JOIN entries e ON e.contest_id = c.id AND NOT e.withdrawn"
          "  JOIN results r ON r.entry_id = e.id"
          "  WHERE c.level = 2 AND c.state = 5 AND r.prize BETWEEN 2 AND 5),"
          " merged AS ("
          "  SELECT org, year, kind, field, contest, entry, prized, false AS award FROM organised"
          "  UNION ALL SELECT org, year, kind, field, NULL, NULL, false, true FROM national)"
          " SELECT ",
          keys,
          ", count(DISTINCT contest), count(entry), count(*) FILTER (WHERE prized),"
          " count(*) FILTER (WHERE award) FROM merged"
          " WHERE ($1 = 0 OR year = $1) AND ($2 = '' OR org = $2) AND ($3 = 0 OR kind = $3)"
          " AND ($4 = '' OR field = $4) GROUP BY ",
          group, " ORDER BY ", group),
      f.year(), f.organization_code(), static_cast<int>(f.kind()), f.field());
  std::vector<v1::StatisticsRow> out;
  for (const auto& r : rows) {
    v1::StatisticsRow& row = out.emplace_back();
    row.set_organization_code(r[0].as<std::string>());
    row.set_year(r[1].as<int>());
    row.set_kind(static_cast<v1::ContestKind>(r[2].as<int>()));
    row.set_field(r[3].as<std::string>());
    row.set_contests(r[4].as<int>());
    row.set_entries(r[5].as<int>());
    row.set_prizes(r[6].as<int>());
    row.set_national_awards(r[7].as<int>());
  }
  return out;
}

}  // namespace competition::storage
