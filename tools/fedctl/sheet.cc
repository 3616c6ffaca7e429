#include "tools/fedctl/sheet.h"

#include <ostream>

#include "tools/fedctl/output.h"

namespace fedctl {

OutputFormat FormatOf(const Invocation& invocation) {
  const bool csv = invocation.Switch("csv");
  if (csv && invocation.json()) throw UsageError("--json and --csv cannot be combined");
  if (csv) return OutputFormat::kCsv;
  return invocation.json() ? OutputFormat::kJson : OutputFormat::kReadable;
}

CommandSpec& WithCsvOption(CommandSpec& command) {
  return command.Switch("csv", "print CSV (RFC 4180, UTF-8, header row) instead of a table");
}

std::string CsvField(absl::string_view text) {
  if (text.find_first_of(",\"\r\n") == absl::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

Sheet::Sheet(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void Sheet::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

void Sheet::PrintTable(std::ostream& out) const {
  Table table(headers_);
  for (const auto& row : rows_) table.AddRow(row);
  table.Print(out);
}

void Sheet::PrintCsv(std::ostream& out) const {
  auto record = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out << ',';
      out << CsvField(cells[i]);
    }
    out << "\r\n";
  };
  record(headers_);
  for (const auto& row : rows_) record(row);
}

}  // namespace fedctl
