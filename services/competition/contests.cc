// Contests: create, update, read, list, and the state machine
// DRAFT -> OPEN -> JUDGING -> CLOSED -> AWARDED.
#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/audit.h"
#include "services/common/enum_names.h"
#include "services/common/status.h"
#include "services/competition/access.h"
#include "services/competition/competition.h"
#include "services/competition/scoring.h"
#include "services/competition/storage.h"
#include "services/competition/validate.h"

namespace competition {
namespace {

template <typename List>
bool SameList(const List& a, const List& b) {
  if (a.size() != b.size()) return false;
  for (int i = 0; i < a.size(); ++i) {
    if (a.Get(i).SerializeAsString() != b.Get(i).SerializeAsString()) return false;
  }
  return true;
}

// What a contest's state forbids changing (a well-formed change refused now:
// FAILED_PRECONDITION): nothing once awarded; fields and criteria once open;
// more prizes than entries once entries came in.
// An unset rule is the trimmed mean.
v1::ScoreRule EffectiveRule(const v1::Contest& contest) {
  return contest.score_rule() == v1::SCORE_RULE_UNSPECIFIED ? v1::SCORE_RULE_TRIMMED_MEAN
                                                            : contest.score_rule();
}

// Final scores under the calibrated rule: each entry's calibrated quality,
// in hundredths like every score; FAILED_PRECONDITION when the judges cannot
// be compared (the rule cannot be applied, and no other score may silently
// take its place).
absl::Status CalibratedScores(pqxx::work& txn, const v1::Contest& c,
                              std::vector<std::pair<int64_t, FinalScore>>* scores) {
  const Calibration fit = Calibrate(storage::ContestSheets(txn, c.id()));
  if (!fit.comparable) {
    return absl::FailedPreconditionError(
        absl::StrCat("judging cannot close: contest ", c.id(),
                     " scores by calibration and its judges cannot be compared: ", fit.why_not,
                     "; assign judges so that the panels share entries"));
  }
  std::map<int64_t, const EntryCalibration*> by_entry;
  for (const EntryCalibration& e : fit.entries) by_entry[e.entry_id] = &e;
  for (auto& [entry, score] : *scores) {
    auto it = by_entry.find(entry);
    if (it == by_entry.end()) continue;  // no sheets: stays unscored
    score = FinalScore{std::llround(it->second->calibrated * 100), 1, it->second->sheets};
  }
  return absl::OkStatus();
}

absl::Status ChangeAllowedInState(const v1::Contest& now, const v1::Contest& merged) {
  if (now.state() == v1::CONTEST_STATE_AWARDED) {
    return absl::FailedPreconditionError(
        absl::StrCat("contest ", now.id(), " is awarded; its record is history"));
  }
  if (now.state() == v1::CONTEST_STATE_DRAFT) return absl::OkStatus();
  // Which score is official is a rule of the contest: entrants and judges
  // took part under it.
  if (EffectiveRule(merged) != EffectiveRule(now)) {
    return absl::FailedPreconditionError(
        absl::StrCat("contest.score_rule: contest ", now.id(), " is ", fed::EnumWord(now.state()),
                     "; its official score was fixed when it opened"));
  }
  const std::vector<std::string> fields(merged.fields().begin(), merged.fields().end());
  if (fields != std::vector<std::string>(now.fields().begin(), now.fields().end()) ||
      !SameList(merged.criteria(), now.criteria())) {
    return absl::FailedPreconditionError(
        absl::StrCat("contest ", now.id(), " is ", fed::EnumWord(now.state()),
                     "; its fields and criteria can change only while it is a draft"));
  }
  if (now.entry_count() > 0 && TotalPrizes(merged.prizes()) > now.entry_count()) {
    return absl::FailedPreconditionError(
        absl::StrCat("contest.prizes: asks for ", TotalPrizes(merged.prizes()),
                     " prizes but the contest has ", now.entry_count(), " entries"));
  }
  return absl::OkStatus();
}

}  // namespace

bool Competition::CheckOrganization(fed::Violations& v, const std::string& field,
                                    const std::string& code, absl::Status* error) {
  if (!fed::IsValidOrganizationCode(code)) return true;  // already reported by validation
  auto org = directory_.Organization(code);
  if (org.ok()) {
    if (!org->active_until().empty()) {
      v.Add(field, absl::StrCat("organisation ", code, " is no longer active (until ",
                                org->active_until(), ")"));
    }
    return true;
  }
  if (org.status().code() == absl::StatusCode::kNotFound) {
    v.Add(field, absl::StrCat("no organisation with code ", code, " in the registry"));
    return true;
  }
  *error = org.status();
  return false;
}

absl::Status Competition::CreateContest(const Principal& who, const v1::CreateContestRequest& req,
                                        v1::Contest* out) {
  const v1::Contest& c = req.contest();
  if (who.role != v1::ROLE_NATIONAL_ADMIN &&
      !(who.role == v1::ROLE_PROVINCE_REPORTER && who.organization_code == c.organizer_code())) {
    return absl::PermissionDeniedError(
        "a contest is created by its organiser's staff (province reporter of that organisation) or "
        "a national admin");
  }
  fed::Violations v;
  ValidateContest(v, c, "contest.");
  absl::Status registry_error;
  if (!CheckOrganization(v, "contest.organizer_code", c.organizer_code(), &registry_error))
    return registry_error;
  if (v.empty()) {
    auto org = directory_.Organization(c.organizer_code());
    if (org.ok()) {
      if (c.level() == v1::CONTEST_LEVEL_PROVINCIAL &&
          org->kind() != v1::ORGANIZATION_KIND_PROVINCIAL_UNION) {
        v.Add("contest.organizer_code", "a provincial contest is organised by a provincial union");
      }
      if (c.level() == v1::CONTEST_LEVEL_NATIONAL &&
          org->kind() != v1::ORGANIZATION_KIND_NATIONAL_UNION) {
        v.Add("contest.organizer_code", "a national contest is organised by the national union");
      }
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    if (storage::ContestEditionExists(txn, c.organizer_code(), c.kind(), c.edition(), 0)) {
      return absl::AlreadyExistsError(absl::StrCat(c.organizer_code(), " already has edition ",
                                                   c.edition(), " of a ",
                                                   v1::ContestKind_Name(c.kind()), " contest"));
    }
    const int64_t id = storage::InsertContest(txn, c, who.subject);
    storage::SetContestState(txn, id, v1::CONTEST_STATE_UNSPECIFIED, v1::CONTEST_STATE_DRAFT,
                             who.subject, "created");
    fed::AppendAudit(txn, who, "CreateContest", absl::StrCat("contest/", id), req);
    ASSIGN_OR_RETURN(*out, storage::LoadContest(txn, id, false));
    return absl::OkStatus();
  });
}

absl::Status Competition::UpdateContest(const Principal& who, const v1::UpdateContestRequest& req,
                                        v1::Contest* out) {
  const v1::Contest& change = req.contest();
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Contest now, storage::LoadContest(txn, change.id(), true));
    RETURN_IF_ERROR(RequireOrganiser(who, now));
    v1::Contest merged = change;
    // Identity does not change; the service owns the rest.
    merged.set_kind(now.kind());
    merged.set_level(now.level());
    merged.set_organizer_code(now.organizer_code());
    fed::Violations v;
    ValidateContest(v, merged, "contest.");
    RETURN_IF_ERROR(v.ToStatus());
    RETURN_IF_ERROR(ChangeAllowedInState(now, merged));
    if (storage::ContestEditionExists(txn, now.organizer_code(), now.kind(), merged.edition(),
                                      now.id())) {
      return absl::AlreadyExistsError(absl::StrCat("contest.edition: ", now.organizer_code(),
                                                   " already has edition ", merged.edition()));
    }
    storage::UpdateContest(txn, merged, who.subject);
    fed::AppendAudit(txn, who, "UpdateContest", absl::StrCat("contest/", now.id()), req);
    ASSIGN_OR_RETURN(*out, storage::LoadContest(txn, now.id(), false));
    return absl::OkStatus();
  });
}

