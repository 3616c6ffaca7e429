// Congress terms, their elected leadership and the national union's
// recognition: RECORDED -> SUBMITTED -> RECOGNISED, or -> RETURNED -> fixed
// and SUBMITTED again. Every step is an event in the term's history.
#include "absl/strings/str_cat.h"
#include "services/common/audit.h"
#include "services/common/dates.h"
#include "services/common/enum_names.h"
#include "services/common/status.h"
#include "services/registry/access.h"
#include "services/registry/registry.h"
#include "services/registry/storage.h"
#include "services/registry/validate.h"

namespace registry {
namespace {

std::string StateName(v1::RecognitionState state) {
  const std::string word = fed::EnumWordLower(state);
  return word.empty() ? "unknown" : word;
}

absl::Status RequireState(const v1::CongressTerm& term,
                          std::initializer_list<v1::RecognitionState> allowed,
                          const std::string& action) {
  for (auto state : allowed) {
    if (term.state() == state) return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat("cannot ", action, " congress term ", term.id(),
                                                    ": it is ", StateName(term.state())));
}

// Loads a term for a change by `who`, who must be allowed to write for the
// organisation that held the congress.
absl::StatusOr<storage::TermRow> LoadTermForWrite(pqxx::work& txn, const fed::Principal& who,
                                                  int64_t term_id) {
  ASSIGN_OR_RETURN(auto row, storage::LoadTerm(txn, term_id, /*lock=*/true));
  ASSIGN_OR_RETURN(auto org, storage::LoadOrganizationById(txn, row.organization_id));
  RETURN_IF_ERROR(RequireWriteAccess(who, org.organization.code(), ""));
  RETURN_IF_ERROR(RequireCallerStillWriting(txn, who));
  return row;
}

std::string TermTarget(int64_t id) { return absl::StrCat("congress:", id); }

}  // namespace

absl::Status Registry::RecordCongress(const Principal& who, const v1::RecordCongressRequest& req,
                                      v1::CongressTerm* out) {
  const v1::CongressTerm& term = req.term();
  RETURN_IF_ERROR(ValidateCongressTerm(term).ToStatus());
  RETURN_IF_ERROR(RequireWriteAccess(who, term.organization_code(), ""));
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    RETURN_IF_ERROR(RequireCallerStillWriting(txn, who));
    ASSIGN_OR_RETURN(auto org, storage::LoadOrganization(txn, term.organization_code(), false));
    for (const auto& existing : storage::ListTerms(txn, org.id)) {
      if (existing.term_number() == term.term_number()) {
        return absl::AlreadyExistsError(
            absl::StrCat(term.organization_code(), " already has congress term ",
                         term.term_number(), " (id ", existing.id(), ")"));
      }
    }
    const int64_t id = storage::InsertTerm(txn, org.id, term);
    storage::InsertTermMembers(txn, id, 1, term.members());
    storage::AppendTermEvent(txn, id, "recorded",
                             absl::StrCat("term ", term.term_number(), ", ", term.start_year(), "-",
                                          term.end_year(), ", ", term.members_size(), " people"),
                             who.subject);
    fed::AppendAudit(txn, who, "RecordCongress", TermTarget(id), req);
    ASSIGN_OR_RETURN(auto row, storage::LoadTerm(txn, id, false));
    *out = row.term;
    return absl::OkStatus();
  });
}

absl::Status Registry::UpdateCongressResults(const Principal& who,
                                             const v1::UpdateCongressResultsRequest& req,
                                             v1::CongressTerm* out) {
  fed::Violations v;
  ValidateCommitteeMembers(v, req.members(), "members");
  if (!req.held_on().empty()) {
    if (auto day = fed::ParseDate(req.held_on()); !day.ok())
      v.Add("held_on", day.status().message());
  }
  RETURN_IF_ERROR(v.ToStatus());
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto row, LoadTermForWrite(txn, who, req.term_id()));
    RETURN_IF_ERROR(RequireState(row.term,
                                 {v1::RECOGNITION_STATE_RECORDED, v1::RECOGNITION_STATE_RETURNED},
                                 "change the results of"));
    pqxx::row revision = txn.exec_params1(
        "SELECT members_revision + 1 FROM congress_terms WHERE id = $1", req.term_id());
    const int next = revision[0].as<int>();
    storage::InsertTermMembers(txn, req.term_id(), next, req.members());
    storage::SetTermMembersRevision(txn, req.term_id(), next, req.held_on());
    storage::AppendTermEvent(txn, req.term_id(), "results_updated",
                             absl::StrCat(req.members_size(), " people (list ", next, ")"),
                             who.subject);
    fed::AppendAudit(txn, who, "UpdateCongressResults", TermTarget(req.term_id()), req);
    ASSIGN_OR_RETURN(auto updated, storage::LoadTerm(txn, req.term_id(), false));
    *out = updated.term;
    return absl::OkStatus();
  });
}

