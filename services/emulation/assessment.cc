// Self-assessment with evidence, the head's and deputy's cross-check, the
// members' answers, and the three columns (computed, self, verified).
#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "services/common/dates.h"
#include "services/common/log.h"
#include "services/common/status.h"
#include "services/common/timestamp.h"
#include "services/emulation/access.h"
#include "services/emulation/emulation.h"
#include "services/emulation/validate.h"

namespace emulation {
namespace {

const v1::YearMember* FindMember(const v1::EmulationYear& year, const std::string& code) {
  for (const auto& m : year.members()) {
    if (m.organization_code() == code) return &m;
  }
  return nullptr;
}

// FAILED_PRECONDITION for a member that ended before the year's end: from
// self-assessment on, its successor carries its seat.
absl::Status RequireTakingPart(const v1::EmulationYear& year, const std::string& code) {
  const v1::YearMember* m = FindMember(year, code);
  if (m == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(code, " is not a member of cluster ", year.key().cluster_number()));
  }
  if (m->takes_part()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      code, " ended on ", m->ended_on(),
      m->successor_code().empty() ? std::string()
                                  : absl::StrCat(" (merged into ", m->successor_code(), ")"),
      ", before the year's end: it takes no part from self-assessment on"));
}

template <typename List>
auto* FindOf(List& list, const std::string& code) {
  for (auto& item : list) {
    if (item.organization_code() == code) return &item;
  }
  return static_cast<decltype(&*list.begin())>(nullptr);
}

// The files a sheet's evidence names that the year keeps.
std::map<std::string, v1::FileRef> KnownFiles(pqxx::work& txn, int64_t year_id,
                                              const v1::SelfAssessmentSheet& sheet) {
  std::map<std::string, v1::FileRef> known;
  for (const auto& score : sheet.scores()) {
    for (const auto& e : score.evidence()) {
      if (!IsSha256(e.file().sha256()) || known.count(e.file().sha256()) > 0) continue;
      if (auto f = storage::FindFile(txn, year_id, e.file().sha256())) known[f->sha256()] = *f;
    }
  }
  return known;
}

// Standard competition ranking (1, 2, 2, 4) of those taking part, by
// verified total, else self total, else computed total.
void RankMembers(v1::Assessment& out) {
  auto standing = [](const v1::AssessedMember& m) {
    if (m.cross_checked()) return m.verified_total();
    if (m.self_assessed()) return m.self_total();
    return m.computed_total();
  };
  std::stable_sort(out.mutable_members()->begin(), out.mutable_members()->end(),
                   [&](const v1::AssessedMember& a, const v1::AssessedMember& b) {
                     if (a.takes_part() != b.takes_part()) return a.takes_part();
                     if (standing(a) != standing(b)) return standing(a) > standing(b);
                     return a.organization_code() < b.organization_code();
                   });
  int rank = 0;
  for (int i = 0; i < out.members_size(); ++i) {
    v1::AssessedMember& m = *out.mutable_members(i);
    if (!m.takes_part()) continue;
    if (i == 0 || standing(m) != standing(out.members(i - 1))) rank = i + 1;
    m.set_rank(rank);
  }
}

}  // namespace

