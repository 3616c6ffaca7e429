#include "tools/fedctl/contest_text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/enum_names.h"
#include "tools/fedctl/cli.h"

namespace fedctl {

namespace v1 = federation::v1;

namespace {

template <typename Enum, typename Parse>
Enum ParseEnum(const std::string& text, absl::string_view prefix, Parse parse,
               absl::string_view what) {
  Enum value{};
  if (!parse(absl::StrCat(prefix, absl::AsciiStrToUpper(text)), &value) ||
      static_cast<int>(value) == 0) {
    throw UsageError(absl::StrCat("'", text, "' is not a contest ", what));
  }
  return value;
}
}  // namespace

std::string KindLabel(v1::ContestKind kind) { return fed::EnumWordLower(kind); }
std::string LevelLabel(v1::ContestLevel level) { return fed::EnumWordLower(level); }
std::string StateLabel(v1::ContestState state) { return fed::EnumWordLower(state); }
std::string PrizeLabel(v1::Prize prize) { return fed::EnumWordLower(prize); }

v1::ContestKind ParseContestKind(const std::string& text) {
  return ParseEnum<v1::ContestKind>(text, "CONTEST_KIND_", v1::ContestKind_Parse, "kind");
}
v1::ContestLevel ParseContestLevel(const std::string& text) {
  return ParseEnum<v1::ContestLevel>(text, "CONTEST_LEVEL_", v1::ContestLevel_Parse, "level");
}
v1::ContestState ParseContestState(const std::string& text) {
  return ParseEnum<v1::ContestState>(text, "CONTEST_STATE_", v1::ContestState_Parse, "state");
}

v1::ContestLevel DefaultLevel(v1::ContestKind kind) {
  return kind == v1::CONTEST_KIND_NATIONAL || kind == v1::CONTEST_KIND_VIFOTEC
             ? v1::CONTEST_LEVEL_NATIONAL
             : v1::CONTEST_LEVEL_PROVINCIAL;
}

v1::PrizeStructure ParsePrizes(const std::string& counts, const std::string& min_score) {
  std::vector<std::string> parts = absl::StrSplit(counts, ',');
  int n[4] = {0, 0, 0, 0};
  if (parts.size() != 4)
    throw UsageError("--prizes: give four counts: first,second,third,consolation");
  for (int i = 0; i < 4; ++i) {
    if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(parts[i]), &n[i])) {
      throw UsageError(absl::StrCat("--prizes: '", parts[i], "' is not a number"));
    }
  }
  double min = 0;
  if (!absl::SimpleAtod(min_score, &min)) throw UsageError("--min-score: not a number");
  v1::PrizeStructure p;
  p.set_first(n[0]);
  p.set_second(n[1]);
  p.set_third(n[2]);
  p.set_consolation(n[3]);
  p.set_min_score(min);
  return p;
}

std::vector<v1::Criterion> ParseCriteria(const std::string& text) {
  std::vector<v1::Criterion> out;
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    std::vector<std::string> f = absl::StrSplit(item, ':');
    v1::Criterion c;
    int weight = 0;
    double max = 0;
    if (f.size() != 4 || !absl::SimpleAtoi(f[2], &weight) || !absl::SimpleAtod(f[3], &max)) {
      throw UsageError(absl::StrCat("--criteria: '", item, "' is not code:name:weight:max"));
    }
    c.set_code(f[0]);
    c.set_name(f[1]);
    c.set_weight(weight);
    c.set_max_points(max);
    out.push_back(c);
  }
  return out;
}

std::vector<v1::Author> ParseAuthors(const std::string& text) {
  std::vector<v1::Author> out;
  for (absl::string_view item : absl::StrSplit(text, ';', absl::SkipWhitespace())) {
    std::vector<std::string> f = absl::StrSplit(item, ':');
    v1::Author a;
    a.set_name(std::string(absl::StripAsciiWhitespace(f[0])));
    if (f.size() > 1) a.set_role(f[1]);
    if (f.size() > 2 && !f[2].empty()) {
      int age = 0;
      if (!absl::SimpleAtoi(f[2], &age))
        throw UsageError(absl::StrCat("--authors: age '", f[2], "' is not a number"));
      a.set_age(age);
    }
    if (f.size() > 3) a.set_school(f[3]);
    out.push_back(a);
  }
  return out;
}

}  // namespace fedctl
