// Edge validation of competition requests: every problem, with its field,
// before anything touches the database. Pure functions, unit-tested.
#pragma once

#include <string>

#include "federation/v1/competition.pb.h"
#include "services/common/validation.h"

namespace competition {

namespace v1 = federation::v1;

inline constexpr size_t kMaxTitleChars = 500;
inline constexpr size_t kMaxNameChars = 200;
inline constexpr size_t kMaxFieldChars = 120;
inline constexpr size_t kMaxSummaryChars = 5000;
inline constexpr int kMaxAuthors = 30;
inline constexpr int kMaxCriteria = 20;
inline constexpr int kMaxFields = 30;
inline constexpr int kMaxJudgesPerEntry = 15;
inline constexpr int kYouthMinAge = 6;
inline constexpr int kYouthMaxAge = 35;

// The level a kind runs at (youth contests run at either level).
bool KindFitsLevel(v1::ContestKind kind, v1::ContestLevel level);

// Everything in a contest definition (create and update).
void ValidateContest(fed::Violations& v, const v1::Contest& contest, const std::string& prefix);
// The entry's own fields; `kind` decides whether ages and schools are required.
void ValidateEntry(fed::Violations& v, const v1::Entry& entry, v1::ContestKind kind,
                   const std::string& prefix);
void ValidateJudge(fed::Violations& v, const v1::Judge& judge, const std::string& prefix);
// A sheet against the contest's criteria: each criterion once, within bounds.
void ValidateSheet(fed::Violations& v, const v1::ScoreSheet& sheet, const v1::Contest& contest,
                   const std::string& prefix);

// Sorted, lower-cased author names joined by '|'.
std::string AuthorKey(const v1::Entry& entry);

}  // namespace competition
