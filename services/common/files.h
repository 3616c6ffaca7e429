// Reading the small files a process is configured with (certificates, keys,
// a token, the revocation list), one way everywhere.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace fed {

// The whole of `path`; FAILED_PRECONDITION naming the path when it cannot
// be read.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);

}  // namespace fed
