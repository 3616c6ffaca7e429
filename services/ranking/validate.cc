#include "services/ranking/validate.h"

#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/catalog.h"

namespace ranking {
namespace v1 = federation::v1;
namespace {

constexpr double kTolerance = 1e-6;

bool IsCode(const std::string& code) {
  if (code.empty() || code.size() > 40) return false;
  for (char c : code) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_' || c == '-')) {
      return false;
    }
  }
  return true;
}

std::string Figure(double x) { return absl::StrFormat("%g", x); }

void CheckCriterion(const v1::ScoringCriterion& c, const std::string& f, fed::Violations& v) {
  if (!IsCode(c.code())) v.Add(f + ".code", "must be 1-40 of a-z, 0-9, '_' or '-'");
  fed::CheckText(v, f + ".name", c.name(), 200, true);
  switch (c.source()) {
    case v1::CRITERION_SOURCE_INDICATOR:
      if (fed::FindIndicator(c.indicator_code()) == nullptr) {
        v.Add(f + ".indicator_code", absl::StrCat("\"", c.indicator_code().substr(0, 60),
                                                  "\" is not an indicator of the catalog"));
      }
      break;
    case v1::CRITERION_SOURCE_CONTEST:
      if (!IsContestIndicator(c.indicator_code())) {
        v.Add(f + ".indicator_code",
              "a contest statistic must be one of contest_entries, contest_prizes, "
              "national_awards, tech_contest_held");
      }
      break;
    case v1::CRITERION_SOURCE_TIMELINESS:
      if (!c.indicator_code().empty()) v.Add(f + ".indicator_code", "must be empty for timeliness");
      break;
    default:
      v.Add(f + ".source", "is required (indicator, timeliness or contest)");
  }
  if (!(c.max_points() > 0) || !std::isfinite(c.max_points()))
    v.Add(f + ".max_points", "must be above 0");
  if (c.weight() < 0 || !std::isfinite(c.weight())) v.Add(f + ".weight", "must not be negative");
  switch (c.normalisation()) {
    case v1::NORMALISATION_SHARE_OF_BEST:
      break;
    case v1::NORMALISATION_LINEAR:
      if (!(c.lower() < c.upper())) {
        v.Add(f + ".upper", absl::StrCat("thresholds out of order: lower ", Figure(c.lower()),
                                         " must be below upper ", Figure(c.upper())));
      }
      break;
    case v1::NORMALISATION_TABLE:
      if (c.table_size() == 0) v.Add(f + ".table", "needs at least one step");
      for (int i = 0; i < c.table_size(); ++i) {
        const std::string step = absl::StrCat(f, ".table[", i, "]");
        if (i > 0 && !(c.table(i).at_least() > c.table(i - 1).at_least())) {
          v.Add(step + ".at_least", "thresholds out of order: must be above the previous step's");
        }
        if (c.table(i).share() < 0 || c.table(i).share() > 1)
          v.Add(step + ".share", "must be 0..1");
      }
      break;
    default:
      v.Add(f + ".normalisation", "is required (share of best, linear or table)");
  }
}

// A ballot rule is arithmetic a conference will be held to: every share is
// a real fraction, and a one-seat office has one seat.
void CheckBallotRule(const v1::BallotRule& r, const std::string& f, fed::Violations& v) {
  if (r.kind() == v1::BALLOT_KIND_UNSPECIFIED || !v1::BallotKind_IsValid(r.kind())) {
    v.Add(f + ".kind",
          "is required (union flag, merit certificate, government flag, next head, "
          "next deputy or council review)");
  }
  if (!(r.quorum() > 0 && r.quorum() <= 1)) v.Add(f + ".quorum", "must be above 0 and at most 1");
  if (!(r.threshold() > 0 && r.threshold() <= 1))
    v.Add(f + ".threshold", "must be above 0 and at most 1");
  if (r.threshold_of() == v1::THRESHOLD_BASE_UNSPECIFIED ||
      !v1::ThresholdBase_IsValid(r.threshold_of())) {
    v.Add(f + ".threshold_of", "is required (entitled, present or valid ballots)");
  }
  const bool one_seat = r.kind() == v1::BALLOT_KIND_NEXT_HEAD ||
                        r.kind() == v1::BALLOT_KIND_NEXT_DEPUTY ||
                        r.kind() == v1::BALLOT_KIND_GOVERNMENT_FLAG;
  if (r.kind() == v1::BALLOT_KIND_COUNCIL_REVIEW) {
    if (r.seats() != 0) v.Add(f + ".seats", "a council review elects nobody: leave it 0");
  } else if (one_seat && r.seats() != 1) {
    v.Add(f + ".seats", "must be 1 for this ballot");
  } else if (r.seats() < 1 || r.seats() > 50) {
    v.Add(f + ".seats", "must be 1..50");
  }
  fed::CheckText(v, f + ".basis", r.basis(), 500, false);
}

}  // namespace

