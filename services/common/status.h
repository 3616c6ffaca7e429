// absl::Status is the error type of every federation service; this file is
// the one place where it turns into a gRPC status (and back, for clients).
#pragma once

#include <string>

#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace fed {

// The status payload URL under which ValidationErrors travel inside an
// absl::Status; ToGrpcStatus moves it into the gRPC binary error details.
inline constexpr char kValidationErrorsUrl[] = "type.googleapis.com/federation.v1.ValidationErrors";

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace fed

// Debian's Abseil 20220623 has no status_macros.h; these are the two we use.
#define FED_CONCAT_INNER(a, b) a##b
#define FED_CONCAT(a, b) FED_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr)                                                     \
  do {                                                                            \
    if (absl::Status fed_status_ = (expr); !fed_status_.ok()) return fed_status_; \
  } while (0)

#define ASSIGN_OR_RETURN(lhs, expr) \
  FED_ASSIGN_OR_RETURN_IMPL(FED_CONCAT(fed_statusor_, __LINE__), lhs, expr)
#define FED_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
