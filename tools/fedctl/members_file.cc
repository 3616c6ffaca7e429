#include "tools/fedctl/members_file.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tools/fedctl/cli.h"
#include "tools/fedctl/names.h"

namespace fedctl {

std::vector<federation::v1::CommitteeMember> ParseMembersCsv(const std::string& text,
                                                             const std::string& file_name) {
  std::vector<federation::v1::CommitteeMember> members;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    absl::ConsumeSuffix(&line, "\r");                                  // files written on Windows
    if (line_number == 1) absl::ConsumePrefix(&line, "\xEF\xBB\xBF");  // and their BOM
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || absl::StartsWith(line, "#")) continue;
    if (line_number == 1 && absl::StartsWithIgnoreCase(line, "full_name,")) continue;

    std::string where = absl::StrCat(file_name, ":", line_number);
    std::vector<absl::string_view> fields = absl::StrSplit(line, ',');
    if (fields.size() != 3) {
      throw UsageError(absl::StrCat(where, ": expected full_name,committee,position, got ",
                                    fields.size(), " fields"));
    }
    federation::v1::CommitteeMember member;
    member.set_full_name(std::string(absl::StripAsciiWhitespace(fields[0])));
    if (member.full_name().empty()) throw UsageError(absl::StrCat(where, ": full_name is empty"));
    member.set_committee(
        ParseCommittee(absl::StripAsciiWhitespace(fields[1]), absl::StrCat(where, ": committee")));
    member.set_position(
        ParsePosition(absl::StripAsciiWhitespace(fields[2]), absl::StrCat(where, ": position")));
    members.push_back(std::move(member));
  }
  return members;
}

std::vector<federation::v1::CommitteeMember> ReadMembersFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(absl::StrCat("cannot read members file ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseMembersCsv(buffer.str(), path);
}

}  // namespace fedctl
