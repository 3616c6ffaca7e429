#include "services/common/unary.h"

#include "services/common/metrics.h"

namespace fed {
void LogCall(absl::string_view method, const Principal* principal, const absl::Status& status,
             absl::Duration elapsed) {
  metrics::RecordCall(method, status.code(), elapsed);
  const double ms = absl::ToDoubleMilliseconds(elapsed);
  const absl::string_view subject = principal ? absl::string_view(principal->subject) : "-";
  const std::string code = absl::StatusCodeToString(status.code());
  if (status.ok()) {
    spdlog::debug("event=rpc method={} subject={} code={} ms={:.2f}", method, LogQuoted(subject),
                  code, ms);
  } else {
    spdlog::info("event=rpc method={} subject={} code={} ms={:.2f} error={}", method,
                 LogQuoted(subject), code, ms, LogQuoted(status.message()));
  }
}

}  // namespace fed
