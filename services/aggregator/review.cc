// Reading reports, the change feed, and the national office's review:
// SUBMITTED -> ACCEPTED, or -> RETURNED (comment required); an ACCEPTED
// report can be reopened by a national admin, so the province submits a new
// revision. Decisions are recorded on the revision and in the change feed.
#include "absl/strings/str_cat.h"
#include "services/aggregator/access.h"
#include "services/aggregator/aggregator.h"
#include "services/aggregator/storage.h"
#include "services/aggregator/validate.h"
#include "services/common/audit.h"
#include "services/common/dates.h"
#include "services/common/period.h"
#include "services/common/status.h"

namespace aggregator {

absl::Status Aggregator::LoadFigures() {
  Figures::Loaded loaded;
  RETURN_IF_ERROR(db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    loaded = Figures::Loaded();  // a retried transaction starts again
    storage::LoadAllStandings(txn, [&](Standing s) { loaded.Place(std::move(s)); });
    return absl::OkStatus();
  }));
  figures_.Rebuild(std::move(loaded));
  return absl::OkStatus();
}

absl::Status Aggregator::GetReport(const Principal& who, const v1::GetReportRequest& req,
                                   v1::Report* out) {
  // Whose report it is comes before what is wrong with the request, as in
  // every handler: another province learns nothing from the answer.
  RETURN_IF_ERROR(RequireReportReader(who, req.organization_code()));
  RETURN_IF_ERROR(ValidateReportKey(req.organization_code(), req.period()).ToStatus());
  const storage::Key key{req.organization_code(), req.period()};
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    int32_t revision = req.revision();
    std::optional<v1::ReportState> current_state;
    if (revision == 0) {
      auto standings = storage::LockStandings(txn, {key}, /*lock=*/false);
      if (standings.empty()) {
        return absl::NotFoundError(absl::StrCat("no report of ", key.first, " for ", key.second));
      }
      revision = standings.begin()->second.latest_revision;
      // "The report" is where it stands now (e.g. reopened), not only the
      // decision taken on its latest revision.
      current_state = standings.begin()->second.state;
    }
    auto report = storage::LoadRevision(txn, key, revision);
    if (!report) {
      return absl::NotFoundError(
          absl::StrCat("no revision ", revision, " of ", key.first, "'s ", key.second, " report"));
    }
    *out = *report;
    if (current_state) out->set_state(*current_state);
    return absl::OkStatus();
  });
}

absl::Status Aggregator::ListRevisions(const Principal& who, const v1::ListRevisionsRequest& req,
                                       v1::ListRevisionsResponse* out) {
  RETURN_IF_ERROR(RequireReportReader(who, req.organization_code()));
  RETURN_IF_ERROR(ValidateReportKey(req.organization_code(), req.period()).ToStatus());
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    for (auto& r : storage::LoadRevisions(txn, {req.organization_code(), req.period()})) {
      *out->add_revisions() = std::move(r);
    }
    return absl::OkStatus();
  });
}

absl::Status Aggregator::AcceptReport(const Principal& who, const v1::ReviewRequest& req,
                                      v1::Report* out) {
  return Decide(who, req, Decision::kAccept, out);
}
absl::Status Aggregator::ReturnReport(const Principal& who, const v1::ReviewRequest& req,
                                      v1::Report* out) {
  return Decide(who, req, Decision::kReturn, out);
}
absl::Status Aggregator::ReopenReport(const Principal& who, const v1::ReviewRequest& req,
                                      v1::Report* out) {
  return Decide(who, req, Decision::kReopen, out);
}