absl::Status Competition::GetContest(const Principal& who, const v1::GetContestRequest& req,
                                     v1::Contest* out) {
  if (who.role == v1::ROLE_UNSPECIFIED) return absl::PermissionDeniedError("no role");
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(*out, storage::LoadContest(txn, req.id(), false));
    return absl::OkStatus();
  });
}

absl::Status Competition::ListContests(const Principal& who, const v1::ListContestsRequest& req,
                                       v1::ListContestsResponse* out) {
  // Contests are announced publicly: every role may list them.
  if (who.role == v1::ROLE_UNSPECIFIED) return absl::PermissionDeniedError("no role");
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    for (auto& c : storage::ListContests(txn, req)) *out->add_contests() = std::move(c);
    return absl::OkStatus();
  });
}

absl::Status Competition::ListContestHistory(const Principal& who,
                                             const v1::ListContestHistoryRequest& req,
                                             v1::ListContestHistoryResponse* out) {
  if (who.role == v1::ROLE_UNSPECIFIED) return absl::PermissionDeniedError("no role");
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto contest, storage::LoadContest(txn, req.contest_id(), false));
    for (auto& c : storage::ListStateChanges(txn, contest.id())) *out->add_changes() = std::move(c);
    return absl::OkStatus();
  });
}

absl::Status Competition::TransitionContest(const Principal& who,
                                            const v1::TransitionContestRequest& req,
                                            v1::Contest* out) {
  fed::Violations v;
  if (req.to() <= v1::CONTEST_STATE_UNSPECIFIED || !v1::ContestState_IsValid(req.to())) {
    v.Add("to", "is required: open, judging, closed or awarded");
  }
  fed::CheckText(v, "note", req.note(), 2000, false);
  RETURN_IF_ERROR(v.ToStatus());
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Contest c, storage::LoadContest(txn, req.id(), true));
    RETURN_IF_ERROR(RequireOrganiser(who, c));
    const v1::ContestState from = c.state();
    if (req.to() != from + 1) {
      std::string reason = absl::StrCat("contest ", c.id(), " is ", fed::EnumWord(from), "; ");
      if (from == v1::CONTEST_STATE_AWARDED) {
        absl::StrAppend(&reason, "it is awarded and can no longer change state");
      } else if (req.to() <= from) {
        absl::StrAppend(&reason, "states never go back (", fed::EnumWord(from), " -> ",
                        fed::EnumWord(req.to()), "); the next state is ",
                        fed::EnumWord(static_cast<v1::ContestState>(from + 1)));
      } else {
        absl::StrAppend(&reason, "it must go through ",
                        fed::EnumWord(static_cast<v1::ContestState>(from + 1)), " before ",
                        fed::EnumWord(req.to()));
      }
      return absl::FailedPreconditionError(reason);
    }
    switch (req.to()) {
      case v1::CONTEST_STATE_JUDGING:
        if (c.entry_count() == 0) {
          return absl::FailedPreconditionError(
              absl::StrCat("contest ", c.id(), " has no entries; there is nothing to judge"));
        }
        break;
      case v1::CONTEST_STATE_CLOSED: {
        auto totals = storage::SheetTotals(txn, c.id());
        std::vector<std::string> short_of;
        std::vector<std::pair<int64_t, FinalScore>> scores;
        for (auto& [entry, list] : totals) {
          if (static_cast<int>(list.size()) < c.min_judges_per_entry()) {
            short_of.push_back(absl::StrCat(entry, " (", list.size(), ")"));
          }
          scores.emplace_back(entry, ComputeFinal(list));
        }
        if (!short_of.empty() && !req.force()) {
          if (short_of.size() > 20) short_of.resize(20), short_of.push_back("...");
          return absl::FailedPreconditionError(
              absl::StrCat("judging cannot close: ", c.min_judges_per_entry(),
                           " score sheets are needed per entry and these "
                           "entries have fewer (sheets so far): ",
                           absl::StrJoin(short_of, ", "),
                           "; score them, or close with force to leave them as they are"));
        }
        if (EffectiveRule(c) == v1::SCORE_RULE_CALIBRATED) {
          RETURN_IF_ERROR(CalibratedScores(txn, c, &scores));
        }
        storage::ReplaceResults(txn, c.id(), Rank(scores));
        break;
      }
      case v1::CONTEST_STATE_AWARDED: {
        if (TotalPrizes(c.prizes()) > c.entry_count()) {
          return absl::FailedPreconditionError(
              absl::StrCat("the prize structure asks for ", TotalPrizes(c.prizes()),
                           " prizes but the contest has only ", c.entry_count(),
                           " entries; change the prize structure first"));
        }
        std::vector<Ranked> ranked = storage::LoadResults(txn, c.id());
        AssignPrizes(ranked, c.prizes());
        storage::SetPrizes(txn, ranked);
        break;
      }
      default:
        break;
    }
    storage::SetContestState(txn, c.id(), from, req.to(), who.subject, req.note());
    fed::AppendAudit(txn, who, "TransitionContest", absl::StrCat("contest/", c.id()), req);
    ASSIGN_OR_RETURN(*out, storage::LoadContest(txn, c.id(), false));
    return absl::OkStatus();
  });
}

}  // namespace competition
