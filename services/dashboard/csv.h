// CSV for downloads (RFC 4180, UTF-8 with a byte-order mark so that
// spreadsheet programs show Vietnamese correctly). Cells that a spreadsheet
// would run as a formula (=, +, -, @, tab, CR) are prefixed with a quote.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace dashboard {

std::string CsvCell(absl::string_view text);
std::string CsvRow(const std::vector<std::string>& cells);  // ends with CRLF
inline constexpr char kCsvBom[] = "\xEF\xBB\xBF";

}  // namespace dashboard