absl::Status Emulation::SubmitSelfAssessment(const Principal& who,
                                             const v1::SubmitSelfAssessmentRequest& req,
                                             v1::EmulationYear* out) {
  ASSIGN_OR_RETURN(const v1::EmulationYear current, ReadYear(who, req.key()));
  ASSIGN_OR_RETURN(const v1::ScoringScheme scheme, SchemeOf(current));
  const std::string& code = req.sheet().organization_code();
  return ChangeYear(
      who, req.key(), "SubmitSelfAssessment", req,
      [&](pqxx::work& txn, storage::StoredYear& stored) -> absl::Status {
        v1::EmulationYear& year = stored.year;
        RETURN_IF_ERROR(access::ActForMember(who, year, code, fed::FormatDate(Today())));
        RETURN_IF_ERROR(RequireState(year, {v1::YEAR_STATE_IN_PROGRESS}, "self-assessment"));
        RETURN_IF_ERROR(RequireTakingPart(year, code));
        fed::Violations v;
        const absl::CivilDay today = Today();
        auto closes = fed::ParseDate(year.self_assessment_closes());
        if (closes.ok() && today > *closes) {
          v.Add("sheet", absl::StrCat("self-assessment closed on ", year.self_assessment_closes(),
                                      " (due ", year.self_assessment_due(), ")"));
        }
        auto known = KnownFiles(txn, stored.id, req.sheet());
        ValidateSheet(v, req.sheet(), scheme, known);
        RETURN_IF_ERROR(v.ToStatus());
        v1::SelfAssessmentSheet sheet = req.sheet();
        for (auto& score : *sheet.mutable_scores()) {
          for (auto& e : *score.mutable_evidence()) {
            if (!e.file().sha256().empty()) *e.mutable_file() = known[e.file().sha256()];
          }
        }
        auto due = fed::ParseDate(year.self_assessment_due());
        sheet.set_late(due.ok() && today > *due);
        fed::SetTimestamp(absl::Now(), sheet.mutable_submitted_at());
        sheet.set_submitted_by(who.subject);
        if (auto* previous = FindOf(*year.mutable_self_assessments(), code)) {
          sheet.set_revision(previous->revision() + 1);
          *previous = sheet;  // the earlier sheet stays in the year's history
        } else {
          sheet.set_revision(1);
          *year.add_self_assessments() = sheet;
        }
        return absl::OkStatus();
      },
      out);
}

absl::Status Emulation::CloseSelfAssessment(const Principal& who,
                                            const v1::CloseSelfAssessmentRequest& req,
                                            v1::EmulationYear* out) {
  return ChangeYear(
      who, req.key(), "CloseSelfAssessment", req,
      [&](pqxx::work&, storage::StoredYear& stored) -> absl::Status {
        v1::EmulationYear& year = stored.year;
        RETURN_IF_ERROR(access::ActForCluster(who, year));
        RETURN_IF_ERROR(
            RequireState(year, {v1::YEAR_STATE_IN_PROGRESS}, "closing self-assessment"));
        std::vector<std::string> missing;
        for (const auto& m : year.members()) {
          if (m.takes_part() && FindOf(year.self_assessments(), m.organization_code()) == nullptr)
            missing.push_back(m.organization_code());
        }
        auto closes = fed::ParseDate(year.self_assessment_closes());
        const bool closed = closes.ok() && Today() > *closes;
        if (!missing.empty() && !closed) {
          return absl::FailedPreconditionError(absl::StrCat(
              "not every member has assessed itself (", absl::StrJoin(missing, ", "),
              ") and self-assessment stays open until ", year.self_assessment_closes()));
        }
        AdvanceYear(year, v1::YEAR_STATE_SELF_ASSESSED, who,
                    missing.empty()
                        ? "every member assessed itself"
                        : absl::StrCat("closed without ", absl::StrJoin(missing, ", ")));
        return absl::OkStatus();
      },
      out);
}

