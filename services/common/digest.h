// SHA-256 as lower-case hex: how the suite names content (migrations,
// report revisions, uploaded files and generated documents).
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace fed {

std::string Sha256Hex(absl::string_view bytes);

}  // namespace fed
