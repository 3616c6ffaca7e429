#include "services/common/unary.h"

#include "absl/strings/cord.h"

namespace fed {
namespace {

thread_local bool non_blocking = false;

// Carried by WouldBlockError so that it is told apart from a real UNAVAILABLE.
constexpr absl::string_view kWouldBlockPayload = "fed.would_block";

}  // namespace

bool BlockingAllowed() { return !non_blocking; }

absl::Status WouldBlockError() {
  absl::Status status = absl::UnavailableError("needs to block; retry on the worker pool");
  status.SetPayload(kWouldBlockPayload, absl::Cord("1"));
  return status;
}

bool IsWouldBlock(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable &&
         status.GetPayload(kWouldBlockPayload).has_value();
}

namespace internal {
NonBlockingScope::NonBlockingScope() : previous_(non_blocking) { non_blocking = true; }
NonBlockingScope::~NonBlockingScope() { non_blocking = previous_; }
}  // namespace internal

void LogCall(absl::string_view method, const Principal* principal, const absl::Status& status,
             absl::Duration elapsed) {
  const double ms = absl::ToDoubleMilliseconds(elapsed);
  const absl::string_view subject = principal ? absl::string_view(principal->subject) : "-";
  const std::string code = absl::StatusCodeToString(status.code());
  if (status.ok()) {
    spdlog::debug("event=rpc method={} subject={} code={} ms={:.2f}", method, subject, code, ms);
  } else {
    spdlog::info("event=rpc method={} subject={} code={} ms={:.2f} error=\"{}\"", method, subject,
                 code, ms, status.message());
  }
}

}  // namespace fed
