#include "services/common/blocking.h"

#include "absl/strings/cord.h"

namespace fed {
namespace {

thread_local bool non_blocking = false;

// Carried by WouldBlockError so that it is told apart from a real UNAVAILABLE.
constexpr absl::string_view kWouldBlockPayload = "fed.would_block";

}  // namespace

bool BlockingAllowed() { return !non_blocking; }

absl::Status CheckMayBlock() { return BlockingAllowed() ? absl::OkStatus() : WouldBlockError(); }

absl::Status WouldBlockError() {
  absl::Status status = absl::UnavailableError("needs to block; retry on the worker pool");
  status.SetPayload(kWouldBlockPayload, absl::Cord("1"));
  return status;
}

bool IsWouldBlock(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable &&
         status.GetPayload(kWouldBlockPayload).has_value();
}

NonBlockingScope::NonBlockingScope() : previous_(non_blocking) { non_blocking = true; }
NonBlockingScope::~NonBlockingScope() { non_blocking = previous_; }

}  // namespace fed
