#include "tools/fedctl/output.h"

#include <algorithm>
#include <iostream>
#include <sstream>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/common/validation.h"

namespace fedctl {
namespace {

// Decodes the code point starting at text[i] and advances i; invalid bytes
// count as one code point each so that broken text still lines up roughly.
char32_t NextCodePoint(absl::string_view text, size_t& i) {
  unsigned char lead = static_cast<unsigned char>(text[i]);
  size_t length = lead < 0x80           ? 1
                  : (lead >> 5) == 0x6  ? 2
                  : (lead >> 4) == 0xE  ? 3
                  : (lead >> 3) == 0x1E ? 4
                                        : 1;
  if (i + length > text.size()) length = 1;
  char32_t code_point = length == 1 ? lead : lead & (0xFF >> (length + 1));
  for (size_t k = 1; k < length; ++k) {
    code_point = (code_point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  }
  i += length;
  return code_point;
}

bool IsCombiningMark(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
         (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF);
}

void PadTo(std::ostream& out, absl::string_view text, size_t width) {
  out << text;
  for (size_t w = DisplayWidth(text); w < width; ++w) out << ' ';
}

// Pads every cell but the last, and drops the padding that empty trailing
// cells would leave at the end of the line.
void PrintRow(std::ostream& out, const std::vector<std::string>& cells,
              const std::vector<size_t>& widths) {
  std::ostringstream line;
  for (size_t c = 0; c < cells.size(); ++c) {
    if (c + 1 == cells.size()) {
      line << cells[c];
    } else {
      PadTo(line, cells[c], widths[c]);
      line << "  ";
    }
  }
  std::string text = line.str();
  text.erase(text.find_last_not_of(' ') + 1);
  out << text << "\n";
}

}  // namespace

size_t DisplayWidth(absl::string_view text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    if (!IsCombiningMark(NextCodePoint(text, i))) ++width;
  }
  return width;
}

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

void Table::Print(std::ostream& out) const {
  std::vector<size_t> widths(headers_.size(), 0);
  for (size_t c = 0; c < headers_.size(); ++c) widths[c] = DisplayWidth(headers_[c]);
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  PrintRow(out, headers_, widths);
  std::vector<std::string> rule;
  for (size_t width : widths) rule.push_back(std::string(width, '-'));
  PrintRow(out, rule, widths);
  for (const auto& row : rows_) PrintRow(out, row, widths);
}

std::string CountOf(int64_t count, absl::string_view singular, absl::string_view plural) {
  return absl::StrCat(count, " ", count == 1 ? singular : plural);
}

void PrintFields(std::ostream& out, const Fields& fields, absl::string_view indent) {
  size_t width = 0;
  for (const auto& [label, value] : fields) {
    if (!value.empty()) width = std::max(width, DisplayWidth(label));
  }
  for (const auto& [label, value] : fields) {
    if (value.empty()) continue;
    out << indent;
    PadTo(out, absl::StrCat(label, ":"), width + 2);
    out << value << "\n";
  }
}

void PrintJson(std::ostream& out, const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    // Only possible for messages with unresolvable Any fields, which ours lack.
    std::cerr << "error: cannot print JSON: " << status.ToString() << "\n";
    return;
  }
  out << json;
  if (json.empty() || json.back() != '\n') out << "\n";
}

std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "";
  absl::Time time = absl::FromUnixSeconds(timestamp.seconds());
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", time, absl::FixedTimeZone(7 * 3600));
}

int ReportRpcError(const absl::Status& status) { return ReportRpcError("", status); }

int ReportRpcError(absl::string_view doing, const absl::Status& status) {
  std::cerr << "error: ";
  if (!doing.empty()) std::cerr << doing << ": ";
  std::cerr << absl::StatusCodeToString(status.code()) << ": " << status.message() << "\n";
  if (status.code() == absl::StatusCode::kInvalidArgument) {
    // Named, not iterated as a temporary: the loop would outlive it.
    const federation::v1::ValidationErrors errors = fed::ViolationsOf(status);
    for (const auto& violation : errors.violations()) {
      std::cerr << "  - " << violation.field() << ": " << violation.description() << "\n";
    }
  }
  return 1;
}

}  // namespace fedctl
