// Pure request validation for the ranking service (unit-tested): every
// problem is reported with its field.
#pragma once

#include <string>

#include "federation/v1/ranking.pb.h"
#include "services/common/period.h"
#include "services/common/validation.h"

namespace ranking {

// The contest statistics the competition service feeds into reports.
bool IsContestIndicator(const std::string& code);

// Everything wrong with a scheme (not whether its year has clusters: that
// needs the registry, see Ranking::DefineScheme).
void ValidateScheme(const federation::v1::ScoringScheme& scheme, fed::Violations& v);

// A period "2025" / "2025H1" (quarters are not emulation periods).
void CheckEmulationPeriod(fed::Violations& v, const std::string& field, const std::string& text,
                          fed::Period* out);

void ValidateSelfAssessment(const federation::v1::SetSelfAssessmentRequest& req, fed::Violations& v,
                            fed::Period* period);

}  // namespace ranking
