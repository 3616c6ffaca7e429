// How the suite names an enum value to people: without the prefix every
// value of its enum shares (REPORT_STATE_DRAFT is "DRAFT", or "draft"), the
// same in error messages, the dashboard and fedctl.
#pragma once

#include <string>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/generated_enum_reflection.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace fed {

// The value's name without its enum's prefix, which is taken from the
// enum's first value (every enum of the suite starts with X_UNSPECIFIED);
// "" for that first value and for a number that is none of the enum's.
template <typename Enum>
std::string EnumWord(Enum value) {
  const google::protobuf::EnumDescriptor* type = google::protobuf::GetEnumDescriptor<Enum>();
  const google::protobuf::EnumValueDescriptor* named = type->FindValueByNumber(value);
  if (named == nullptr || named->index() == 0) return "";
  absl::string_view prefix = type->value(0)->name();
  if (!absl::ConsumeSuffix(&prefix, "UNSPECIFIED")) prefix = "";
  absl::string_view word = named->name();
  absl::ConsumePrefix(&word, prefix);
  return std::string(word);
}

// The same in lower case: "draft", "provincial_tech".
template <typename Enum>
std::string EnumWordLower(Enum value) {
  return absl::AsciiStrToLower(EnumWord(value));
}

}  // namespace fed
