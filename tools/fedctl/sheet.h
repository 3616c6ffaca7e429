// Results that are rows and columns (national figures, boards, series):
// printed as an aligned table for people, or as CSV for spreadsheets, which
// is how the national office exports.
#pragma once

#include <iosfwd>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "tools/fedctl/cli.h"
#include "tools/fedctl/output.h"

namespace fedctl {

// How a command prints its answer: the readable form, protobuf JSON
// (--json), or CSV (--csv, only on commands that declare it).
enum class OutputFormat { kReadable, kJson, kCsv };

// Throws UsageError when both --json and --csv are given.
OutputFormat FormatOf(const Invocation& invocation);

// Declares the --csv switch on a command.
CommandSpec& WithCsvOption(CommandSpec& command);

// One CSV field as RFC 4180 wants it: quoted (with inner quotes doubled)
// when it contains a comma, a quote, CR or LF; as is otherwise.
std::string CsvField(absl::string_view text);

class Sheet {
 public:
  explicit Sheet(std::vector<std::string> headers);
  // Short rows are padded with empty cells.
  void AddRow(std::vector<std::string> cells);
  size_t size() const { return rows_.size(); }
  const std::vector<std::string>& headers() const { return headers_; }
  const std::vector<std::vector<std::string>>& rows() const { return rows_; }

  // The aligned table of output.h.
  void PrintTable(std::ostream& out) const;
  // RFC 4180: a header row, then one record per row, every line ended by
  // CRLF; the text is UTF-8 as given (no byte-order mark).
  void PrintCsv(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// Prints `message` as JSON, the sheet `make_sheet()` builds as CSV, or the
// readable form `readable()` prints, as `format` says.
template <typename Readable, typename MakeSheet>
int Present(OutputFormat format, const google::protobuf::Message& message, Readable&& readable,
            MakeSheet&& make_sheet) {
  switch (format) {
    case OutputFormat::kJson:
      PrintJson(std::cout, message);
      break;
    case OutputFormat::kCsv:
      make_sheet().PrintCsv(std::cout);
      break;
    case OutputFormat::kReadable:
      readable();
      break;
  }
  return 0;
}

template <typename Readable, typename MakeSheet>
int Present(const Invocation& invocation, const google::protobuf::Message& message,
            Readable&& readable, MakeSheet&& make_sheet) {
  return Present(FormatOf(invocation), message, std::forward<Readable>(readable),
                 std::forward<MakeSheet>(make_sheet));
}

}  // namespace fedctl
