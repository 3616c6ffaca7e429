// Drafts: the catalog, creating (with pre-fill), reading and saving a draft,
// and the dry run that checks a report as if it were submitted.
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/common/audit.h"
#include "services/common/catalog.h"
#include "services/common/dates.h"
#include "services/common/log.h"
#include "services/common/period.h"
#include "services/common/report_validation.h"
#include "services/common/status.h"
#include "services/reporting/access.h"
#include "services/reporting/reporting.h"
#include "services/reporting/storage.h"
#include "services/reporting/validate.h"

namespace reporting {
namespace {

// What DraftView shows besides the draft: how the latest submission fared.
struct Standing {
  bool timely = false;
  std::optional<storage::Decision> decision;
};

// The draft as callers see it: the report's key and state, the draft's
// content, the due date, and the newest review decision (what a returned or
// reopened report must fix).
v1::Report DraftView(const storage::ReportRow& report, const storage::DraftRow& draft,
                     const Standing& standing) {
  v1::Report out = draft.content;
  out.set_organization_code(report.organization_code);
  out.set_period(report.period);
  out.set_state(report.state);
  out.set_due_date(report.due_date);
  out.set_timely(standing.timely);
  out.set_draft_version(draft.saves);
  if (standing.decision) {
    out.set_review_comment(standing.decision->comment);
    out.mutable_decided_at()->set_seconds(standing.decision->at_micros / 1000000);
    out.mutable_decided_at()->set_nanos(
        static_cast<int32_t>(standing.decision->at_micros % 1000000) * 1000);
    out.set_decided_by(standing.decision->actor);
  }
  return out;
}

Standing LatestOf(pqxx::work& txn, const storage::ReportRow& report) {
  Standing standing;
  if (report.latest_revision == 0) return standing;
  if (auto latest = storage::LoadRevision(txn, report.id, report.latest_revision)) {
    standing.timely = latest->timely();
  }
  standing.decision = storage::LatestDecision(txn, report.id, report.latest_revision);
  return standing;
}

absl::Status StateAllowsEditing(const storage::ReportRow& report) {
  if (report.state == v1::REPORT_STATE_SUBMITTED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "revision ", report.latest_revision, " of ", report.organization_code, " ", report.period,
        " is awaiting review; the draft can change once it is returned"));
  }
  if (report.state == v1::REPORT_STATE_ACCEPTED) {
    return absl::FailedPreconditionError(
        absl::StrCat(report.organization_code, " ", report.period, " was accepted (revision ",
                     report.latest_revision, "); the national office must reopen it first"));
  }
  return absl::OkStatus();
}

// Two clerks on one draft: the second save must not silently replace the
// first one's work. `read` is the version the writer loaded (0: unchecked).
absl::Status DraftUnchangedSince(const storage::DraftRow& draft, int32_t read) {
  if (read == 0 || read == draft.saves) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat(
      "the draft was saved by ", draft.updated_by, " at ",
      absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", absl::FromUnixMicros(draft.updated_micros),
                       absl::UTCTimeZone()),
      " (version ", draft.saves, ") after you opened version ", read,
      "; reload it and apply your changes again"));
}

}  // namespace

Reporting::Reporting(fed::DbPool& db, const RegistryClient& registry,
                     std::function<absl::CivilDay()> today)
    : db_(db), registry_(registry), today_(std::move(today)) {}

absl::CivilDay Reporting::Today() const { return today_ ? today_() : fed::Today(); }

absl::Status Reporting::GetCatalog(const Principal& who, const v1::GetCatalogRequest& req,
                                   v1::IndicatorCatalog* out) {
  RETURN_IF_ERROR(RequireAnyRole(who));
  const v1::IndicatorCatalog* catalog = fed::CatalogVersion(req.version());
  if (catalog == nullptr || req.version() < 0) {
    return absl::NotFoundError(absl::StrCat("no catalog version ", req.version(), " (newest is ",
                                            fed::kLatestCatalogVersion, ")"));
  }
  *out = *catalog;
  return absl::OkStatus();
}

std::optional<v1::Report> Reporting::PreviousRevision(const std::string& organization_code,
                                                      const std::string& period) {
  auto parsed = fed::Period::Parse(period);
  if (!parsed.ok()) return std::nullopt;
  const std::string previous = parsed->Previous().ToString();
  std::optional<v1::Report> result;
  absl::Status status = db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    result = storage::LoadLatestRevision(txn, organization_code, previous);
    return absl::OkStatus();
  });
  if (!status.ok()) return std::nullopt;
  return result;
}

