#include "services/competition/validate.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/dates.h"
#include "services/competition/scoring.h"

namespace competition {
namespace {

void CheckDate(fed::Violations& v, const std::string& field, const std::string& date) {
  if (date.empty()) {
    v.Add(field, "is required (YYYY-MM-DD)");
  } else if (!fed::ParseDate(date).ok()) {
    v.Add(field, absl::StrCat("\"", date, "\" is not a date YYYY-MM-DD"));
  }
}

bool IsCriterionCode(const std::string& code) {
  if (code.empty() || code.size() > 40) return false;
  for (char c : code) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_')) return false;
  }
  return true;
}

}  // namespace

bool KindFitsLevel(v1::ContestKind kind, v1::ContestLevel level) {
  switch (kind) {
    case v1::CONTEST_KIND_PROVINCIAL_TECH:
      return level == v1::CONTEST_LEVEL_PROVINCIAL;
    case v1::CONTEST_KIND_NATIONAL:
    case v1::CONTEST_KIND_VIFOTEC:
      return level == v1::CONTEST_LEVEL_NATIONAL;
    case v1::CONTEST_KIND_YOUTH:
      return level == v1::CONTEST_LEVEL_PROVINCIAL || level == v1::CONTEST_LEVEL_NATIONAL;
    default:
      return false;
  }
}

void ValidateContest(fed::Violations& v, const v1::Contest& c, const std::string& p) {
  if (!v1::ContestKind_IsValid(c.kind()) || c.kind() == v1::CONTEST_KIND_UNSPECIFIED) {
    v.Add(p + "kind", "is required: provincial_tech, youth, national or vifotec");
  }
  if (c.level() == v1::CONTEST_LEVEL_UNSPECIFIED || !v1::ContestLevel_IsValid(c.level())) {
    v.Add(p + "level", "is required: provincial or national");
  } else if (c.kind() != v1::CONTEST_KIND_UNSPECIFIED && !KindFitsLevel(c.kind(), c.level())) {
    v.Add(p + "level",
          absl::StrCat("a ", v1::ContestKind_Name(c.kind()), " contest cannot run at level ",
                       v1::ContestLevel_Name(c.level())));
  }
  fed::CheckOrganizationCode(v, p + "organizer_code", c.organizer_code(), true);
  if (c.edition() < 1 || c.edition() > 1000) v.Add(p + "edition", "must be 1 to 1000");
  if (!v1::ScoreRule_IsValid(c.score_rule())) {
    v.Add(p + "score_rule", "must be trimmed_mean or calibrated (or left out: trimmed_mean)");
  }
  if (c.year() < 1983 || c.year() > 2100) v.Add(p + "year", "must be a year from 1983 to 2100");
  fed::CheckText(v, p + "title", c.title(), kMaxTitleChars, true);
  if (c.fields().empty()) v.Add(p + "fields", "at least one field is required");
  if (c.fields_size() > kMaxFields)
    v.Add(p + "fields", absl::StrCat("at most ", kMaxFields, " fields"));
  std::set<std::string> fields;
  for (int i = 0; i < c.fields_size(); ++i) {
    const std::string f = absl::StrCat(p, "fields[", i, "]");
    fed::CheckText(v, f, c.fields(i), kMaxFieldChars, true);
    if (!fields.insert(c.fields(i)).second)
      v.Add(f, absl::StrCat("\"", c.fields(i), "\" is listed twice"));
  }
  CheckDate(v, p + "registration_opens", c.registration_opens());
  CheckDate(v, p + "registration_closes", c.registration_closes());
  CheckDate(v, p + "judging_opens", c.judging_opens());
  CheckDate(v, p + "judging_closes", c.judging_closes());
  auto ro = fed::ParseDate(c.registration_opens()), rc = fed::ParseDate(c.registration_closes());
  auto jo = fed::ParseDate(c.judging_opens()), jc = fed::ParseDate(c.judging_closes());
  if (ro.ok() && rc.ok() && *rc < *ro)
    v.Add(p + "registration_closes", "is before registration_opens");
  if (jo.ok() && jc.ok() && *jc < *jo) v.Add(p + "judging_closes", "is before judging_opens");
  if (rc.ok() && jo.ok() && *jo < *rc) v.Add(p + "judging_opens", "is before registration_closes");
  if (ro.ok() && ro->year() != c.year() && ro->year() != c.year() - 1) {
    v.Add(p + "registration_opens",
          absl::StrCat("is not in or just before the contest year ", c.year()));
  }
  const v1::PrizeStructure& z = c.prizes();
  const std::pair<const char*, int> counts[] = {{"first", z.first()},
                                                {"second", z.second()},
                                                {"third", z.third()},
                                                {"consolation", z.consolation()}};
  for (const auto& [name, count] : counts) {
    if (count < 0 || count > 10000) v.Add(absl::StrCat(p, "prizes.", name), "must be 0 to 10000");
  }
  if (!(z.min_score() >= 0) || !HasAtMostTwoDecimals(z.min_score())) {
    v.Add(p + "prizes.min_score", "must be a non-negative number with at most two decimals");
  }
  if (c.criteria().empty()) v.Add(p + "criteria", "at least one criterion is required");
  if (c.criteria_size() > kMaxCriteria)
    v.Add(p + "criteria", absl::StrCat("at most ", kMaxCriteria));
  std::set<std::string> codes;
  double max_total = 0;
  for (int i = 0; i < c.criteria_size(); ++i) {
    const v1::Criterion& k = c.criteria(i);
    const std::string f = absl::StrCat(p, "criteria[", i, "]");
    if (!IsCriterionCode(k.code())) {
      v.Add(f + ".code", "is required: lower-case letters, digits and '_' (e.g. novelty)");
    } else if (!codes.insert(k.code()).second) {
      v.Add(f + ".code", absl::StrCat("\"", k.code(), "\" is listed twice"));
    }
    fed::CheckText(v, f + ".name", k.name(), kMaxNameChars, true);
    if (k.weight() < 1 || k.weight() > 10) v.Add(f + ".weight", "must be 1 to 10");
    if (!(k.max_points() > 0 && k.max_points() <= 1000) || !HasAtMostTwoDecimals(k.max_points())) {
      v.Add(f + ".max_points", "must be more than 0 and at most 1000, with at most two decimals");
    } else {
      max_total += k.weight() * k.max_points();
    }
  }
  if (max_total > 0 && z.min_score() > max_total) {
    v.Add(p + "prizes.min_score", absl::StrCat("is above the highest possible score ", max_total));
  }
  if (c.min_judges_per_entry() < 1 || c.min_judges_per_entry() > kMaxJudgesPerEntry) {
    v.Add(p + "min_judges_per_entry", absl::StrCat("must be 1 to ", kMaxJudgesPerEntry));
  }
}

