#include "services/reporting/storage.h"
#include "services/common/timestamp.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace reporting::storage {
namespace {

using fed::SetTimestamp;

int64_t MicrosOf(const google::protobuf::Timestamp& ts) {
  return ts.seconds() * 1000000 + ts.nanos() / 1000;
}

// The editable part of a report, as stored in drafts.content and
// revisions.content: values and narrative.
std::string ContentJson(const v1::Report& report) {
  v1::Report content;
  *content.mutable_values() = report.values();
  *content.mutable_narrative() = report.narrative();
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(content, &json, options).ok()) {
    throw std::logic_error("report content does not convert to JSON");
  }
  return json;
}

void ParseContent(const std::string& json, v1::Report* report) {
  v1::Report content;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;  // written by a newer version
  if (!google::protobuf::util::JsonStringToMessage(json, &content, options).ok()) {
    throw std::runtime_error("stored report content is not valid JSON");
  }
  *report->mutable_values() = std::move(*content.mutable_values());
  *report->mutable_narrative() = std::move(*content.mutable_narrative());
}

constexpr char kReportColumns[] =
    "id, organization_code, period, state, latest_revision, to_char(due_date, 'YYYY-MM-DD'),"
    " coalesce((extract(epoch FROM first_submitted_at) * 1000000)::bigint, 0)";

ReportRow ReportFromRow(const pqxx::row& r) {
  ReportRow row;
  row.id = r[0].as<int64_t>();
  row.organization_code = r[1].as<std::string>();
  row.period = r[2].as<std::string>();
  row.state = static_cast<v1::ReportState>(r[3].as<int>());
  row.latest_revision = r[4].as<int32_t>();
  row.due_date = r[5].as<std::string>();
  row.first_submitted_micros = r[6].as<int64_t>();
  return row;
}

// A revision joined with its report, as the columns RevisionFromRow reads.
constexpr char kRevisionSelect[] =
    "SELECT r.organization_code, r.period, v.revision, v.state, v.content::text,"
    " v.catalog_version, (extract(epoch FROM v.submitted_at) * 1000000)::bigint,"
    " v.submitted_by, v.review_comment,"
    " coalesce((extract(epoch FROM v.decided_at) * 1000000)::bigint, 0), v.decided_by,"
    " to_char(r.due_date, 'YYYY-MM-DD'),"
    " coalesce((r.first_submitted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= r.due_date, false)"
    " FROM revisions v JOIN reports r ON r.id = v.report_id";

v1::Report RevisionFromRow(const pqxx::row& r) {
  v1::Report report;
  report.set_organization_code(r[0].as<std::string>());
  report.set_period(r[1].as<std::string>());
  report.set_revision(r[2].as<int32_t>());
  report.set_state(static_cast<v1::ReportState>(r[3].as<int>()));
  ParseContent(r[4].as<std::string>(), &report);
  report.set_catalog_version(r[5].as<int32_t>());
  SetTimestamp(r[6].as<int64_t>(), report.mutable_submitted_at());
  report.set_submitted_by(r[7].as<std::string>());
  report.set_review_comment(r[8].as<std::string>());
  if (const int64_t decided = r[9].as<int64_t>(); decided != 0) {
    SetTimestamp(decided, report.mutable_decided_at());
  }
  report.set_decided_by(r[10].as<std::string>());
  report.set_due_date(r[11].as<std::string>());
  report.set_timely(r[12].as<bool>());
  return report;
}

}  // namespace

std::optional<ReportRow> LoadReport(pqxx::work& txn, const std::string& organization_code,
                                    const std::string& period, bool lock) {
  pqxx::result r =
      txn.exec_params(absl::StrCat("SELECT ", kReportColumns,
                                   " FROM reports WHERE organization_code = $1 AND period = $2",
                                   lock ? " FOR UPDATE" : ""),
                      organization_code, period);
  if (r.empty()) return std::nullopt;
  return ReportFromRow(r[0]);
}

ReportRow InsertReportIfAbsent(pqxx::work& txn, const std::string& organization_code,
                               const std::string& period, const std::string& due_date,
                               const std::string& actor, bool* created) {
  pqxx::result inserted = txn.exec_params(
      "INSERT INTO reports (organization_code, period, state, due_date, created_by)"
      " VALUES ($1, $2, $3, $4::date, $5)"
      " ON CONFLICT (organization_code, period) DO NOTHING RETURNING id",
      organization_code, period, static_cast<int>(v1::REPORT_STATE_DRAFT), due_date, actor);
  *created = !inserted.empty();
  auto row = LoadReport(txn, organization_code, period, /*lock=*/true);
  if (!row) throw std::logic_error("report vanished after insert");
  return *row;
}

