// Words for the competition enums on fedctl's command line and in its
// output, and the small text formats of `contest create` / `entry-add`.
#pragma once

#include <string>
#include <vector>

#include "federation/v1/competition.pb.h"

namespace fedctl {

inline constexpr char kDefaultCriteria[] =
    "novelty:Tính mới và sáng tạo:1:30,applicability:Khả năng áp dụng:1:40,"
    "effectiveness:Hiệu quả kinh tế - xã hội:1:30";

std::string KindLabel(federation::v1::ContestKind kind);     // "provincial_tech"
std::string LevelLabel(federation::v1::ContestLevel level);  // "provincial"
std::string StateLabel(federation::v1::ContestState state);  // "open"
std::string PrizeLabel(federation::v1::Prize prize);         // "first", "" when unset

// These throw UsageError for an unknown word.
federation::v1::ContestKind ParseContestKind(const std::string& text);
federation::v1::ContestLevel ParseContestLevel(const std::string& text);
federation::v1::ContestState ParseContestState(const std::string& text);
federation::v1::ContestLevel DefaultLevel(federation::v1::ContestKind kind);
// "1,2,3,5" and "50".
federation::v1::PrizeStructure ParsePrizes(const std::string& counts, const std::string& min_score);
// "code:name:weight:max,..." (commas inside names are not allowed).
std::vector<federation::v1::Criterion> ParseCriteria(const std::string& text);
// "name[:role[:age[:school]]];...".
std::vector<federation::v1::Author> ParseAuthors(const std::string& text);

}  // namespace fedctl
