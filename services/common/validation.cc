#include "services/common/validation.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/status.h"

namespace fed {

void Violations::Add(absl::string_view field, absl::string_view description) {
  auto* violation = errors_.add_violations();
  violation->set_field(std::string(field));
  violation->set_description(std::string(description));
}

absl::Status Violations::ToStatus() const {
  if (empty()) return absl::OkStatus();
  std::vector<std::string> parts;
  for (const auto& violation : errors_.violations()) {
    parts.push_back(absl::StrCat(violation.field(), ": ", violation.description()));
  }
  absl::Status status = absl::InvalidArgumentError(
      absl::StrCat(parts.size() == 1 ? "1 problem: " : absl::StrCat(parts.size(), " problems: "),
                   absl::StrJoin(parts, "; ")));
  status.SetPayload(kValidationErrorsUrl, absl::Cord(errors_.SerializeAsString()));
  return status;
}

federation::v1::ValidationErrors ViolationsOf(const absl::Status& status) {
  federation::v1::ValidationErrors errors;
  if (auto payload = status.GetPayload(kValidationErrorsUrl); payload.has_value()) {
    errors.ParseFromString(std::string(*payload));
  }
  return errors;
}

long Utf8Length(absl::string_view s) {
  long count = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    if (len == 0 || i + len > s.size()) return -1;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return -1;
    }
    // Reject overlong encodings of ASCII and surrogate code points.
    if (len == 2 && c < 0xC2) return -1;
    if (len == 3 && c == 0xED && static_cast<unsigned char>(s[i + 1]) >= 0xA0) return -1;
    if (len == 4 && c > 0xF4) return -1;
    i += len;
    ++count;
  }
  return count;
}

void CheckRequired(Violations& v, absl::string_view field, absl::string_view value) {
  if (value.empty()) v.Add(field, "is required");
}

void CheckMaxLength(Violations& v, absl::string_view field, absl::string_view value,
                    size_t max_chars) {
  long length = Utf8Length(value);
  if (length > static_cast<long>(max_chars)) {
    v.Add(field, absl::StrCat("is too long (", length, " characters, at most ", max_chars, ")"));
  }
}

void CheckText(Violations& v, absl::string_view field, absl::string_view value, size_t max_chars,
               bool required) {
  if (value.empty()) {
    if (required) v.Add(field, "is required");
    return;
  }
  long length = Utf8Length(value);
  if (length < 0) {
    v.Add(field, "is not valid UTF-8");
    return;
  }
  for (unsigned char c : value) {
    if (c < 0x20 && c != '\n' && c != '\t') {
      v.Add(field, "contains control characters");
      return;
    }
  }
  if (value.find_first_not_of(" \t\n") == absl::string_view::npos) {
    v.Add(field, "must not be blank");
    return;
  }
  CheckMaxLength(v, field, value, max_chars);
}

bool IsValidOrganizationCode(absl::string_view code) {
  if (code.size() < 2 || code.size() > 32) return false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    bool alnum = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    bool separator = c == '.' || c == '-' || c == '_';
    if (!alnum && !(separator && i > 0 && i + 1 < code.size())) return false;
  }
  return true;
}

void CheckOrganizationCode(Violations& v, absl::string_view field, absl::string_view code,
                           bool required) {
  if (code.empty()) {
    if (required) v.Add(field, "is required");
    return;
  }
  if (!IsValidOrganizationCode(code)) {
    v.Add(field, absl::StrCat("\"", code.substr(0, 40),
                              "\" is not a valid code (2-32 of A-Z, 0-9, '.', '-', '_')"));
  }
}

}  // namespace fed
