// One logger for the whole suite: spdlog, one line per event, key=value
// fields after a fixed prefix (time, level, service) so that lines grep and
// parse the same way in every service and tool.
#pragma once

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

}  // namespace fed