absl::Status Registry::ExtendCongressTerm(const Principal& who,
                                          const v1::ExtendCongressTermRequest& req,
                                          v1::CongressTerm* out) {
  RETURN_IF_ERROR(RequireAdmin(who));
  fed::Violations v;
  fed::CheckText(v, "reason", req.reason(), kMaxTextChars, true);
  RETURN_IF_ERROR(v.ToStatus());
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto row, storage::LoadTerm(txn, req.term_id(), /*lock=*/true));
    const int32_t current_end =
        row.term.extended_to_year() ? row.term.extended_to_year() : row.term.end_year();
    if (req.extended_to_year() <= current_end || req.extended_to_year() > row.term.end_year() + 5) {
      fed::Violations range;
      range.Add("extended_to_year", absl::StrCat("must be after ", current_end, " and at most ",
                                                 row.term.end_year() + 5));
      return range.ToStatus();
    }
    storage::SetTermExtension(txn, req.term_id(), req.extended_to_year());
    storage::AppendTermEvent(txn, req.term_id(), "extended",
                             absl::StrCat("to ", req.extended_to_year(), ": ", req.reason()),
                             who.subject);
    fed::AppendAudit(txn, who, "ExtendCongressTerm", TermTarget(req.term_id()), req);
    ASSIGN_OR_RETURN(auto updated, storage::LoadTerm(txn, req.term_id(), false));
    *out = updated.term;
    return absl::OkStatus();
  });
}

absl::Status Registry::SubmitCongress(const Principal& who, const v1::SubmitCongressRequest& req,
                                      v1::CongressTerm* out) {
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto row, LoadTermForWrite(txn, who, req.term_id()));
    RETURN_IF_ERROR(RequireState(
        row.term, {v1::RECOGNITION_STATE_RECORDED, v1::RECOGNITION_STATE_RETURNED}, "submit"));
    if (row.term.members_size() == 0) {
      return absl::FailedPreconditionError("record the elected members before submitting");
    }
    storage::SetTermState(txn, req.term_id(), v1::RECOGNITION_STATE_SUBMITTED, "", "", "");
    storage::AppendTermEvent(txn, req.term_id(), "submitted", "", who.subject);
    fed::AppendAudit(txn, who, "SubmitCongress", TermTarget(req.term_id()), req);
    ASSIGN_OR_RETURN(auto updated, storage::LoadTerm(txn, req.term_id(), false));
    *out = updated.term;
    return absl::OkStatus();
  });
}

absl::Status Registry::RecogniseCongress(const Principal& who,
                                         const v1::RecogniseCongressRequest& req,
                                         v1::CongressTerm* out) {
  RETURN_IF_ERROR(RequireAdmin(who));
  fed::Violations v;
  fed::CheckText(v, "decision_number", req.decision_number(), 100, true);
  if (auto day = fed::ParseDate(req.decision_date()); !day.ok()) {
    v.Add("decision_date", req.decision_date().empty() ? "is required" : day.status().message());
  } else if (*day > fed::Today()) {
    v.Add("decision_date", "is in the future");
  }
  RETURN_IF_ERROR(v.ToStatus());
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto row, storage::LoadTerm(txn, req.term_id(), /*lock=*/true));
    RETURN_IF_ERROR(RequireState(row.term, {v1::RECOGNITION_STATE_SUBMITTED}, "recognise"));
    storage::SetTermState(txn, req.term_id(), v1::RECOGNITION_STATE_RECOGNISED,
                          req.decision_number(), req.decision_date(), "");
    storage::AppendTermEvent(txn, req.term_id(), "recognised",
                             absl::StrCat(req.decision_number(), " of ", req.decision_date()),
                             who.subject);
    fed::AppendAudit(txn, who, "RecogniseCongress", TermTarget(req.term_id()), req);
    ASSIGN_OR_RETURN(auto updated, storage::LoadTerm(txn, req.term_id(), false));
    *out = updated.term;
    return absl::OkStatus();
  });
}