std::optional<DraftRow> LoadDraft(pqxx::work& txn, int64_t report_id, bool lock) {
  pqxx::result r = txn.exec_params(
      absl::StrCat("SELECT content::text, catalog_version,"
                   " (extract(epoch FROM updated_at) * 1000000)::bigint, updated_by,"
                   " saves FROM drafts WHERE report_id = $1",
                   lock ? " FOR UPDATE" : ""),
      report_id);
  if (r.empty()) return std::nullopt;
  DraftRow draft;
  ParseContent(r[0][0].as<std::string>(), &draft.content);
  draft.content.set_catalog_version(r[0][1].as<int32_t>());
  draft.updated_micros = r[0][2].as<int64_t>();
  draft.updated_by = r[0][3].as<std::string>();
  draft.saves = static_cast<int32_t>(r[0][4].as<int64_t>());
  return draft;
}

void InsertDraft(pqxx::work& txn, int64_t report_id, const v1::Report& content,
                 const std::string& actor) {
  txn.exec_params0(
      "INSERT INTO drafts (report_id, content, catalog_version, updated_by)"
      " VALUES ($1, $2::jsonb, $3, $4)",
      report_id, ContentJson(content), content.catalog_version(), actor);
}

void UpdateDraft(pqxx::work& txn, int64_t report_id, const v1::Report& content,
                 const std::string& actor) {
  txn.exec_params0(
      "UPDATE drafts SET content = $2::jsonb, catalog_version = $3, saves = saves + 1,"
      " updated_at = now(), updated_by = $4 WHERE report_id = $1",
      report_id, ContentJson(content), content.catalog_version(), actor);
}

int64_t InsertRevision(pqxx::work& txn, int64_t report_id, int32_t revision,
                       const v1::Report& content, const std::string& actor) {
  pqxx::row r = txn.exec_params1(
      "INSERT INTO revisions (report_id, revision, content, catalog_version, submitted_by, state)"
      " VALUES ($1, $2, $3::jsonb, $4, $5, $6)"
      " RETURNING (extract(epoch FROM submitted_at) * 1000000)::bigint",
      report_id, revision, ContentJson(content), content.catalog_version(), actor,
      static_cast<int>(v1::REPORT_STATE_SUBMITTED));
  return r[0].as<int64_t>();
}

void MarkReportSubmitted(pqxx::work& txn, int64_t report_id, int32_t revision,
                         int64_t submitted_micros) {
  txn.exec_params0(
      "UPDATE reports SET state = $2, latest_revision = $3,"
      " first_submitted_at = coalesce(first_submitted_at, to_timestamp($4::bigint / 1000000.0))"
      " WHERE id = $1",
      report_id, static_cast<int>(v1::REPORT_STATE_SUBMITTED), revision, submitted_micros);
}

std::optional<v1::Report> LoadRevision(pqxx::work& txn, int64_t report_id, int32_t revision) {
  pqxx::result r =
      txn.exec_params(absl::StrCat(kRevisionSelect, " WHERE v.report_id = $1 AND v.revision = $2"),
                      report_id, revision);
  if (r.empty()) return std::nullopt;
  return RevisionFromRow(r[0]);
}

std::optional<v1::Report> LoadLatestRevision(pqxx::work& txn, const std::string& organization_code,
                                             const std::string& period) {
  pqxx::result r = txn.exec_params(absl::StrCat(kRevisionSelect,
                                                " WHERE r.organization_code = $1 AND r.period = $2"
                                                " ORDER BY v.revision DESC LIMIT 1"),
                                   organization_code, period);
  if (r.empty()) return std::nullopt;
  return RevisionFromRow(r[0]);
}

std::vector<v1::Report> ListReports(pqxx::work& txn, const std::string& organization_code,
                                    const std::string& period) {
  std::vector<v1::Report> reports;
  pqxx::result revisions = txn.exec_params(
      absl::StrCat(kRevisionSelect,
                   " WHERE ($1 = '' OR r.organization_code = $1) AND ($2 = '' OR r.period = $2)"),
      organization_code, period);
  for (const auto& row : revisions) reports.push_back(RevisionFromRow(row));
  pqxx::result drafts = txn.exec_params(
      "SELECT r.organization_code, r.period, d.content::text, d.catalog_version,"
      " to_char(r.due_date, 'YYYY-MM-DD')"
      " FROM reports r JOIN drafts d ON d.report_id = r.id"
      " WHERE r.latest_revision = 0"
      " AND ($1 = '' OR r.organization_code = $1) AND ($2 = '' OR r.period = $2)",
      organization_code, period);
  for (const auto& row : drafts) {
    v1::Report& report = reports.emplace_back();
    report.set_organization_code(row[0].as<std::string>());
    report.set_period(row[1].as<std::string>());
    report.set_state(v1::REPORT_STATE_DRAFT);
    ParseContent(row[2].as<std::string>(), &report);
    report.set_catalog_version(row[3].as<int32_t>());
    report.set_due_date(row[4].as<std::string>());
  }
  return reports;
}

