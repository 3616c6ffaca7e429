// SQL of the reporting service: every statement it runs, each in a function
// that takes the caller's transaction. Parameterised queries only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "federation/v1/aggregator.pb.h"
#include "federation/v1/report.pb.h"

namespace reporting::storage {

namespace v1 = federation::v1;

// One report: an organisation and a period.
struct ReportRow {
  int64_t id = 0;
  std::string organization_code;
  std::string period;
  v1::ReportState state = v1::REPORT_STATE_UNSPECIFIED;
  int32_t latest_revision = 0;
  std::string due_date;                // "YYYY-MM-DD"
  int64_t first_submitted_micros = 0;  // 0 = never submitted
};

// `lock` takes a row lock so that submissions and decisions serialise.
std::optional<ReportRow> LoadReport(pqxx::work& txn, const std::string& organization_code,
                                    const std::string& period, bool lock);
// Inserts the report if it does not exist yet (concurrent creators meet on
// the unique key) and returns it; *created tells whether this call made it.
ReportRow InsertReportIfAbsent(pqxx::work& txn, const std::string& organization_code,
                               const std::string& period, const std::string& due_date,
                               const std::string& actor, bool* created);

struct DraftRow {
  v1::Report content;  // values, narrative, catalog_version
  int64_t updated_micros = 0;
  std::string updated_by;
  // Saves so far, 1 when created: the draft's version (Report.draft_version).
  int32_t saves = 0;
};
std::optional<DraftRow> LoadDraft(pqxx::work& txn, int64_t report_id, bool lock);
void InsertDraft(pqxx::work& txn, int64_t report_id, const v1::Report& content,
                 const std::string& actor);
void UpdateDraft(pqxx::work& txn, int64_t report_id, const v1::Report& content,
                 const std::string& actor);

// Writes revision `revision` of the report and returns its submission time
// (microseconds since the epoch).
int64_t InsertRevision(pqxx::work& txn, int64_t report_id, int32_t revision,
                       const v1::Report& content, const std::string& actor);
// The report is now SUBMITTED at `revision`; remembers the first submission.
void MarkReportSubmitted(pqxx::work& txn, int64_t report_id, int32_t revision,
                         int64_t submitted_micros);

// A submitted revision as a Report (content, review fields, due date,
// timeliness); nullopt when there is none.
std::optional<v1::Report> LoadRevision(pqxx::work& txn, int64_t report_id, int32_t revision);
// The latest submitted revision of an organisation's report for a period.
std::optional<v1::Report> LoadLatestRevision(pqxx::work& txn, const std::string& organization_code,
                                             const std::string& period);

// Every revision of every matching report, plus a revision-0 DRAFT entry for
// reports never submitted. Empty filters match everything. Unsorted.
std::vector<v1::Report> ListReports(pqxx::work& txn, const std::string& organization_code,
                                    const std::string& period);

void AppendEvent(pqxx::work& txn, int64_t report_id, int32_t revision, const std::string& event,
                 v1::ReportState state, const std::string& comment, const std::string& actor);

// --- Outbox ---------------------------------------------------------------

void InsertOutbox(pqxx::work& txn, int64_t report_id, int32_t revision,
                  const std::string& organization_code, const std::string& period,
                  const std::string& payload);

struct OutboxRow {
  int64_t id = 0;
  std::string organization_code;
  std::string period;
  int32_t revision = 0;
  std::string payload;  // serialized v1::Report
};
// The oldest pending rows, in order.
std::vector<OutboxRow> PendingOutbox(pqxx::work& txn, int limit);
void MarkOutboxDelivered(pqxx::work& txn, int64_t id, const std::string& outcome);
void MarkOutboxFailed(pqxx::work& txn, int64_t id, const std::string& outcome,
                      const std::string& error);
// One more attempt that ended without an acknowledgement.
void MarkOutboxAttempt(pqxx::work& txn, int64_t id, const std::string& error);
// Records a refusal against the report's revision (report_events).
void AppendPushRefused(pqxx::work& txn, int64_t outbox_id, const std::string& error);

struct OutboxCounts {
  int32_t pending = 0;
  int32_t delivered = 0;
  int32_t failed = 0;
  // "14 2025H1 revision 2: INVALID: ..." for the latest failed row.
  std::string latest_failure;
};
// Pending rows per organisation (those with none are left out).
std::map<std::string, int64_t> PendingByOrganization(pqxx::work& txn);
// Counts of one organisation's rows ("" = all).
OutboxCounts CountOutbox(pqxx::work& txn, const std::string& organization_code);

// --- Forwarder state ------------------------------------------------------

int64_t LoadChangeCursor(pqxx::work& txn);
void SaveChangeCursor(pqxx::work& txn, int64_t cursor);
std::string LoadForwarderError(pqxx::work& txn);
void SaveForwarderError(pqxx::work& txn, const std::string& error);

// Organisations with at least one submitted revision: the ones whose
// decisions this deployment follows.
std::vector<std::string> SubmittingOrganizations(pqxx::work& txn);

// Applies one change of the aggregator's feed to the matching local
// revision (and the report, when it is the latest revision), recording it in
// report_events. Returns false when the change does not concern a known
// local revision, is not a decision, or was applied before.
bool ApplyChange(pqxx::work& txn, const v1::ReportChange& change);

// The newest review decision that came back for a revision (accepted,
// returned or reopened), for showing why a report is open again.
struct Decision {
  std::string event;
  std::string comment;
  int64_t at_micros = 0;
  std::string actor;
};
std::optional<Decision> LatestDecision(pqxx::work& txn, int64_t report_id, int32_t revision);

}  // namespace reporting::storage