absl::Status Registry::ReturnCongress(const Principal& who, const v1::ReturnCongressRequest& req,
                                      v1::CongressTerm* out) {
  RETURN_IF_ERROR(RequireAdmin(who));
  fed::Violations v;
  fed::CheckText(v, "reason", req.reason(), kMaxTextChars, true);
  RETURN_IF_ERROR(v.ToStatus());
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto row, storage::LoadTerm(txn, req.term_id(), /*lock=*/true));
    RETURN_IF_ERROR(RequireState(row.term, {v1::RECOGNITION_STATE_SUBMITTED}, "return"));
    storage::SetTermState(txn, req.term_id(), v1::RECOGNITION_STATE_RETURNED, "", "", req.reason());
    storage::AppendTermEvent(txn, req.term_id(), "returned", req.reason(), who.subject);
    fed::AppendAudit(txn, who, "ReturnCongress", TermTarget(req.term_id()), req);
    ASSIGN_OR_RETURN(auto updated, storage::LoadTerm(txn, req.term_id(), false));
    *out = updated.term;
    return absl::OkStatus();
  });
}

absl::Status Registry::GetCongressTerm(const Principal& who, const v1::GetCongressTermRequest& req,
                                       v1::CongressTerm* out) {
  RETURN_IF_ERROR(RequireReader(who));
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto row, storage::LoadTerm(txn, req.term_id(), false));
    *out = row.term;
    return absl::OkStatus();
  });
}

absl::Status Registry::ListCongressTerms(const Principal& who,
                                         const v1::ListCongressTermsRequest& req,
                                         v1::ListCongressTermsResponse* out) {
  RETURN_IF_ERROR(RequireReader(who));
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto org, storage::LoadOrganization(txn, req.organization_code(), false));
    for (auto& term : storage::ListTerms(txn, org.id)) *out->add_terms() = std::move(term);
    return absl::OkStatus();
  });
}

absl::Status Registry::GetProfile(const Principal& who, const v1::GetProfileRequest& req,
                                  v1::Profile* out) {
  RETURN_IF_ERROR(RequireReader(who));
  const int32_t year = req.year() == 0 ? fed::Today().year() : req.year();
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto org, storage::LoadOrganization(txn, req.code(), false));
    *out->mutable_organization() = org.organization;
    std::vector<v1::CongressTerm> terms = storage::ListTerms(txn, org.id);
    if (!terms.empty()) *out->mutable_current_term() = terms.front();
    if (auto number = storage::ClusterNumberOf(txn, org.id, year, 0)) {
      auto cluster = storage::LoadCluster(txn, year, *number, false);
      v1::ClusterMembership* membership = out->mutable_cluster();
      *membership->mutable_cluster() = cluster->cluster;
      membership->set_role(cluster->cluster.head_code() == req.code() ? v1::CLUSTER_ROLE_HEAD
                           : cluster->cluster.deputy_code() == req.code()
                               ? v1::CLUSTER_ROLE_DEPUTY
                               : v1::CLUSTER_ROLE_MEMBER);
    }
    storage::OrganizationFilter children;
    children.parent_id = org.id;
    children.as_of = fed::FormatDate(fed::Today());
    children.limit = 1000;
    for (auto& child : storage::ListOrganizations(txn, children)) {
      if (child.kind() == v1::ORGANIZATION_KIND_PROVINCIAL_UNION) continue;  // VUSTA's provinces
      *out->add_children() = std::move(child);
    }
    for (const auto& merger : storage::ListMergersInto(txn, org.id)) {
      for (const auto& code : merger.predecessor_codes()) {
        if (code != org.organization.code()) out->add_predecessor_codes(code);
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace registry
