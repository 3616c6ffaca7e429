#include "services/common/status.h"

namespace fed {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl::StatusCode and grpc::StatusCode share their numbering (both follow
  // google.rpc.Code), so the cast is exact for every defined code.
  auto code = static_cast<grpc::StatusCode>(status.code());
  std::string message(status.message());
  auto details = status.GetPayload(kValidationErrorsUrl);
  if (details.has_value()) {
    return grpc::Status(code, message, std::string(*details));
  }
  return grpc::Status(code, message);
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  if (!status.error_details().empty()) {
    result.SetPayload(kValidationErrorsUrl, absl::Cord(status.error_details()));
  }
  return result;
}

}  // namespace fed