void AppendEvent(pqxx::work& txn, int64_t report_id, int32_t revision, const std::string& event,
                 v1::ReportState state, const std::string& comment, const std::string& actor) {
  txn.exec_params0(
      "INSERT INTO report_events (report_id, revision, event, state, comment, actor)"
      " VALUES ($1, $2, $3, $4, $5, $6)",
      report_id, revision, event, static_cast<int>(state), comment, actor);
}

void InsertOutbox(pqxx::work& txn, int64_t report_id, int32_t revision,
                  const std::string& organization_code, const std::string& period,
                  const std::string& payload) {
  txn.exec_params0(
      "INSERT INTO outbox (report_id, revision, organization_code, period, payload)"
      " VALUES ($1, $2, $3, $4, decode($5, 'hex'))",
      report_id, revision, organization_code, period, absl::BytesToHexString(payload));
}

std::vector<OutboxRow> PendingOutbox(pqxx::work& txn, int limit) {
  pqxx::result rows = txn.exec_params(
      "SELECT id, organization_code, period, revision, encode(payload, 'hex') FROM outbox"
      " WHERE status = 'pending' ORDER BY id LIMIT $1",
      limit);
  std::vector<OutboxRow> result;
  for (const auto& r : rows) {
    OutboxRow& row = result.emplace_back();
    row.id = r[0].as<int64_t>();
    row.organization_code = r[1].as<std::string>();
    row.period = r[2].as<std::string>();
    row.revision = r[3].as<int32_t>();
    row.payload = absl::HexStringToBytes(r[4].as<std::string>());
  }
  return result;
}

void MarkOutboxDelivered(pqxx::work& txn, int64_t id, const std::string& outcome) {
  txn.exec_params0(
      "UPDATE outbox SET status = 'delivered', outcome = $2, attempts = attempts + 1,"
      " last_error = '', finished_at = now() WHERE id = $1 AND status = 'pending'",
      id, outcome);
}

void MarkOutboxFailed(pqxx::work& txn, int64_t id, const std::string& outcome,
                      const std::string& error) {
  txn.exec_params0(
      "UPDATE outbox SET status = 'failed', outcome = $2, attempts = attempts + 1,"
      " last_error = $3, finished_at = now() WHERE id = $1 AND status = 'pending'",
      id, outcome, error);
}

void MarkOutboxAttempt(pqxx::work& txn, int64_t id, const std::string& error) {
  txn.exec_params0(
      "UPDATE outbox SET attempts = attempts + 1, last_error = $2"
      " WHERE id = $1 AND status = 'pending'",
      id, error);
}

void AppendPushRefused(pqxx::work& txn, int64_t outbox_id, const std::string& error) {
  txn.exec_params0(
      "INSERT INTO report_events (report_id, revision, event, state, comment, actor)"
      " SELECT o.report_id, o.revision, 'push_refused', v.state, $2, 'reporting-forwarder'"
      " FROM outbox o JOIN revisions v ON v.report_id = o.report_id AND v.revision = o.revision"
      " WHERE o.id = $1",
      outbox_id, error);
}

std::map<std::string, int64_t> PendingByOrganization(pqxx::work& txn) {
  std::map<std::string, int64_t> pending;
  for (const auto& row : txn.exec("SELECT organization_code, count(*) FROM outbox"
                                  " WHERE status = 'pending' GROUP BY organization_code")) {
    pending[row[0].as<std::string>()] = row[1].as<int64_t>();
  }
  return pending;
}

OutboxCounts CountOutbox(pqxx::work& txn, const std::string& organization_code) {
  OutboxCounts counts;
  pqxx::row r = txn.exec_params1(
      "SELECT count(*) FILTER (WHERE status = 'pending'),"
      " count(*) FILTER (WHERE status = 'delivered'),"
      " count(*) FILTER (WHERE status = 'failed')"
      " FROM outbox WHERE ($1 = '' OR organization_code = $1)",
      organization_code);
  counts.pending = r[0].as<int32_t>();
  counts.delivered = r[1].as<int32_t>();
  counts.failed = r[2].as<int32_t>();
  if (counts.failed > 0) {
    pqxx::row latest = txn.exec_params1(
        "SELECT organization_code, period, revision, outcome, last_error FROM outbox"
        " WHERE status = 'failed' AND ($1 = '' OR organization_code = $1)"
        " ORDER BY finished_at DESC, id DESC LIMIT 1",
        organization_code);
    counts.latest_failure =
        absl::StrCat(latest[0].as<std::string>(), " ", latest[1].as<std::string>(), " revision ",
                     latest[2].as<int32_t>(), ": ", latest[3].as<std::string>(), ": ",
                     latest[4].as<std::string>());
  }
  return counts;
}

