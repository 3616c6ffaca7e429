// The reporting service's behaviour, independent of gRPC: each method
// authorises the caller first, validates, and makes its change in one
// transaction together with its event and audit rows. Tests build it directly.
#pragma once

#include <functional>
#include <optional>

#include "absl/time/civil_time.h"
#include "federation/v1/reporting.pb.h"
#include "services/common/auth.h"
#include "services/common/db.h"
#include "services/common/validation.h"
#include "services/reporting/contest_figures.h"
#include "services/reporting/emulation_awards.h"
#include "services/reporting/registry_client.h"

namespace reporting {

namespace v1 = federation::v1;
using fed::Principal;

class Reporting {
 public:
  // `registry` answers "does this organisation exist, was it active, how
  // big is it"; `today` is the calendar day in Vietnam (a parameter so tests
  // can fix it).
  Reporting(fed::DbPool& db, const RegistryClient& registry,
            std::function<absl::CivilDay()> today = nullptr);

  // Where annual drafts get their contest figures from (optional).
  void UseContestFigures(const ContestFigures* contests) { contests_ = contests; }
  // Where annual drafts get the flags and certificates of merit received (optional).
  void UseEmulationAwards(const EmulationAwards* awards) { awards_ = awards; }

  // Called after every committed submission (the forwarder's wake-up).
  void OnSubmitted(std::function<void()> listener) { on_submitted_ = std::move(listener); }

  // The catalog, drafts and dry-run validation (drafts.cc)
  absl::Status GetCatalog(const Principal& who, const v1::GetCatalogRequest& req,
                          v1::IndicatorCatalog* out);
  // Returns the existing draft unchanged when there already is one.
  absl::Status CreateDraft(const Principal& who, const v1::CreateDraftRequest& req,
                           v1::Report* out);
  absl::Status GetDraft(const Principal& who, const v1::GetDraftRequest& req, v1::Report* out);
  absl::Status SaveDraft(const Principal& who, const v1::SaveDraftRequest& req, v1::Report* out);
  absl::Status ValidateReport(const Principal& who, const v1::ValidateReportRequest& req,
                              v1::ValidationResult* out);
  // Submission, the province's list and the outbox (submissions.cc)
  absl::Status SubmitReport(const Principal& who, const v1::SubmitReportRequest& req,
                            v1::Report* out);
  absl::Status ListReports(const Principal& who, const v1::ListReportsRequest& req,
                           v1::ListReportsResponse* out);
  absl::Status GetOutboxStatus(const Principal& who, const v1::GetOutboxStatusRequest& req,
                               v1::OutboxStatus* out);

 private:
  // Helpers of drafting and submitting (drafts.cc)
  absl::CivilDay Today() const;
  // Every problem that would stop `report` from being submitted: content,
  // completeness, and the organisation's life in the registry. A non-OK
  // status means the check itself could not be made (registry down).
  absl::Status CheckSubmittable(const v1::Report& report, fed::Violations* v) const;
  // Pre-fills stock indicators from the registry and the previous period.
  absl::Status Prefill(const v1::Organization& organization, const std::string& period,
                       v1::Report* draft);
  // The latest revision of the period before `period`, if any.
  std::optional<v1::Report> PreviousRevision(const std::string& organization_code,
                                             const std::string& period);

  fed::DbPool& db_;
  // PERMISSION_DENIED when `who` is a province_reporter of an organisation
  // that has ended (services/common/ended_organizations.h); UNAVAILABLE when
  // the registry cannot say.
  absl::Status RequireStillWriting(const Principal& who) const;

  const RegistryClient& registry_;
  const ContestFigures* contests_ = nullptr;
  const EmulationAwards* awards_ = nullptr;
  std::function<absl::CivilDay()> today_;
  std::function<void()> on_submitted_;
};

}  // namespace reporting
