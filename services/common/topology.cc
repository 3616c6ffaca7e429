#include "services/common/topology.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace fed {

int DefaultPort(absl::string_view name) {
  for (const ServiceEndpoint& service : Services()) {
    if (service.name == name) return service.port;
  }
  // Called with literals, often before main (flag defaults): no logging yet.
  std::fprintf(stderr, "fed::DefaultPort: no service \"%.*s\" in deploy/topology.txt\n",
               static_cast<int>(name.size()), name.data());
  std::abort();
}

std::string DefaultAddress(absl::string_view name) {
  return absl::StrCat("127.0.0.1:", DefaultPort(name));
}

}  // namespace fed