absl::Status Reporting::Prefill(const v1::Organization& organization, const std::string& period,
                                v1::Report* draft) {
  ASSIGN_OR_RETURN(const fed::Period parsed, fed::Period::Parse(period));
  std::map<std::string, v1::IndicatorValue> values;
  // Stocks carry over from the previous period's latest revision...
  if (auto previous = PreviousRevision(organization.code(), period)) {
    for (const auto& value : previous->values()) {
      const v1::Indicator* indicator = fed::FindIndicator(value.code());
      if (indicator && indicator->time_aggregation() == v1::TIME_AGGREGATION_LAST) {
        values[value.code()] = value;
      }
    }
  }
  // ...and what the registry knows now is fresher (member counts of 0 mean
  // "not known" there).
  const auto set_count = [&](const char* code, int64_t count) {
    v1::IndicatorValue& value = values[code];
    value.set_code(code);
    value.set_count(count);
  };
  if (organization.member_count() > 0) set_count("members", organization.member_count());
  if (organization.intellectual_count() > 0) {
    set_count("intellectuals", organization.intellectual_count());
  }
  const absl::CivilDay as_of = std::min(parsed.LastDay(), Today());
  ASSIGN_OR_RETURN(
      const int64_t associations,
      registry_.CountChildren(organization.code(), v1::ORGANIZATION_KIND_MEMBER_ASSOCIATION,
                              fed::FormatDate(as_of)));
  set_count("member_associations", associations);
  // Contests run once a year: an annual report takes the competition
  // service's figures for the year (half-years are left to the province).
  if (contests_ != nullptr && parsed.kind == fed::Period::Kind::kYear) {
    auto figures = contests_->ForYear(organization.code(), parsed.year);
    if (figures.ok()) {
      set_count("contest_entries", figures->contest_entries());
      set_count("contest_prizes", figures->contest_prizes());
      set_count("national_awards", figures->national_awards());
      const auto set_flag = [&](const char* code, bool flag) {
        v1::IndicatorValue& value = values[code];
        value.set_code(code);
        value.set_flag(flag);
      };
      set_flag("tech_contest_held", figures->tech_contest_held());
      set_flag("tech_contest_by_union", figures->tech_contest_by_union());
      set_flag("youth_contest_held", figures->youth_contest_held());
    } else {
      spdlog::info("event=prefill_without_contests organization={} period={} reason={}",
                   fed::LogQuoted(organization.code()), fed::LogQuoted(period),
                   fed::LogQuoted(figures.status().message()));
    }
  }
  // Flags and certificates of merit presented by decisions of the year, as
  // the emulation service recorded them.
  if (awards_ != nullptr && parsed.kind == fed::Period::Kind::kYear) {
    auto awards = awards_->ForYear(organization.code(), parsed.year);
    if (awards.ok()) {
      set_count("emulation_flags", awards->emulation_flags());
      set_count("merit_certificates", awards->merit_certificates());
    } else {
      spdlog::info("event=prefill_without_awards organization={} period={} reason={}",
                   fed::LogQuoted(organization.code()), fed::LogQuoted(period),
                   fed::LogQuoted(awards.status().message()));
    }
  }
  // Mixed sources must not pre-fill a draft that breaks a rule.
  auto members = values.find("members");
  auto intellectuals = values.find("intellectuals");
  if (members != values.end() && intellectuals != values.end() &&
      intellectuals->second.count() > members->second.count()) {
    values.erase(intellectuals);
  }
  for (const auto& indicator : fed::LatestCatalog().indicators()) {
    auto it = values.find(indicator.code());
    if (it != values.end()) *draft->add_values() = it->second;
  }
  return absl::OkStatus();
}

absl::Status Reporting::CreateDraft(const Principal& who, const v1::CreateDraftRequest& req,
                                    v1::Report* out) {
  RETURN_IF_ERROR(RequireWriteAccess(who, req.organization_code()));
  RETURN_IF_ERROR(RequireStillWriting(who));
  RETURN_IF_ERROR(ValidateReportKey(req.organization_code(), req.period(), Today()).ToStatus());
  ASSIGN_OR_RETURN(const fed::Period period, fed::Period::Parse(req.period()));

  // An existing draft is returned as it is: creating is idempotent.
  bool existed = false;
  RETURN_IF_ERROR(db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    auto report = storage::LoadReport(txn, req.organization_code(), req.period(), false);
    if (!report) return absl::OkStatus();
    auto draft = storage::LoadDraft(txn, report->id, false);
    if (!draft) return absl::OkStatus();
    existed = true;
    *out = DraftView(*report, *draft, LatestOf(txn, *report));
    return absl::OkStatus();
  }));
  if (existed) return absl::OkStatus();

  fed::Violations v;
  auto organization = registry_.GetOrganization(req.organization_code());
  if (organization.status().code() == absl::StatusCode::kNotFound) {
    v.Add("organization_code",
          absl::StrCat("no organisation with code ", req.organization_code(), " in the registry"));
    return v.ToStatus();
  }
  RETURN_IF_ERROR(organization.status());
  CheckActiveDuring(v, *organization, period);
  RETURN_IF_ERROR(v.ToStatus());

  v1::Report content;
  content.set_catalog_version(fed::kLatestCatalogVersion);
  if (req.prefill()) RETURN_IF_ERROR(Prefill(*organization, req.period(), &content));

  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    bool created = false;
    storage::ReportRow report =
        storage::InsertReportIfAbsent(txn, req.organization_code(), req.period(),
                                      fed::FormatDate(period.DueDate()), who.subject, &created);
    if (auto draft = storage::LoadDraft(txn, report.id, false)) {
      *out = DraftView(report, *draft, LatestOf(txn, report));  // created concurrently
      return absl::OkStatus();
    }
    storage::InsertDraft(txn, report.id, content, who.subject);
    fed::AppendAudit(txn, who, "CreateDraft",
                     absl::StrCat(req.organization_code(), "/", req.period()), req);
    auto draft = storage::LoadDraft(txn, report.id, false);
    if (!draft) return absl::InternalError("draft vanished after insert");
    *out = DraftView(report, *draft, LatestOf(txn, report));
    return absl::OkStatus();
  });
}