bool IsContestIndicator(const std::string& code) {
  return code == "contest_entries" || code == "contest_prizes" || code == "national_awards" ||
         code == "tech_contest_held";
}

void ValidateScheme(const v1::ScoringScheme& s, fed::Violations& v) {
  if (s.year() < 2000 || s.year() > 2100) v.Add("scheme.year", "must be a year 2000-2100");
  fed::CheckText(v, "scheme.name", s.name(), 200, true);
  fed::CheckText(v, "scheme.note", s.note(), 2000, false);
  if (s.criteria_size() == 0) v.Add("scheme.criteria", "name at least one criterion");
  std::set<std::string> codes;
  double points = 0, weights = 0;
  for (int i = 0; i < s.criteria_size(); ++i) {
    const v1::ScoringCriterion& c = s.criteria(i);
    const std::string f = absl::StrCat("scheme.criteria[", i, "]");
    CheckCriterion(c, f, v);
    if (!codes.insert(c.code()).second) v.Add(f + ".code", "is used by another criterion");
    const double weight = c.weight() == 0 ? 1.0 : c.weight();
    points += c.max_points() * weight;
    weights += weight;
  }
  if (!(s.total_points() > 0)) {
    v.Add("scheme.total_points", "must be declared (the maximum score, e.g. 100)");
  } else if (s.criteria_size() > 0 && std::fabs(points - s.total_points()) > kTolerance) {
    v.Add("scheme.total_points",
          absl::StrCat("the criteria add up to ", Figure(points),
                       " points (max_points x weight), not ", Figure(s.total_points())));
  }
  if (s.total_weight() < 0) {
    v.Add("scheme.total_weight", "must not be negative");
  } else if (s.total_weight() > 0 && std::fabs(weights - s.total_weight()) > kTolerance) {
    v.Add("scheme.total_weight", absl::StrCat("the weights add up to ", Figure(weights), ", not ",
                                              Figure(s.total_weight())));
  }
  for (int i = 0; i < s.rules_size(); ++i) {
    const v1::ScoringRule& r = s.rules(i);
    const std::string f = absl::StrCat("scheme.rules[", i, "]");
    if (!IsCode(r.code())) v.Add(f + ".code", "must be 1-40 of a-z, 0-9, '_' or '-'");
    if (!codes.insert(r.code()).second)
      v.Add(f + ".code", "is used by a criterion or another rule");
    fed::CheckText(v, f + ".name", r.name(), 200, true);
    if (!(r.points() > 0)) v.Add(f + ".points", "must be above 0 (penalties subtract it)");
    switch (r.kind()) {
      case v1::SCORING_RULE_KIND_LATE_REPORT_PENALTY:
      case v1::SCORING_RULE_KIND_MISSING_REPORT_PENALTY:
        break;
      case v1::SCORING_RULE_KIND_INDICATOR_BONUS:
        if (fed::FindIndicator(r.indicator_code()) == nullptr) {
          v.Add(f + ".indicator_code", absl::StrCat("\"", r.indicator_code().substr(0, 60),
                                                    "\" is not an indicator of the catalog"));
        }
        break;
      default:
        v.Add(f + ".kind", "is required (late penalty, missing penalty or indicator bonus)");
    }
  }
  std::set<int> kinds;
  for (int i = 0; i < s.ballot_rules_size(); ++i) {
    const std::string f = absl::StrCat("scheme.ballot_rules[", i, "]");
    CheckBallotRule(s.ballot_rules(i), f, v);
    if (!kinds.insert(s.ballot_rules(i).kind()).second)
      v.Add(f + ".kind", "has another rule in this scheme");
  }
}

void CheckEmulationPeriod(fed::Violations& v, const std::string& field, const std::string& text,
                          fed::Period* out) {
  auto p = fed::Period::Parse(text);
  if (!p.ok()) {
    v.Add(field, text.empty() ? "is required" : std::string(p.status().message()));
  } else if (p->kind == fed::Period::Kind::kQuarter) {
    v.Add(field, "must be a year (\"2025\") or a half-year (\"2025H1\")");
  } else {
    *out = *p;
  }
}

void ValidateSelfAssessment(const v1::SetSelfAssessmentRequest& req, fed::Violations& v,
                            fed::Period* period) {
  fed::CheckOrganizationCode(v, "organization_code", req.organization_code(), true);
  CheckEmulationPeriod(v, "period", req.period(), period);
  if (req.scheme_version() < 0) v.Add("scheme_version", "must not be negative");
  if (!std::isfinite(req.total())) v.Add("total", "must be a number");
  std::set<std::string> seen;
  for (int i = 0; i < req.scores_size(); ++i) {
    const std::string f = absl::StrCat("scores[", i, "]");
    if (!seen.insert(req.scores(i).criterion_code()).second)
      v.Add(f + ".criterion_code", "given twice");
    if (!std::isfinite(req.scores(i).points())) v.Add(f + ".points", "must be a number");
  }
}

}  // namespace ranking