absl::Status Emulation::CrossCheck(const Principal& who, const v1::CrossCheckRequest& req,
                                   v1::EmulationYear* out) {
  ASSIGN_OR_RETURN(const v1::EmulationYear current, ReadYear(who, req.key()));
  ASSIGN_OR_RETURN(const v1::ScoringScheme scheme, SchemeOf(current));
  const std::string& code = req.check().organization_code();
  return ChangeYear(
      who, req.key(), "CrossCheck", req,
      [&](pqxx::work&, storage::StoredYear& stored) -> absl::Status {
        v1::EmulationYear& year = stored.year;
        RETURN_IF_ERROR(access::CrossCheck(who, year, code));
        RETURN_IF_ERROR(RequireState(year, {v1::YEAR_STATE_SELF_ASSESSED}, "cross-checking"));
        RETURN_IF_ERROR(RequireTakingPart(year, code));
        std::map<std::string, double> self;
        if (const auto* sheet = FindOf(year.self_assessments(), code)) {
          for (const auto& s : sheet->scores()) self[s.criterion_code()] = s.points();
        }
        fed::Violations v;
        ValidateCheck(v, req.check(), scheme, self);
        RETURN_IF_ERROR(v.ToStatus());
        v1::CrossCheck check = req.check();
        check.set_checked_by_code(who.role == v1::ROLE_NATIONAL_ADMIN ? kNationalUnion
                                                                      : who.organization_code);
        fed::SetTimestamp(absl::Now(), check.mutable_recorded_at());
        check.set_recorded_by(who.subject);
        if (auto* previous = FindOf(*year.mutable_cross_checks(), code)) {
          check.set_revision(previous->revision() + 1);
          *previous = check;
        } else {
          check.set_revision(1);
          *year.add_cross_checks() = check;
        }
        return absl::OkStatus();
      },
      out);
}

absl::Status Emulation::AnswerCrossCheck(const Principal& who,
                                         const v1::AnswerCrossCheckRequest& req,
                                         v1::EmulationYear* out) {
  ASSIGN_OR_RETURN(const v1::EmulationYear current, ReadYear(who, req.key()));
  ASSIGN_OR_RETURN(const v1::ScoringScheme scheme, SchemeOf(current));
  const v1::CheckAnswer& a = req.answer();
  fed::Violations v;
  fed::CheckOrganizationCode(v, "answer.organization_code", a.organization_code(), true);
  fed::CheckText(v, "answer.text", a.text(), 4000, true);
  if (!a.criterion_code().empty() &&
      std::none_of(scheme.criteria().begin(), scheme.criteria().end(),
                   [&](const auto& c) { return c.code() == a.criterion_code(); })) {
    v.Add("answer.criterion_code", "is not a criterion of the scheme");
  }
  RETURN_IF_ERROR(v.ToStatus());
  return ChangeYear(
      who, req.key(), "AnswerCrossCheck", req,
      [&](pqxx::work&, storage::StoredYear& stored) -> absl::Status {
        v1::EmulationYear& year = stored.year;
        RETURN_IF_ERROR(
            access::ActForMember(who, year, a.organization_code(), fed::FormatDate(Today())));
        RETURN_IF_ERROR(RequireState(
            year, {v1::YEAR_STATE_SELF_ASSESSED, v1::YEAR_STATE_CROSS_CHECKED}, "answering"));
        if (FindOf(year.cross_checks(), a.organization_code()) == nullptr) {
          return absl::FailedPreconditionError(
              absl::StrCat(a.organization_code(), " has not been cross-checked yet"));
        }
        v1::CheckAnswer answer = a;
        fed::SetTimestamp(absl::Now(), answer.mutable_recorded_at());
        answer.set_recorded_by(who.subject);
        *year.add_answers() = answer;
        return absl::OkStatus();
      },
      out);
}

absl::Status Emulation::CloseCrossCheck(const Principal& who, const v1::CloseCrossCheckRequest& req,
                                        v1::EmulationYear* out) {
  return ChangeYear(
      who, req.key(), "CloseCrossCheck", req,
      [&](pqxx::work&, storage::StoredYear& stored) -> absl::Status {
        v1::EmulationYear& year = stored.year;
        RETURN_IF_ERROR(access::ActForCluster(who, year));
        RETURN_IF_ERROR(
            RequireState(year, {v1::YEAR_STATE_SELF_ASSESSED}, "closing the cross-check"));
        std::vector<std::string> missing;
        for (const auto& m : year.members()) {
          if (m.takes_part() && FindOf(year.cross_checks(), m.organization_code()) == nullptr)
            missing.push_back(m.organization_code());
        }
        if (!missing.empty()) {
          return absl::FailedPreconditionError(
              absl::StrCat("not cross-checked yet: ", absl::StrJoin(missing, ", ")));
        }
        AdvanceYear(year, v1::YEAR_STATE_CROSS_CHECKED, who, "every member's score verified");
        return absl::OkStatus();
      },
      out);
}

