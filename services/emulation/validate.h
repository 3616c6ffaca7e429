// Field checks of the emulation service's requests: each adds every problem
// with its field to a fed::Violations, so a refusal names them all. Checks
// that need the stored year (who is a member, what was self-scored) take it.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "federation/v1/emulation.pb.h"
#include "federation/v1/ranking.pb.h"
#include "services/common/validation.h"

namespace emulation {

namespace v1 = federation::v1;

// The national union's code: the organiser of every year today.
inline constexpr char kNationalUnion[] = "VUSTA";

void CheckKey(fed::Violations& v, const std::string& field, const v1::YearKey& key);
// A "YYYY-MM-DD" date; `not_after`, when given, is the latest allowed
// (today, for a day something happened).
std::optional<absl::CivilDay> CheckDate(fed::Violations& v, const std::string& field,
                                        const std::string& text, bool required,
                                        std::optional<absl::CivilDay> not_after = std::nullopt);
bool IsSha256(const std::string& text);
// A reference to a file of the year (`known`: sha256 -> stored ref).
void CheckFileRef(fed::Violations& v, const std::string& field, const v1::FileRef& file,
                  bool required, const std::map<std::string, v1::FileRef>& known);
void CheckEvidence(fed::Violations& v, const std::string& field, const v1::Evidence& evidence,
                   const std::map<std::string, v1::FileRef>& known);

// The most a criterion can earn: max_points × weight (0 weight = 1).
double MaxPointsOf(const v1::ScoringCriterion& criterion);
// Points: a number 0..max with at most two decimals.
void CheckPoints(fed::Violations& v, const std::string& field, double points, double max);

// CreateYear's year (key, name, dates, ranking period).
void ValidateNewYear(fed::Violations& v, const v1::EmulationYear& year);
void ValidateRegistration(fed::Violations& v, const v1::Registration& registration,
                          const v1::ScoringScheme& scheme);
// The whole sheet: every criterion once, points in range, evidence for points.
void ValidateSheet(fed::Violations& v, const v1::SelfAssessmentSheet& sheet,
                   const v1::ScoringScheme& scheme,
                   const std::map<std::string, v1::FileRef>& known);
// Every criterion once, a reason wherever the verified score differs from
// `self` (criterion -> the member's own points).
void ValidateCheck(fed::Violations& v, const v1::CrossCheck& check, const v1::ScoringScheme& scheme,
                   const std::map<std::string, double>& self);

}  // namespace emulation
