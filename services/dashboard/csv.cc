#include "services/dashboard/csv.h"

namespace dashboard {

std::string CsvCell(absl::string_view text) {
  std::string value;
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                        text[0] == '\t' || text[0] == '\r')) {
    // A plain number such as -3 is safe and must stay a number.
    bool numeric = text.size() > 1 && text[0] == '-';
    for (size_t i = 1; numeric && i < text.size(); ++i) {
      numeric = (text[i] >= '0' && text[i] <= '9') || text[i] == '.';
    }
    if (!numeric) value.push_back('\'');
  }
  value.append(text.data(), text.size());
  bool quote = value.find_first_of(",\"\r\n") != std::string::npos;
  if (!quote) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string CsvRow(const std::vector<std::string>& cells) {
  std::string row;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) row.push_back(',');
    row += CsvCell(cells[i]);
  }
  row += "\r\n";
  return row;
}

}  // namespace dashboard
