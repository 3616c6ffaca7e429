#include "services/common/log.h"

#include <string>
#include "absl/strings/string_view.h"

#include <spdlog/sinks/stdout_sinks.h>

namespace fed {

void InitLogging(absl::string_view service_name) {
  auto logger = spdlog::stderr_logger_mt(std::string(service_name));
  logger->set_pattern("ts=%Y-%m-%dT%H:%M:%S.%e%z level=%l service=%n %v");
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace fed
