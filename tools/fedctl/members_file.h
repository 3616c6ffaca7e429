// The file `fedctl congress record --members-file` reads: the people a
// congress elected, one per line,
//   full_name,committee,position
// committee: executive | standing | inspection (or BCH, BTV, BKT)
// position:  member | chair | vice_chair | general_secretary | head_of_inspection
// Blank lines, lines starting with '#' and a "full_name,..." header are skipped.
#pragma once

#include <string>
#include <vector>

#include "federation/v1/registry.pb.h"

namespace fedctl {

// Throws UsageError naming the line of the first malformed entry.
std::vector<federation::v1::CommitteeMember> ParseMembersCsv(const std::string& text,
                                                             const std::string& file_name);

// Reads and parses a members file; throws UsageError when it cannot be read.
std::vector<federation::v1::CommitteeMember> ReadMembersFile(const std::string& path);

}  // namespace fedctl
