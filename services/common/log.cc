#include "services/common/log.h"

#include <algorithm>
#include <string>
#include "absl/strings/string_view.h"

#include <spdlog/sinks/stdout_sinks.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace fed {
namespace {

// The code point of the well-formed UTF-8 sequence at the start of `text`
// and its length, or length 0 when the first byte does not start one
// (overlong forms and surrogates included: they hide characters from checks).
struct Decoded {
  char32_t code_point = 0;
  size_t length = 0;
};

Decoded DecodeUtf8(absl::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return {lead, 1};
  size_t length;
  char32_t cp, min;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return {};
  }
  if (text.size() < length) return {};
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return {};
    cp = (cp << 6) | (byte(i) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
  return {cp, length};
}

// Characters a terminal or a log viewer does not show as themselves: C1
// controls (U+0085 is a line break to some readers), the line and paragraph
// separators, and the direction controls that reorder what is displayed.
bool Invisible(char32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
         (cp >= 0x200E && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

void AppendEscaped(std::string& out, absl::string_view text) {
  while (!text.empty()) {
    const Decoded d = DecodeUtf8(text);
    if (d.length == 0) {
      absl::StrAppendFormat(&out, "\\x%02X", static_cast<unsigned char>(text[0]));
      text.remove_prefix(1);
      continue;
    }
    const char32_t cp = d.code_point;
    if (cp == '\\' || cp == '"') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp < 0x20 || cp == 0x7F) {
      absl::StrAppendFormat(&out, "\\x%02X", static_cast<unsigned>(cp));
    } else if (Invisible(cp)) {
      absl::StrAppendFormat(&out, "\\u%04X", static_cast<unsigned>(cp));
    } else {
      out.append(text.data(), d.length);
    }
    text.remove_prefix(d.length);
  }
}

}  // namespace

std::string LogQuoted(absl::string_view value) {
  // Cut at a character boundary: a partial sequence would be escaped as bytes.
  size_t kept = std::min(value.size(), kLogValueMaxBytes);
  while (kept < value.size() && kept > 0 &&
         (static_cast<unsigned char>(value[kept]) & 0xC0) == 0x80) {
    --kept;
  }
  std::string out = "\"";
  AppendEscaped(out, value.substr(0, kept));
  if (kept < value.size()) absl::StrAppend(&out, "...[", value.size() - kept, " more bytes]");
  out += '"';
  return out;
}

void InitLogging(absl::string_view service_name) {
  auto logger = spdlog::stderr_logger_mt(std::string(service_name));
  logger->set_pattern("ts=%Y-%m-%dT%H:%M:%S.%e%z level=%l service=%n %v");
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace fed
