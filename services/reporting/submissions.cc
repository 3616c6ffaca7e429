// Submissions: a draft becomes an immutable revision queued for the
// aggregator; listing revisions; how far the outbox has got.
#include <algorithm>

#include <google/protobuf/util/message_differencer.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/audit.h"
#include "services/common/catalog.h"
#include "services/common/ended_organizations.h"
#include "services/common/period.h"
#include "services/common/status.h"
#include "services/reporting/access.h"
#include "services/reporting/reporting.h"
#include "services/reporting/storage.h"
#include "services/reporting/validate.h"

namespace reporting {
namespace {

absl::Status StateAllowsSubmitting(const storage::ReportRow& report) {
  switch (report.state) {
    case v1::REPORT_STATE_DRAFT:
    case v1::REPORT_STATE_RETURNED:
      return absl::OkStatus();
    case v1::REPORT_STATE_SUBMITTED:
      return absl::FailedPreconditionError(
          absl::StrCat("revision ", report.latest_revision, " of ", report.organization_code, " ",
                       report.period, " is awaiting review; submit again once it is returned"));
    case v1::REPORT_STATE_ACCEPTED:
      return absl::FailedPreconditionError(
          absl::StrCat(report.organization_code, " ", report.period, " was accepted (revision ",
                       report.latest_revision, "); the national office must reopen it first"));
    default:
      return absl::InternalError("report in an unknown state");
  }
}

// Sort key: newest period first; unparseable periods last.
bool NewerFirst(const v1::Report& a, const v1::Report& b) {
  auto pa = fed::Period::Parse(a.period());
  auto pb = fed::Period::Parse(b.period());
  if (pa.ok() != pb.ok()) return pa.ok();
  if (pa.ok() && !(*pa == *pb)) return *pb < *pa;
  if (a.period() != b.period()) return a.period() > b.period();
  if (a.organization_code() != b.organization_code()) {
    return a.organization_code() < b.organization_code();
  }
  return a.revision() > b.revision();
}

}  // namespace

absl::Status Reporting::RequireStillWriting(const Principal& who) const {
  if (who.role != v1::ROLE_PROVINCE_REPORTER) return absl::OkStatus();
  auto own = registry_.GetOrganization(who.organization_code);
  // An unknown organisation is refused by the report's own checks.
  if (!own.ok()) {
    return own.status().code() == absl::StatusCode::kNotFound ? absl::OkStatus() : own.status();
  }
  return fed::RequireStillWriting(who, *own);
}

absl::Status Reporting::SubmitReport(const Principal& who, const v1::SubmitReportRequest& req,
                                     v1::Report* out) {
  RETURN_IF_ERROR(RequireWriteAccess(who, req.organization_code()));
  RETURN_IF_ERROR(RequireStillWriting(who));
  RETURN_IF_ERROR(ValidateReportKey(req.organization_code(), req.period(), Today()).ToStatus());

  // Read the draft, then validate it outside any transaction (the registry
  // is asked over the network)...
  v1::Report draft;
  RETURN_IF_ERROR(db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    auto report = storage::LoadReport(txn, req.organization_code(), req.period(), false);
    auto row = report ? storage::LoadDraft(txn, report->id, false) : std::nullopt;
    if (!row) {
      return absl::NotFoundError(absl::StrCat("no draft for ", req.organization_code(), " ",
                                              req.period(), "; create and fill it first"));
    }
    RETURN_IF_ERROR(StateAllowsSubmitting(*report));
    draft = row->content;
    return absl::OkStatus();
  }));
  draft.set_organization_code(req.organization_code());
  draft.set_period(req.period());
  fed::Violations v;
  RETURN_IF_ERROR(CheckSubmittable(draft, &v));
  RETURN_IF_ERROR(v.ToStatus());

  // ...then store exactly what was validated, in one transaction: the
  // revision, the report's state, its event, the outbox row and the audit.
  RETURN_IF_ERROR(db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    auto report = storage::LoadReport(txn, req.organization_code(), req.period(), /*lock=*/true);
    if (!report) return absl::AbortedError("the report changed while submitting; try again");
    RETURN_IF_ERROR(StateAllowsSubmitting(*report));
    auto current = storage::LoadDraft(txn, report->id, /*lock=*/true);
    v1::Report current_content = current ? current->content : v1::Report();
    current_content.set_organization_code(req.organization_code());
    current_content.set_period(req.period());
    if (!current || !google::protobuf::util::MessageDifferencer::Equals(current_content, draft)) {
      return absl::AbortedError("the draft changed while submitting; submit again");
    }
    const int32_t revision = report->latest_revision + 1;
    const int64_t submitted_micros =
        storage::InsertRevision(txn, report->id, revision, draft, who.subject);
    storage::MarkReportSubmitted(txn, report->id, revision, submitted_micros);
    storage::AppendEvent(txn, report->id, revision, "submitted", v1::REPORT_STATE_SUBMITTED, "",
                         who.subject);
    std::optional<v1::Report> stored = storage::LoadRevision(txn, report->id, revision);
    if (!stored) return absl::InternalError("revision vanished after insert");
    // What the aggregator reads: key, revision, content, who and when.
    v1::Report payload = *stored;
    payload.clear_review_comment();
    payload.clear_decided_at();
    payload.clear_decided_by();
    payload.clear_timely();
    payload.clear_due_date();  // the aggregator's own rule decides
    storage::InsertOutbox(txn, report->id, revision, req.organization_code(), req.period(),
                          payload.SerializeAsString());
    fed::AppendAudit(txn, who, "SubmitReport",
                     absl::StrCat(req.organization_code(), "/", req.period()), req);
    *out = *std::move(stored);
    return absl::OkStatus();
  }));
  if (on_submitted_) on_submitted_();
  return absl::OkStatus();
}

