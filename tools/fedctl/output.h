// How fedctl shows results: aligned tables and "key: value" blocks for
// people, protobuf JSON for programs, and one format for errors.
#pragma once

#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace fedctl {

// Columns the width of a terminal: counted in Unicode code points, because
// Vietnamese names are multi-byte UTF-8 but (in NFC) one column per letter.
// Combining marks take no column, so NFD text lines up too.
size_t DisplayWidth(absl::string_view text);

// A table printed with columns padded to their widest cell.
class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  void AddRow(std::vector<std::string> cells);
  size_t size() const { return rows_.size(); }
  // Header, a rule, then the rows; no trailing spaces.
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// "1 province", "34 provinces".
std::string CountOf(int64_t count, absl::string_view singular, absl::string_view plural);

// A block of "label: value" lines with the values aligned; empty values are
// left out so that a sparse record stays short.
using Fields = std::vector<std::pair<std::string, std::string>>;
void PrintFields(std::ostream& out, const Fields& fields, absl::string_view indent = "");

// The protobuf JSON mapping, pretty-printed, with the proto's snake_case names.
void PrintJson(std::ostream& out, const google::protobuf::Message& message);

// "2025-07-01 09:30:00" in Vietnam time (UTC+7), the calendar users think in;
// "" for an unset timestamp.
std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp);

// Prints "error: CODE: message" and, for INVALID_ARGUMENT, one line per field
// violation, to stderr. Returns 1, fedctl's exit code for a failed RPC.
int ReportRpcError(const absl::Status& status);
// Same, with what fedctl was doing: "error: creating 14: INVALID_ARGUMENT: ...".
int ReportRpcError(absl::string_view doing, const absl::Status& status);

}  // namespace fedctl