absl::Status Reporting::GetDraft(const Principal& who, const v1::GetDraftRequest& req,
                                 v1::Report* out) {
  RETURN_IF_ERROR(RequireReadAccess(who, req.organization_code()));
  fed::Violations v;
  fed::CheckOrganizationCode(v, "organization_code", req.organization_code(), true);
  if (auto period = fed::Period::Parse(req.period()); !period.ok()) {
    v.Add("period", period.status().message());
  }
  RETURN_IF_ERROR(v.ToStatus());
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    auto report = storage::LoadReport(txn, req.organization_code(), req.period(), false);
    auto draft = report ? storage::LoadDraft(txn, report->id, false) : std::nullopt;
    if (!draft) {
      return absl::NotFoundError(absl::StrCat("no draft for ", req.organization_code(), " ",
                                              req.period(), "; create it first"));
    }
    *out = DraftView(*report, *draft, LatestOf(txn, *report));
    return absl::OkStatus();
  });
}

absl::Status Reporting::SaveDraft(const Principal& who, const v1::SaveDraftRequest& req,
                                  v1::Report* out) {
  const v1::Report& report = req.report();
  RETURN_IF_ERROR(RequireWriteAccess(who, report.organization_code()));
  RETURN_IF_ERROR(RequireStillWriting(who));
  RETURN_IF_ERROR(ValidateDraftContent(report, Today()).ToStatus());
  v1::Report content;
  *content.mutable_values() = report.values();
  *content.mutable_narrative() = report.narrative();
  content.set_catalog_version(report.catalog_version() == 0 ? fed::kLatestCatalogVersion
                                                            : report.catalog_version());
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    auto row = storage::LoadReport(txn, report.organization_code(), report.period(), true);
    auto current = row ? storage::LoadDraft(txn, row->id, true) : std::nullopt;
    if (!current) {
      return absl::NotFoundError(absl::StrCat("no draft for ", report.organization_code(), " ",
                                              report.period(), "; create it first"));
    }
    RETURN_IF_ERROR(StateAllowsEditing(*row));
    RETURN_IF_ERROR(DraftUnchangedSince(*current, report.draft_version()));
    storage::UpdateDraft(txn, row->id, content, who.subject);
    fed::AppendAudit(txn, who, "SaveDraft",
                     absl::StrCat(report.organization_code(), "/", report.period()), req);
    auto saved = storage::LoadDraft(txn, row->id, false);
    *out = DraftView(*row, *saved, LatestOf(txn, *row));
    return absl::OkStatus();
  });
}

absl::Status Reporting::CheckSubmittable(const v1::Report& report, fed::Violations* v) const {
  *v = fed::ValidateReportContent(report, Today());
  CheckComplete(*v, report);
  auto period = fed::Period::Parse(report.period());
  if (!fed::IsValidOrganizationCode(report.organization_code()) || !period.ok()) {
    return absl::OkStatus();  // already reported; nothing to ask the registry
  }
  auto organization = registry_.GetOrganization(report.organization_code());
  if (organization.status().code() == absl::StatusCode::kNotFound) {
    v->Add("organization_code", absl::StrCat("no organisation with code ",
                                             report.organization_code(), " in the registry"));
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(organization.status());
  CheckActiveDuring(*v, *organization, *period);
  return absl::OkStatus();
}

absl::Status Reporting::ValidateReport(const Principal& who, const v1::ValidateReportRequest& req,
                                       v1::ValidationResult* out) {
  const v1::Report& report = req.report();
  RETURN_IF_ERROR(RequireWriteAccess(who, report.organization_code()));
  fed::Violations v;
  RETURN_IF_ERROR(CheckSubmittable(report, &v));
  out->set_valid(v.empty());
  *out->mutable_violations() = v.errors().violations();
  if (auto previous = PreviousRevision(report.organization_code(), report.period())) {
    for (auto& warning : fed::CompareWithPrevious(report, *previous)) {
      *out->add_warnings() = std::move(warning);
    }
  }
  return absl::OkStatus();
}

}  // namespace reporting