absl::Status Aggregator::Decide(const Principal& who, const v1::ReviewRequest& req,
                                Decision decision, v1::Report* out) {
  RETURN_IF_ERROR(decision == Decision::kReopen ? RequireReopener(who) : RequireReviewer(who));
  RETURN_IF_ERROR(
      ValidateReview(req, /*comment_required=*/decision != Decision::kAccept).ToStatus());

  const storage::Key key{req.organization_code(), req.period()};
  Standing applied;
  absl::Status status = db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    // The report's row before the feed's lock, in the intake's order: the
    // other way round, each could wait for the other.
    auto standings = storage::LockStandings(txn, {key});
    if (standings.empty()) {
      return absl::NotFoundError(absl::StrCat("no report of ", key.first, " for ", key.second));
    }
    RETURN_IF_ERROR(LockFeedForWrite(txn, leadership_));
    storage::StoredStanding s = standings.begin()->second;
    if (req.revision() != s.latest_revision) {
      return absl::AbortedError(absl::StrCat("revision ", s.latest_revision,
                                             " has arrived since; review it instead of revision ",
                                             req.revision()));
    }
    const v1::ReportState expected =
        decision == Decision::kReopen ? v1::REPORT_STATE_ACCEPTED : v1::REPORT_STATE_SUBMITTED;
    if (s.state != expected) {
      return absl::FailedPreconditionError(
          absl::StrCat("the report is ", v1::ReportState_Name(s.state), "; only a ",
                       v1::ReportState_Name(expected), " report can be ",
                       decision == Decision::kAccept   ? "accepted"
                       : decision == Decision::kReturn ? "returned"
                                                       : "reopened"));
    }
    const char* event = "accepted";
    if (decision == Decision::kAccept) {
      s.state = v1::REPORT_STATE_ACCEPTED;
      s.accepted_revision = req.revision();
      storage::RecordDecision(txn, key, req.revision(), v1::REPORT_STATE_ACCEPTED, req.comment(),
                              who.subject);
    } else {
      // Returned and reopened reports wait for a new revision; what was
      // accepted before keeps counting until its successor is accepted.
      s.state = v1::REPORT_STATE_RETURNED;
      event = decision == Decision::kReturn ? "returned" : "reopened";
      if (decision == Decision::kReturn) {
        storage::RecordDecision(txn, key, req.revision(), v1::REPORT_STATE_RETURNED, req.comment(),
                                who.subject);
      }
    }
    auto sequences = storage::AppendChanges(
        txn, {{key, req.revision(), s.state, event, req.comment(), who.subject}});
    auto period = fed::Period::Parse(key.second);
    storage::UpsertStandings(txn, {{key, s, fed::FormatDate(period->DueDate()), sequences[0], {}}});
    const char* action = decision == Decision::kAccept   ? "AcceptReport"
                         : decision == Decision::kReturn ? "ReturnReport"
                                                         : "ReopenReport";
    fed::AppendAudit(txn, who, action, absl::StrCat(key.first, "/", key.second), req);

    applied.organization_code = key.first;
    applied.period = key.second;
    applied.state = s.state;
    applied.latest_revision = s.latest_revision;
    applied.accepted_revision = s.accepted_revision;
    applied.timely = s.timely;
    applied.first_submitted_at = s.first_submitted_at;
    applied.sequence = sequences[0];
    applied.latest_values = storage::LoadValues(txn, key, s.latest_revision);
    if (applied.KeepsOwnAcceptedValues()) {
      applied.accepted_values = storage::LoadValues(txn, key, s.accepted_revision);
    }
    auto report = storage::LoadRevision(txn, key, req.revision());
    *out = *report;
    out->set_state(s.state);
    return absl::OkStatus();
  });
  if (status.ok()) figures_.Apply(std::move(applied));
  return status;
}

absl::StatusOr<Aggregator::FeedPage> Aggregator::ReadFeed(int64_t after,
                                                          const std::vector<std::string>& orgs,
                                                          int limit, bool skip_pruned) {
  FeedPage page;
  RETURN_IF_ERROR(db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    page = FeedPage{};
    int64_t from = after;
    // The head first: a change committed later is not promised to be here.
    const int64_t head = storage::FeedHead(txn);
    page.changes = storage::ListChanges(txn, from, limit, orgs);
    // The horizon after the list: a prune committed in between is seen.
    const int64_t pruned = storage::PrunedThrough(txn);
    if (from < pruned) {
      if (!skip_pruned) {
        return absl::OutOfRangeError(absl::StrCat(
            "changes after ", after, " are no longer kept (the feed is pruned through ", pruned,
            "): read the current state (GetReport, GetCountedValues) and follow from ", pruned));
      }
      from = pruned;
      page.pruned_gap = true;
      page.changes = storage::ListChanges(txn, from, limit, orgs);
    }
    const bool full = static_cast<int>(page.changes.size()) == limit;
    page.through =
        full ? page.changes.back().sequence()
             : std::max(head, page.changes.empty() ? from : page.changes.back().sequence());
    page.through = std::max(page.through, from);
    return absl::OkStatus();
  }));
  return page;
}

absl::Status Aggregator::ListChanges(const Principal& who, const v1::ListChangesRequest& req,
                                     v1::ListChangesResponse* out) {
  ASSIGN_OR_RETURN(auto orgs, FeedScope(who, req.organization_codes()));
  RETURN_IF_ERROR(ValidateListChanges(req).ToStatus());
  ASSIGN_OR_RETURN(FeedPage page, ReadFeed(req.after_sequence(), orgs,
                                           req.limit() == 0 ? 500 : req.limit(), false));
  // last_sequence stays what it always was: the last change returned (a
  // filtered reader moving past others' changes is WatchChanges' business).
  out->set_last_sequence(page.changes.empty() ? req.after_sequence()
                                              : page.changes.back().sequence());
  for (auto& c : page.changes) *out->add_changes() = std::move(c);
  return absl::OkStatus();
}

}  // namespace aggregator