absl::Status Reporting::ListReports(const Principal& who, const v1::ListReportsRequest& req,
                                    v1::ListReportsResponse* out) {
  std::string organization_code = req.organization_code();
  if (organization_code.empty() && who.role == v1::ROLE_PROVINCE_REPORTER) {
    organization_code = who.organization_code;  // a province's own reports
  }
  RETURN_IF_ERROR(RequireReadAccess(who, organization_code));
  fed::Violations v;
  fed::CheckOrganizationCode(v, "organization_code", organization_code, false);
  if (!req.period().empty()) {
    if (auto period = fed::Period::Parse(req.period()); !period.ok()) {
      v.Add("period", period.status().message());
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    std::vector<v1::Report> reports = storage::ListReports(txn, organization_code, req.period());
    std::sort(reports.begin(), reports.end(), NewerFirst);
    out->clear_reports();
    for (auto& report : reports) *out->add_reports() = std::move(report);
    return absl::OkStatus();
  });
}

absl::Status Reporting::GetOutboxStatus(const Principal& who, const v1::GetOutboxStatusRequest& req,
                                        v1::OutboxStatus* out) {
  // A province sees its own reports' delivery; the national side all of it.
  const std::string organization_code =
      who.role == v1::ROLE_PROVINCE_REPORTER ? who.organization_code : "";
  RETURN_IF_ERROR(RequireReadAccess(who, organization_code));
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    const storage::OutboxCounts counts = storage::CountOutbox(txn, organization_code);
    out->set_pending(counts.pending);
    out->set_delivered(counts.delivered);
    out->set_failed(counts.failed);
    std::vector<std::string> errors;
    if (std::string transport = storage::LoadForwarderError(txn); !transport.empty()) {
      errors.push_back(std::move(transport));
    }
    if (counts.failed > 0) {
      errors.push_back(absl::StrCat(
          counts.failed, counts.failed == 1 ? " report" : " reports",
          " refused by the aggregator (not retried); latest: ", counts.latest_failure));
    }
    out->set_last_error(absl::StrJoin(errors, "; "));
    return absl::OkStatus();
  });
}

}  // namespace reporting
