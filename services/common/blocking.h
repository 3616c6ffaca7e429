// Whether the current thread may block (on PostgreSQL or another service).
// Handlers served memory-first (fed::Blocking::kMemoryFirst, unary.h) are
// tried on gRPC's own threads, where blocking would stall every call; code
// that would block there returns WouldBlockError() instead, and the call is
// run again on the worker pool.
#pragma once

#include "absl/status/status.h"

namespace fed {

// False while a memory-first handler is being tried on gRPC's thread.
bool BlockingAllowed();
// OK when blocking is allowed, else WouldBlockError(): the first line of
// anything that blocks.
absl::Status CheckMayBlock();
// What code that needs to block returns when BlockingAllowed() is false.
absl::Status WouldBlockError();
bool IsWouldBlock(const absl::Status& status);

// Marks the current thread as not allowed to block while it lives.
class NonBlockingScope {
 public:
  NonBlockingScope();
  ~NonBlockingScope();
  NonBlockingScope(const NonBlockingScope&) = delete;
  NonBlockingScope& operator=(const NonBlockingScope&) = delete;

 private:
  bool previous_;
};

}  // namespace fed
