// The small text forms of `fedctl emulation ...`: enum words, repeatable
// CODE=VALUE options and the self-assessment sheet's CSV. Kept apart from
// the commands so that the tests can check them without a service.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "federation/v1/emulation.pb.h"
#include "services/common/enum_names.h"
#include "tools/fedctl/cli.h"

namespace fedctl {

// The words a command line may use for an enum: its value names without the
// prefix, in lower case, as fed::EnumWordLower prints them ("union_flag").
template <typename Enum>
std::vector<std::string> EnumWords() {
  std::vector<std::string> words;
  const google::protobuf::EnumDescriptor* type = google::protobuf::GetEnumDescriptor<Enum>();
  for (int i = 1; i < type->value_count(); ++i) {
    words.push_back(fed::EnumWordLower(static_cast<Enum>(type->value(i)->number())));
  }
  return words;
}

// `text` as an enum value; UsageError naming `option` and every allowed
// word otherwise. The UNSPECIFIED value is never a word, and case matters
// no more than it does in the help.
template <typename Enum>
Enum ParseEnumWord(absl::string_view text, absl::string_view option) {
  const std::string word = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  const google::protobuf::EnumDescriptor* type = google::protobuf::GetEnumDescriptor<Enum>();
  for (int i = 1; i < type->value_count(); ++i) {
    const auto value = static_cast<Enum>(type->value(i)->number());
    if (!word.empty() && fed::EnumWordLower(value) == word) return value;
  }
  throw UsageError(absl::StrCat("--", option, ": '", text, "' is not one of ",
                                absl::StrJoin(EnumWords<Enum>(), ", ")));
}

// A decimal as the service takes points and target values: digits with an
// optional sign and fraction ("12", "7.5", "-1"); no exponents, no "nan".
// UsageError naming `what` otherwise.
double ParseDecimal(absl::string_view text, absl::string_view what);

// --votes=14=3 (also "14=3,15=2"): candidates' votes.
std::vector<federation::v1::CandidateVotes> ParseVotes(absl::string_view text);
// --check=consultancy=20[:reason]; the reason may itself hold ':'.
federation::v1::CriterionCheck ParseCheck(absl::string_view text);
// --target=workshops=12[:note].
federation::v1::Target ParseTarget(absl::string_view text);
// --grant=14:union_flag.
federation::v1::Proposal ParseGrant(absl::string_view text);
// One piece of evidence: an http(s) link, or "sha256:<64 hex>" for a file
// kept by UploadFile.
federation::v1::Evidence ParseEvidence(absl::string_view text);

// The self-assessment sheet as CSV (RFC 4180 quoting, so explanations may
// hold commas, quotes and line breaks): `criterion,points,explanation,evidence`
// per line, evidence a ';'-separated list for ParseEvidence. A first line
// starting with "criterion" is a header; blank lines are skipped. Every
// error is a UsageError naming the line.
std::vector<federation::v1::CriterionSelfScore> ParseSelfAssessmentCsv(absl::string_view text);

// A SelfAssessmentSheet in protobuf JSON (--json-sheet); UsageError when it
// does not parse.
federation::v1::SelfAssessmentSheet ParseSelfAssessmentJson(absl::string_view text);

}  // namespace fedctl
