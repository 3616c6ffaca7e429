// From the vote to the award: the dossier and its documents, the council's
// review (or return), the President's decision, the Prime Minister's answer
// on a Government flag, the presentation, revocation, and the awards a
// report counts.
#include <map>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "services/common/dates.h"
#include "services/common/enum_names.h"
#include "services/common/status.h"
#include "services/common/timestamp.h"
#include "services/emulation/access.h"
#include "services/emulation/ballots.h"
#include "services/emulation/documents.h"
#include "services/emulation/emulation.h"
#include "services/emulation/validate.h"

namespace emulation {
namespace {

bool IsAfterVote(v1::YearState s) {
  return s >= v1::YEAR_STATE_VOTED && s <= v1::YEAR_STATE_REVOKED;
}

const v1::BallotRule* CouncilRule(const v1::EmulationYear& year) {
  for (const auto& r : year.ballot_rules()) {
    if (r.kind() == v1::BALLOT_KIND_COUNCIL_REVIEW) return &r;
  }
  return nullptr;
}

bool WasProposed(const v1::EmulationYear& year, const v1::Proposal& grant) {
  for (const auto& p : year.dossier().proposals()) {
    if (p.organization_code() == grant.organization_code() && p.kind() == grant.kind()) return true;
  }
  return false;
}

// The day must not come before `earliest` (an earlier step's day).
void NotBefore(fed::Violations& v, const std::string& field, std::optional<absl::CivilDay> day,
               const std::string& earliest, const std::string& what) {
  auto first = fed::ParseDate(earliest);
  if (day && first.ok() && *day < *first) {
    v.Add(field, absl::StrCat("is before ", what, " (", earliest, ")"));
  }
}

}  // namespace

absl::Status Emulation::GetDocuments(const Principal& who, const v1::GetDocumentsRequest& req,
                                     v1::GetDocumentsResponse* out) {
  ASSIGN_OR_RETURN(const v1::EmulationYear year, ReadYear(who, req.key()));
  if (!IsAfterVote(year.state())) {
    return RequireState(year, {v1::YEAR_STATE_VOTED}, "the dossier's documents");
  }
  ASSIGN_OR_RETURN(const v1::ScoringScheme scheme, SchemeOf(year));
  for (auto& d : GenerateDocuments(year, scheme, AssessmentOf(year, scheme), year.dossier())) {
    *out->add_documents() = std::move(d);
  }
  return absl::OkStatus();
}

absl::Status Emulation::SubmitDossier(const Principal& who, const v1::SubmitDossierRequest& req,
                                      v1::EmulationYear* out) {
  ASSIGN_OR_RETURN(const v1::EmulationYear current, ReadYear(who, req.key()));
  ASSIGN_OR_RETURN(const v1::ScoringScheme scheme, SchemeOf(current));
  // Scores are frozen once the cross-check closes, so the year read here
  // gives the documents the same columns as the locked one would.
  const v1::Assessment assessment = AssessmentOf(current, scheme);
  const v1::Dossier& d = req.dossier();
  return ChangeYear(
      who, req.key(), "SubmitDossier", req,
      [&](pqxx::work& txn, storage::StoredYear& stored) -> absl::Status {
        v1::EmulationYear& year = stored.year;
        RETURN_IF_ERROR(access::ActForCluster(who, year));
        RETURN_IF_ERROR(RequireState(year, {v1::YEAR_STATE_VOTED, v1::YEAR_STATE_DOSSIER_RETURNED},
                                     "submitting the dossier"));
        fed::Violations v;
        fed::CheckText(v, "dossier.letter_number", d.letter_number(), 60, true);
        auto dated = CheckDate(v, "dossier.letter_date", d.letter_date(), true, Today());
        NotBefore(v, "dossier.letter_date", dated, year.conference().held_on(), "the conference");
        std::map<std::string, v1::FileRef> known;
        const auto learn = [&](const v1::FileRef& f) {
          if (!IsSha256(f.sha256())) return;
          if (auto stored_file = storage::FindFile(txn, stored.id, f.sha256()))
            known[f.sha256()] = *stored_file;
        };
        learn(d.signed_minutes());
        for (const auto& a : d.attachments()) learn(a);
        if (d.signed_minutes().sha256().empty()) {
          v.Add("dossier.signed_minutes",
                "is required: upload the conference's signed minutes and vote count");
        } else {
          CheckFileRef(v, "dossier.signed_minutes", d.signed_minutes(), true, known);
        }
        if (d.attachments_size() > 10) v.Add("dossier.attachments", "at most 10");
        for (int i = 0; i < d.attachments_size() && i < 10; ++i) {
          CheckFileRef(v, absl::StrCat("dossier.attachments[", i, "]"), d.attachments(i), true,
                       known);
        }
        const bool resubmission = year.state() == v1::YEAR_STATE_DOSSIER_RETURNED;
        fed::CheckText(v, "dossier.note", d.note(), 2000, resubmission);
        RETURN_IF_ERROR(v.ToStatus());

        v1::Dossier dossier;
        dossier.set_revision(year.dossier().revision() + 1);
        dossier.set_letter_number(d.letter_number());
        dossier.set_letter_date(d.letter_date());
        *dossier.mutable_signed_minutes() = known[d.signed_minutes().sha256()];
        for (const auto& a : d.attachments()) *dossier.add_attachments() = known[a.sha256()];
        dossier.set_note(d.note());
        for (const auto& p : ProposalsOf(year)) *dossier.add_proposals() = p;
        for (auto& doc : GenerateDocuments(year, scheme, assessment, dossier)) {
          *dossier.add_documents() = std::move(doc);
        }
        fed::SetTimestamp(absl::Now(), dossier.mutable_submitted_at());
        dossier.set_submitted_by(who.subject);
        *year.mutable_dossier() = std::move(dossier);
        AdvanceYear(year, v1::YEAR_STATE_DOSSIER_SUBMITTED, who,
                    absl::StrCat("dossier revision ", year.dossier().revision(), ", letter ",
                                 d.letter_number()));
        return absl::OkStatus();
      },
      out);
}

absl::Status Emulation::ReviewDossier(const Principal& who, const v1::ReviewDossierRequest& req,
                                      v1::EmulationYear* out) {
  RETURN_IF_ERROR(access::Council(who));
  return ChangeYear(
      who, req.key(), "ReviewDossier", req,
      [&](pqxx::work&, storage::StoredYear& stored) -> absl::Status {
        v1::EmulationYear& year = stored.year;
        RETURN_IF_ERROR(
            RequireState(year, {v1::YEAR_STATE_DOSSIER_SUBMITTED}, "the council's review"));
        const v1::BallotRule* rule = CouncilRule(year);
        if (rule == nullptr) {
          return absl::FailedPreconditionError(
              "the year's scheme states no council_review rule: the council's vote cannot be "
              "counted");
        }
        fed::Violations v;
        auto held = CheckDate(v, "held_on", req.held_on(), true, Today());
        NotBefore(v, "held_on", held, year.dossier().letter_date(), "the dossier's letter");
        CheckCouncilVote(req.vote(), *rule, "vote.", v);
        fed::CheckText(v, "return_reason", req.return_reason(), 4000, false);
        RETURN_IF_ERROR(v.ToStatus());
        std::string explanation;
        const bool approved = CouncilApproves(req.vote(), *rule, &explanation);
        if (!approved && req.return_reason().empty()) {
          v.Add("return_reason", "is required: the vote returns the dossier, say what to fix");
        }
        if (approved && !req.return_reason().empty()) {
          v.Add("return_reason", "the vote approves the dossier; a return needs a vote against");
        }
        RETURN_IF_ERROR(v.ToStatus());
        v1::CouncilReview review;
        review.set_dossier_revision(year.dossier().revision());
        review.set_held_on(req.held_on());
        *review.mutable_vote() = req.vote();
        review.set_approved(approved);
        review.set_return_reason(req.return_reason());
        review.set_explanation(explanation);
        fed::SetTimestamp(absl::Now(), review.mutable_recorded_at());
        review.set_recorded_by(who.subject);
        *year.add_reviews() = review;
        AdvanceYear(year,
                    approved ? v1::YEAR_STATE_COUNCIL_REVIEWED : v1::YEAR_STATE_DOSSIER_RETURNED,
                    who, approved ? explanation : req.return_reason());
        return absl::OkStatus();
      },
      out);
}

absl::Status Emulation::Decide(const Principal& who, const v1::DecideRequest& req,
                               v1::EmulationYear* out) {
  RETURN_IF_ERROR(access::NationalOffice(who));
  const v1::Decision& d = req.decision();
  return ChangeYear(
      who, req.key(), "Decide", req,
      [&](pqxx::work&, storage::StoredYear& stored) -> absl::Status {
        v1::EmulationYear& year = stored.year;
        RETURN_IF_ERROR(RequireState(year, {v1::YEAR_STATE_COUNCIL_REVIEWED}, "a decision"));
        fed::Violations v;
        fed::CheckText(v, "decision.number", d.number(), 60, true);
        fed::CheckText(v, "decision.signer", d.signer(), 200, true);
        auto decided = CheckDate(v, "decision.decided_on", d.decided_on(), true, Today());
        if (year.reviews_size() > 0) {
          NotBefore(v, "decision.decided_on", decided,
                    year.reviews(year.reviews_size() - 1).held_on(), "the council's review");
        }
        std::set<std::pair<std::string, int>> seen;
        for (int i = 0; i < d.grants_size(); ++i) {
          const v1::Proposal& g = d.grants(i);
          const std::string f = absl::StrCat("decision.grants[", i, "]");
          if (g.kind() == v1::AWARD_KIND_GOVERNMENT_FLAG) {
            v.Add(f + ".kind", "the Government flag is the Prime Minister's: forward it instead");
          } else if (!WasProposed(year, g)) {
            v.Add(f + ".organization_code",
                  absl::StrCat(g.organization_code(), " was not proposed for ",
                               fed::EnumWordLower(g.kind()), " in this dossier"));
          } else if (!seen.insert({g.organization_code(), g.kind()}).second) {
            v.Add(f, "granted twice");
          }
        }
        const v1::Proposal* government = nullptr;
        for (const auto& p : year.dossier().proposals()) {
          if (p.kind() == v1::AWARD_KIND_GOVERNMENT_FLAG) government = &p;
        }
        if (d.forward_government_flag() && government == nullptr) {
          v.Add("decision.forward_government_flag", "the dossier proposes no Government flag");
        }
        if (d.grants_size() == 0 && !d.forward_government_flag()) {
          v.Add("decision.grants", "grant at least one proposal (or forward the Government flag)");
        }
        RETURN_IF_ERROR(v.ToStatus());
        v1::Decision decision = d;
        fed::SetTimestamp(absl::Now(), decision.mutable_recorded_at());
        decision.set_recorded_by(who.subject);
        *year.mutable_decision() = decision;
        year.clear_awards();
        for (const auto& g : d.grants()) {
          v1::Award& a = *year.add_awards();
          a.set_organization_code(g.organization_code());
          a.set_kind(g.kind());
          a.set_state(v1::AWARD_STATE_DECIDED);
          a.set_decision_number(d.number());
          a.set_decided_on(d.decided_on());
          a.set_signer(d.signer());
          *a.mutable_year() = year.key();
        }
        if (d.forward_government_flag()) {
          v1::Award& a = *year.add_awards();
          a.set_organization_code(government->organization_code());
          a.set_kind(v1::AWARD_KIND_GOVERNMENT_FLAG);
          a.set_state(v1::AWARD_STATE_PROPOSED);
          *a.mutable_year() = year.key();
        }
        AdvanceYear(year, v1::YEAR_STATE_DECIDED, who,
                    absl::StrCat("decision ", d.number(), " of ", d.decided_on()));
        return absl::OkStatus();
      },
      out);
}

absl::Status Emulation::RecordGovernmentOutcome(const Principal& who,
                                                const v1::RecordGovernmentOutcomeRequest& req,
                                                v1::EmulationYear* out) {
  RETURN_IF_ERROR(access::NationalOffice(who));
  return ChangeYear(
      who, req.key(), "RecordGovernmentOutcome", req,
      [&](pqxx::work&, storage::StoredYear& stored) -> absl::Status {
        v1::EmulationYear& year = stored.year;
        RETURN_IF_ERROR(RequireState(year, {v1::YEAR_STATE_DECIDED, v1::YEAR_STATE_AWARDED},
                                     "the Prime Minister's outcome"));
        v1::Award* proposed = nullptr;
        for (auto& a : *year.mutable_awards()) {
          if (a.kind() == v1::AWARD_KIND_GOVERNMENT_FLAG && a.state() == v1::AWARD_STATE_PROPOSED)
            proposed = &a;
        }
        if (proposed == nullptr) {
          return absl::FailedPreconditionError(
              "no Government-flag proposal of this year awaits the Prime Minister");
        }
        fed::Violations v;
        fed::CheckText(v, "decision_number", req.decision_number(), 60, true);
        auto decided = CheckDate(v, "decided_on", req.decided_on(), true, Today());
        NotBefore(v, "decided_on", decided, year.decision().decided_on(),
                  "the President's decision");
        RETURN_IF_ERROR(v.ToStatus());
        proposed->set_decision_number(req.decision_number());
        proposed->set_decided_on(req.decided_on());
        proposed->set_signer("Thủ tướng Chính phủ");
        if (!req.granted()) {
          proposed->set_state(v1::AWARD_STATE_NOT_GRANTED);
        } else if (year.state() == v1::YEAR_STATE_AWARDED) {
          // The year's awards were presented already: the flag is presented by its decision.
          proposed->set_state(v1::AWARD_STATE_PRESENTED);
          proposed->set_presented_on(req.decided_on());
          proposed->set_occasion("Quyết định của Thủ tướng Chính phủ");
        } else {
          proposed->set_state(v1::AWARD_STATE_DECIDED);
        }
        return absl::OkStatus();
      },
      out);
}

absl::Status Emulation::PresentAwards(const Principal& who, const v1::PresentAwardsRequest& req,
                                      v1::EmulationYear* out) {
  RETURN_IF_ERROR(access::NationalOffice(who));
  return ChangeYear(
      who, req.key(), "PresentAwards", req,
      [&](pqxx::work&, storage::StoredYear& stored) -> absl::Status {
        v1::EmulationYear& year = stored.year;
        RETURN_IF_ERROR(RequireState(year, {v1::YEAR_STATE_DECIDED}, "presenting the awards"));
        fed::Violations v;
        auto presented = CheckDate(v, "presented_on", req.presented_on(), true, Today());
        NotBefore(v, "presented_on", presented, year.decision().decided_on(), "the decision");
        fed::CheckText(v, "occasion", req.occasion(), 200, true);
        RETURN_IF_ERROR(v.ToStatus());
        for (auto& a : *year.mutable_awards()) {
          if (a.state() != v1::AWARD_STATE_DECIDED) continue;
          a.set_state(v1::AWARD_STATE_PRESENTED);
          a.set_presented_on(req.presented_on());
          a.set_occasion(req.occasion());
        }
        AdvanceYear(year, v1::YEAR_STATE_AWARDED, who,
                    absl::StrCat(req.occasion(), ", ", req.presented_on()));
        return absl::OkStatus();
      },
      out);
}

absl::Status Emulation::RevokeYear(const Principal& who, const v1::RevokeYearRequest& req,
                                   v1::EmulationYear* out) {
  RETURN_IF_ERROR(access::NationalOffice(who));
  fed::Violations v;
  fed::CheckText(v, "reason", req.reason(), 2000, true);
  RETURN_IF_ERROR(v.ToStatus());
  return ChangeYear(
      who, req.key(), "RevokeYear", req,
      [&](pqxx::work&, storage::StoredYear& stored) -> absl::Status {
        v1::EmulationYear& year = stored.year;
        RETURN_IF_ERROR(RequireState(year, {v1::YEAR_STATE_DECIDED, v1::YEAR_STATE_AWARDED},
                                     "revoking the year's awards"));
        for (auto& a : *year.mutable_awards()) {
          if (a.state() != v1::AWARD_STATE_NOT_GRANTED) a.set_state(v1::AWARD_STATE_REVOKED);
        }
        year.set_revoked_reason(req.reason());
        AdvanceYear(year, v1::YEAR_STATE_REVOKED, who, req.reason());
        return absl::OkStatus();
      },
      out);
}

absl::Status Emulation::ListAwards(const Principal& who, const v1::ListAwardsRequest& req,
                                   v1::ListAwardsResponse* out) {
  fed::Violations v;
  fed::CheckOrganizationCode(v, "organization_code", req.organization_code(), false);
  if (req.decided_year() != 0 && (req.decided_year() < 2000 || req.decided_year() > 2100))
    v.Add("decided_year", "must be 0 or a year 2000-2100");
  RETURN_IF_ERROR(v.ToStatus());
  if (who.role == v1::ROLE_PROVINCE_REPORTER) {
    if (req.organization_code() != who.organization_code) {
      return absl::PermissionDeniedError(
          absl::StrCat("organisation ", who.organization_code, " lists its own awards only"));
    }
  } else {
    RETURN_IF_ERROR(fed::RequireRole(who, {v1::ROLE_NATIONAL_ADMIN, v1::ROLE_NATIONAL_REVIEWER,
                                           v1::ROLE_VIEWER, v1::ROLE_SERVICE}));
  }
  std::vector<v1::Award> awards;
  RETURN_IF_ERROR(db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    awards = storage::ListAwards(txn, req.organization_code(), req.decided_year());
    return absl::OkStatus();
  }));
  for (auto& a : awards) {
    if (a.state() == v1::AWARD_STATE_PRESENTED) {
      if (a.kind() == v1::AWARD_KIND_MERIT_CERTIFICATE) {
        out->set_merit_certificates(out->merit_certificates() + 1);
      } else {
        out->set_emulation_flags(out->emulation_flags() + 1);
      }
    }
    *out->add_awards() = std::move(a);
  }
  return absl::OkStatus();
}

}  // namespace emulation
