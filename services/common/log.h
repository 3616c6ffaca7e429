// One logger for the whole suite: spdlog, one line per event, key=value
// fields after a fixed prefix (time, level, service) so that lines grep and
// parse the same way in every service and tool.
#pragma once

#include <string>
#include <string_view>
#include "absl/strings/string_view.h"

#include <spdlog/spdlog.h>

// Lets log lines take absl::string_view, which Debian's Abseil (built as
// C++14) keeps distinct from std::string_view.
template <>
struct fmt::formatter<absl::string_view> : fmt::formatter<fmt::string_view> {
  template <typename Context>
  auto format(absl::string_view text, Context& ctx) const {
    return fmt::formatter<fmt::string_view>::format(fmt::string_view(text.data(), text.size()),
                                                    ctx);
  }
};

namespace fed {

// Call once from main(); every later spdlog::info/warn/error line carries
// "service=<name>".
void InitLogging(absl::string_view service_name);

// Every value that comes from outside the code (names, codes, subjects,
// report fields, paths, error messages, which often quote input) goes into a
// line as LogQuoted(value): `error={}`, never `error=\"{}\"` or a bare `{}`.
// The result is the value in double quotes with '\\', '"', control and
// invisible direction characters and bytes that are not UTF-8 escaped
// (\n, \t, \xHH, \uHHHH), so a value can neither end its field nor its
// line and forge another. Vietnamese text stays readable. Values longer than
// kLogValueMaxBytes are cut, saying how much was left out. Tokens and
// cookies are never logged, quoted or not.
inline constexpr size_t kLogValueMaxBytes = 2048;
std::string LogQuoted(absl::string_view value);

}  // namespace fed