void ValidateEntry(fed::Violations& v, const v1::Entry& e, v1::ContestKind kind,
                   const std::string& p) {
  if (e.contest_id() <= 0) v.Add(p + "contest_id", "is required");
  fed::CheckText(v, p + "title", e.title(), kMaxTitleChars, true);
  fed::CheckOrganizationCode(v, p + "source_organization_code", e.source_organization_code(), true);
  fed::CheckText(v, p + "field", e.field(), kMaxFieldChars, true);
  fed::CheckText(v, p + "summary", e.summary(), kMaxSummaryChars, false);
  if (e.authors().empty()) v.Add(p + "authors", "at least one author is required");
  if (e.authors_size() > kMaxAuthors)
    v.Add(p + "authors", absl::StrCat("at most ", kMaxAuthors, " authors"));
  const bool youth = kind == v1::CONTEST_KIND_YOUTH;
  std::set<std::string> names;
  for (int i = 0; i < e.authors_size(); ++i) {
    const v1::Author& a = e.authors(i);
    const std::string f = absl::StrCat(p, "authors[", i, "]");
    fed::CheckText(v, f + ".name", a.name(), kMaxNameChars, true);
    if (!a.name().empty() && !names.insert(absl::AsciiStrToLower(a.name())).second) {
      v.Add(f + ".name", "is listed twice");
    }
    fed::CheckText(v, f + ".role", a.role(), kMaxNameChars, false);
    fed::CheckText(v, f + ".school", a.school(), kMaxNameChars, youth);
    if (youth) {
      if (a.age() < kYouthMinAge || a.age() > kYouthMaxAge) {
        v.Add(f + ".age", absl::StrCat("is required for a youth contest: ", kYouthMinAge, " to ",
                                       kYouthMaxAge));
      }
    } else if (a.age() != 0 && (a.age() < kYouthMinAge || a.age() > 120)) {
      v.Add(f + ".age", "must be 6 to 120 when given");
    }
  }
}

void ValidateJudge(fed::Violations& v, const v1::Judge& j, const std::string& p) {
  if (j.contest_id() <= 0) v.Add(p + "contest_id", "is required");
  fed::CheckText(v, p + "subject", j.subject(), 120, true);
  fed::CheckText(v, p + "name", j.name(), kMaxNameChars, true);
  fed::CheckOrganizationCode(v, p + "organization_code", j.organization_code(), true);
  if (j.fields().empty()) v.Add(p + "fields", "at least one field is required");
}

void ValidateSheet(fed::Violations& v, const v1::ScoreSheet& sheet, const v1::Contest& contest,
                   const std::string& p) {
  std::map<std::string, const v1::Criterion*> criteria;
  for (const auto& c : contest.criteria()) criteria[c.code()] = &c;
  std::set<std::string> seen;
  for (int i = 0; i < sheet.scores_size(); ++i) {
    const v1::CriterionScore& s = sheet.scores(i);
    const std::string f = absl::StrCat(p, "scores[", i, "]");
    auto it = criteria.find(s.criterion_code());
    if (it == criteria.end()) {
      v.Add(f + ".criterion_code",
            absl::StrCat("\"", s.criterion_code(), "\" is not a criterion of this contest"));
      continue;
    }
    if (!seen.insert(s.criterion_code()).second) {
      v.Add(f + ".criterion_code", absl::StrCat("\"", s.criterion_code(), "\" is scored twice"));
    }
    if (!(s.points() >= 0 && s.points() <= it->second->max_points())) {
      v.Add(f + ".points", absl::StrCat(s.points(), " is outside 0 to ", it->second->max_points(),
                                        " for ", s.criterion_code()));
    } else if (!HasAtMostTwoDecimals(s.points())) {
      v.Add(f + ".points", "has more than two decimals");
    }
  }
  for (const auto& c : contest.criteria()) {
    if (!seen.count(c.code()))
      v.Add(p + "scores", absl::StrCat("no points for criterion ", c.code()));
  }
  fed::CheckText(v, p + "comment", sheet.comment(), kMaxSummaryChars, false);
}

std::string AuthorKey(const v1::Entry& entry) {
  std::vector<std::string> names;
  for (const auto& a : entry.authors()) names.push_back(absl::AsciiStrToLower(a.name()));
  std::sort(names.begin(), names.end());
  return absl::StrJoin(names, "|");
}

}  // namespace competition