absl::Status Emulation::GetAssessment(const Principal& who, const v1::GetAssessmentRequest& req,
                                      v1::Assessment* out) {
  ASSIGN_OR_RETURN(const v1::EmulationYear year, ReadYear(who, req.key()));
  ASSIGN_OR_RETURN(const v1::ScoringScheme scheme, SchemeOf(year));
  *out = AssessmentOf(year, scheme);
  return absl::OkStatus();
}

v1::Assessment Emulation::AssessmentOf(const v1::EmulationYear& year,
                                       const v1::ScoringScheme& scheme) {
  v1::Assessment table;
  *table.mutable_key() = year.key();

  // The computed column is the ranking service's; without it the other two
  // still stand, and the answer says so.
  std::map<std::string, const v1::RankedEntry*> computed;
  auto ranking = sources_.Ranking(year.key().year(), year.key().cluster_number(),
                                  year.ranking_period(), year.scheme_version());
  if (ranking.ok()) {
    for (const auto& entry : ranking->entries()) computed[entry.organization_code()] = &entry;
    table.set_computed_available(true);
  } else {
    spdlog::info("event=assessment_without_ranking year={} reason={}",
                 fed::LogQuoted(YearName(year.key())), fed::LogQuoted(ranking.status().message()));
  }

  for (const auto& member : year.members()) {
    v1::AssessedMember& m = *table.add_members();
    m.set_organization_code(member.organization_code());
    m.set_organization_name(member.organization_name());
    m.set_takes_part(member.takes_part());
    const v1::SelfAssessmentSheet* sheet =
        FindOf(year.self_assessments(), member.organization_code());
    const v1::CrossCheck* check = FindOf(year.cross_checks(), member.organization_code());
    auto c_it = computed.find(member.organization_code());
    const v1::RankedEntry* entry = c_it == computed.end() ? nullptr : c_it->second;
    double adjustments = 0;
    if (entry != nullptr) {
      for (const auto& a : entry->adjustments()) adjustments += a.points();
    }
    m.set_adjustments(adjustments);
    m.set_self_assessed(sheet != nullptr);
    m.set_late(sheet != nullptr && sheet->late());
    m.set_cross_checked(check != nullptr);
    double computed_total = adjustments, self_total = adjustments, verified_total = adjustments;
    for (const auto& criterion : scheme.criteria()) {
      v1::AssessedCriterion& c = *m.add_criteria();
      c.set_criterion_code(criterion.code());
      c.set_criterion_name(criterion.name());
      c.set_max_points(MaxPointsOf(criterion));
      if (entry != nullptr) {
        for (const auto& b : entry->breakdown()) {
          if (b.criterion_code() == criterion.code()) c.set_computed_points(b.points());
        }
      }
      if (sheet != nullptr) {
        for (const auto& s : sheet->scores()) {
          if (s.criterion_code() != criterion.code()) continue;
          c.set_has_self(true);
          c.set_self_points(s.points());
          c.set_evidence_count(s.evidence_size());
        }
      }
      if (check != nullptr) {
        for (const auto& k : check->checks()) {
          if (k.criterion_code() != criterion.code()) continue;
          c.set_has_verified(true);
          c.set_verified_points(k.verified_points());
          c.set_reason(k.reason());
        }
      }
      computed_total += c.computed_points();
      self_total += c.self_points();
      verified_total += c.verified_points();
    }
    m.set_computed_total(computed_total);
    m.set_self_total(sheet != nullptr ? self_total : 0);
    m.set_verified_total(check != nullptr ? verified_total : 0);
  }
  RankMembers(table);
  return table;
}

}  // namespace emulation
