// Collects every problem with a request so that the caller hears about all of
// them at once, each next to the field it concerns.
#pragma once

#include <string>
#include <string_view>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "federation/v1/common.pb.h"

namespace fed {

class Violations {
 public:
  void Add(absl::string_view field, absl::string_view description);
  bool empty() const { return errors_.violations_size() == 0; }
  const federation::v1::ValidationErrors& errors() const { return errors_; }

  // OK when nothing was added; otherwise INVALID_ARGUMENT whose message lists
  // every "field: problem" and whose payload is the ValidationErrors message.
  absl::Status ToStatus() const;

 private:
  federation::v1::ValidationErrors errors_;
};

// Decodes the ValidationErrors carried by a status, if any.
federation::v1::ValidationErrors ViolationsOf(const absl::Status& status);

// Common checks, each adding a violation to `v` when it fails.
void CheckRequired(Violations& v, absl::string_view field, absl::string_view value);
void CheckMaxLength(Violations& v, absl::string_view field, absl::string_view value,
                    size_t max_chars);
// Valid UTF-8 without control characters.
void CheckText(Violations& v, absl::string_view field, absl::string_view value, size_t max_chars,
               bool required);
// Organisation codes: "14", "VUSTA", "14-HKT" (A-Z, 0-9, '.', '-', '_'; 2-32 chars).
bool IsValidOrganizationCode(absl::string_view code);
void CheckOrganizationCode(Violations& v, absl::string_view field, absl::string_view code,
                           bool required);

// Number of Unicode code points in valid UTF-8, or -1 when not valid UTF-8.
long Utf8Length(absl::string_view s);

}  // namespace fed