int64_t LoadChangeCursor(pqxx::work& txn) {
  return txn.exec1("SELECT change_cursor FROM forwarder_state WHERE id = 1")[0].as<int64_t>();
}

void SaveChangeCursor(pqxx::work& txn, int64_t cursor) {
  txn.exec_params0("UPDATE forwarder_state SET change_cursor = $1, updated_at = now() WHERE id = 1",
                   cursor);
}

std::string LoadForwarderError(pqxx::work& txn) {
  return txn.exec1("SELECT last_error FROM forwarder_state WHERE id = 1")[0].as<std::string>();
}

void SaveForwarderError(pqxx::work& txn, const std::string& error) {
  txn.exec_params0("UPDATE forwarder_state SET last_error = $1, updated_at = now() WHERE id = 1",
                   error);
}

std::vector<std::string> SubmittingOrganizations(pqxx::work& txn) {
  pqxx::result rows = txn.exec(
      "SELECT DISTINCT organization_code FROM reports WHERE latest_revision > 0"
      " ORDER BY organization_code");
  std::vector<std::string> codes;
  for (const auto& row : rows) codes.push_back(row[0].as<std::string>());
  return codes;
}

bool ApplyChange(pqxx::work& txn, const v1::ReportChange& change) {
  // Accepted and returned are decisions on one revision. Reopened is about
  // the report: the accepted revision stays accepted (as at the aggregator)
  // and the report waits for a new revision, which is what RETURNED means.
  v1::ReportState state;
  bool decides_revision = true;
  if (change.event() == "accepted") {
    state = v1::REPORT_STATE_ACCEPTED;
  } else if (change.event() == "returned") {
    state = v1::REPORT_STATE_RETURNED;
  } else if (change.event() == "reopened") {
    state = v1::REPORT_STATE_RETURNED;
    decides_revision = false;
  } else {
    return false;  // "received" and anything newer: nothing to apply
  }
  if (!txn.exec_params("SELECT 1 FROM report_events WHERE source_sequence = $1", change.sequence())
           .empty()) {
    return false;
  }
  auto report = LoadReport(txn, change.organization_code(), change.period(), /*lock=*/true);
  if (!report) return false;
  if (txn.exec_params("SELECT 1 FROM revisions WHERE report_id = $1 AND revision = $2 FOR UPDATE",
                      report->id, change.revision())
          .empty()) {
    return false;
  }
  const int64_t at = change.has_at() ? MicrosOf(change.at()) : 0;
  if (decides_revision) {
    txn.exec_params0(
        "UPDATE revisions SET state = $3, review_comment = $4,"
        " decided_at = CASE WHEN $5::bigint = 0 THEN now()"
        "                   ELSE to_timestamp($5::bigint / 1000000.0) END,"
        " decided_by = $6 WHERE report_id = $1 AND revision = $2",
        report->id, change.revision(), static_cast<int>(state), change.comment(), at,
        change.actor());
  }
  if (change.revision() == report->latest_revision) {
    txn.exec_params0("UPDATE reports SET state = $2 WHERE id = $1", report->id,
                     static_cast<int>(state));
  }
  txn.exec_params0(
      "INSERT INTO report_events (report_id, revision, event, state, comment, actor,"
      " at, source_sequence)"
      " VALUES ($1, $2, $3, $4, $5, $6,"
      "  CASE WHEN $7::bigint = 0 THEN now() ELSE to_timestamp($7::bigint / 1000000.0) END, $8)",
      report->id, change.revision(), change.event(), static_cast<int>(state), change.comment(),
      change.actor().empty() ? std::string("aggregator") : change.actor(), at, change.sequence());
  return true;
}

std::optional<Decision> LatestDecision(pqxx::work& txn, int64_t report_id, int32_t revision) {
  pqxx::result r = txn.exec_params(
      "SELECT event, comment, (extract(epoch FROM at) * 1000000)::bigint, actor"
      " FROM report_events WHERE report_id = $1 AND revision = $2"
      " AND source_sequence IS NOT NULL ORDER BY source_sequence DESC LIMIT 1",
      report_id, revision);
  if (r.empty()) return std::nullopt;
  Decision decision;
  decision.event = r[0][0].as<std::string>();
  decision.comment = r[0][1].as<std::string>();
  decision.at_micros = r[0][2].as<int64_t>();
  decision.actor = r[0][3].as<std::string>();
  return decision;
}

}  // namespace reporting::storage
