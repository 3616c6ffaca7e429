#include "services/emulation/validate.h"

#include <cmath>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/catalog.h"
#include "services/common/dates.h"
#include "services/common/period.h"

namespace emulation {
namespace {

constexpr size_t kMaxText = 4000;
constexpr int kMaxEvidence = 20;

const v1::ScoringCriterion* FindCriterion(const v1::ScoringScheme& scheme,
                                          const std::string& code) {
  for (const auto& c : scheme.criteria()) {
    if (c.code() == code) return &c;
  }
  return nullptr;
}

}  // namespace

void CheckKey(fed::Violations& v, const std::string& f, const v1::YearKey& key) {
  if (key.organiser_code() != kNationalUnion) {
    v.Add(f + ".organiser_code",
          key.organiser_code().empty()
              ? "is required (\"VUSTA\": the national union)"
              : "only the national union (\"VUSTA\") organises emulation years so far; a "
                "province's blocs are not supported yet");
  }
  if (key.year() < 2000 || key.year() > 2100) v.Add(f + ".year", "must be a year 2000-2100");
  if (key.cluster_number() < 1 || key.cluster_number() > 99)
    v.Add(f + ".cluster_number", "must be 1..99");
}

std::optional<absl::CivilDay> CheckDate(fed::Violations& v, const std::string& f,
                                        const std::string& text, bool required,
                                        std::optional<absl::CivilDay> not_after) {
  if (text.empty()) {
    if (required) v.Add(f, "is required (YYYY-MM-DD)");
    return std::nullopt;
  }
  auto day = fed::ParseDate(text);
  if (!day.ok()) {
    v.Add(f, "must be a calendar date YYYY-MM-DD");
    return std::nullopt;
  }
  if (not_after && *day > *not_after) {
    v.Add(f, absl::StrCat(text, " is in the future"));
    return std::nullopt;
  }
  return *day;
}

bool IsSha256(const std::string& text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

void CheckFileRef(fed::Violations& v, const std::string& f, const v1::FileRef& file, bool required,
                  const std::map<std::string, v1::FileRef>& known) {
  if (file.sha256().empty()) {
    if (required) v.Add(f + ".sha256", "is required: upload the signed document first");
    return;
  }
  if (!IsSha256(file.sha256())) {
    v.Add(f + ".sha256", "must be 64 lower-case hex digits (SHA-256)");
  } else if (known.count(file.sha256()) == 0) {
    v.Add(f + ".sha256", "no file with this SHA-256 was uploaded for this year");
  }
}

void CheckEvidence(fed::Violations& v, const std::string& f, const v1::Evidence& e,
                   const std::map<std::string, v1::FileRef>& known) {
  const bool has_url = !e.url().empty();
  const bool has_file = !e.file().sha256().empty();
  if (has_url == has_file) {
    v.Add(f, "give either a url or an uploaded file");
  } else if (has_url) {
    fed::CheckText(v, f + ".url", e.url(), 2000, true);
    if (!absl::StartsWith(e.url(), "https://") && !absl::StartsWith(e.url(), "http://")) {
      v.Add(f + ".url", "must be an http:// or https:// link");
    } else if (e.url().find_first_of(" \t\n<>\"") != std::string::npos) {
      v.Add(f + ".url", "must not contain spaces, quotes or angle brackets");
    }
  } else {
    CheckFileRef(v, f + ".file", e.file(), true, known);
  }
  fed::CheckText(v, f + ".description", e.description(), 500, false);
}

double MaxPointsOf(const v1::ScoringCriterion& c) {
  return c.max_points() * (c.weight() == 0 ? 1.0 : c.weight());
}

void CheckPoints(fed::Violations& v, const std::string& f, double points, double max) {
  if (!std::isfinite(points) || points < 0 || points > max + 1e-9) {
    v.Add(f, absl::StrCat("must be 0..", max));
  } else if (std::fabs(points * 100 - std::round(points * 100)) > 1e-6) {
    v.Add(f, "at most two digits after the point");
  }
}

void ValidateNewYear(fed::Violations& v, const v1::EmulationYear& y) {
  CheckKey(v, "year.key", y.key());
  fed::CheckText(v, "year.name", y.name(), 200, true);
  auto start = CheckDate(v, "year.start_date", y.start_date(), true);
  auto end = CheckDate(v, "year.end_date", y.end_date(), true);
  if (start && end) {
    if (*end <= *start) {
      v.Add("year.end_date", "must be after start_date");
    } else if (*end - *start > 2 * 366) {
      v.Add("year.end_date", "an emulation year spans at most two calendar years");
    }
  }
  auto due = CheckDate(v, "year.self_assessment_due", y.self_assessment_due(), true);
  auto closes = CheckDate(v, "year.self_assessment_closes", y.self_assessment_closes(), true);
  if (due && closes && *closes < *due) {
    v.Add("year.self_assessment_closes", "must not be before self_assessment_due");
  }
  if (start && due && *due < *start) {
    v.Add("year.self_assessment_due", "must not be before the year starts");
  }
  auto period = fed::Period::Parse(y.ranking_period());
  if (!period.ok() || period->kind == fed::Period::Kind::kQuarter) {
    v.Add("year.ranking_period", "must be a year (\"2025\") or a half-year (\"2025H1\")");
  }
  if (y.scheme_year() != 0 && (y.scheme_year() < 2000 || y.scheme_year() > 2100))
    v.Add("year.scheme_year", "must be a year 2000-2100 (0 = the year's)");
  if (y.scheme_version() < 0) v.Add("year.scheme_version", "must not be negative");
}

void ValidateRegistration(fed::Violations& v, const v1::Registration& r,
                          const v1::ScoringScheme& scheme) {
  fed::CheckOrganizationCode(v, "registration.organization_code", r.organization_code(), true);
  if (r.targets_size() == 0) v.Add("registration.targets", "register at least one target");
  if (r.targets_size() > 100) v.Add("registration.targets", "at most 100 targets");
  std::set<std::string> codes;
  for (int i = 0; i < r.targets_size() && i < 100; ++i) {
    const auto& t = r.targets(i);
    const std::string f = absl::StrCat("registration.targets[", i, "]");
    fed::CheckText(v, f + ".code", t.code(), 60, true);
    if (t.code().empty()) {
      // reported by CheckText
    } else if (FindCriterion(scheme, t.code()) == nullptr &&
               fed::FindIndicator(t.code()) == nullptr) {
      v.Add(f + ".code", absl::StrCat("\"", t.code().substr(0, 60),
                                      "\" is neither a criterion of the scheme nor an indicator"));
    } else if (!codes.insert(t.code()).second) {
      v.Add(f + ".code", "given twice");
    }
    if (!std::isfinite(t.value()) || t.value() < 0 || t.value() > 1e12)
      v.Add(f + ".value", "must be a number 0..1e12");
    fed::CheckText(v, f + ".note", t.note(), 1000, false);
  }
  std::set<int> aims;
  for (int i = 0; i < r.aims_size(); ++i) {
    const std::string f = absl::StrCat("registration.aims[", i, "]");
    if (r.aims(i) == v1::AWARD_KIND_UNSPECIFIED || !v1::AwardKind_IsValid(r.aims(i))) {
      v.Add(f, "must be union_flag, merit_certificate or government_flag");
    } else if (!aims.insert(r.aims(i)).second) {
      v.Add(f, "given twice");
    }
  }
}

void ValidateSheet(fed::Violations& v, const v1::SelfAssessmentSheet& s,
                   const v1::ScoringScheme& scheme,
                   const std::map<std::string, v1::FileRef>& known) {
  fed::CheckOrganizationCode(v, "sheet.organization_code", s.organization_code(), true);
  std::set<std::string> seen;
  for (int i = 0; i < s.scores_size(); ++i) {
    const auto& score = s.scores(i);
    const std::string f = absl::StrCat("sheet.scores[", i, "]");
    const v1::ScoringCriterion* c = FindCriterion(scheme, score.criterion_code());
    if (c == nullptr) {
      v.Add(f + ".criterion_code", absl::StrCat("\"", score.criterion_code().substr(0, 60),
                                                "\" is not a criterion of scheme ", scheme.year(),
                                                " version ", scheme.version()));
      continue;
    }
    if (!seen.insert(c->code()).second) v.Add(f + ".criterion_code", "scored twice");
    CheckPoints(v, f + ".points", score.points(), MaxPointsOf(*c));
    fed::CheckText(v, f + ".explanation", score.explanation(), kMaxText, false);
    if (score.evidence_size() > kMaxEvidence) {
      v.Add(f + ".evidence", absl::StrCat("at most ", kMaxEvidence, " pieces"));
    }
    if (score.points() > 0 && score.evidence_size() == 0) {
      v.Add(f + ".evidence", "points need evidence (a link or an uploaded file)");
    }
    for (int j = 0; j < score.evidence_size() && j < kMaxEvidence; ++j) {
      CheckEvidence(v, absl::StrCat(f, ".evidence[", j, "]"), score.evidence(j), known);
    }
  }
  for (const auto& c : scheme.criteria()) {
    if (seen.count(c.code()) == 0) {
      v.Add("sheet.scores", absl::StrCat("criterion ", c.code(), " is not scored"));
    }
  }
}

void ValidateCheck(fed::Violations& v, const v1::CrossCheck& check, const v1::ScoringScheme& scheme,
                   const std::map<std::string, double>& self) {
  fed::CheckOrganizationCode(v, "check.organization_code", check.organization_code(), true);
  std::set<std::string> seen;
  for (int i = 0; i < check.checks_size(); ++i) {
    const auto& c = check.checks(i);
    const std::string f = absl::StrCat("check.checks[", i, "]");
    const v1::ScoringCriterion* criterion = FindCriterion(scheme, c.criterion_code());
    if (criterion == nullptr) {
      v.Add(f + ".criterion_code", absl::StrCat("\"", c.criterion_code().substr(0, 60),
                                                "\" is not a criterion of the scheme"));
      continue;
    }
    if (!seen.insert(c.criterion_code()).second) v.Add(f + ".criterion_code", "checked twice");
    CheckPoints(v, f + ".verified_points", c.verified_points(), MaxPointsOf(*criterion));
    fed::CheckText(v, f + ".reason", c.reason(), kMaxText, false);
    auto own = self.find(c.criterion_code());
    const bool changed = own == self.end() || std::fabs(own->second - c.verified_points()) > 1e-9;
    if (changed && c.reason().empty()) {
      v.Add(f + ".reason",
            own == self.end()
                ? "the member gave no score here: say why it earns this"
                : absl::StrCat("the member scored ", own->second, ": say why it is changed"));
    }
  }
  for (const auto& c : scheme.criteria()) {
    if (seen.count(c.code()) == 0) {
      v.Add("check.checks", absl::StrCat("criterion ", c.code(), " is not checked"));
    }
  }
}

}  // namespace emulation
