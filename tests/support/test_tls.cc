#include "tests/support/test_tls.h"

#include <sys/stat.h>

#include <cstdlib>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/topology.h"

namespace fedtest {
namespace {

bool Exists(const std::string& path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0;
}

std::vector<std::string> TestNames() {
  std::vector<std::string> names;
  for (const fed::ServiceEndpoint& service : fed::Services()) {
    names.emplace_back(service.name);
  }
  names.push_back("operator");
  names.push_back("test");
  // Two provincial systems' certificates (their identity: auth.h).
  names.push_back("province-14");
  names.push_back("province-20");
  return names;
}

}  // namespace

void MakeCertificates(const std::string& dir, const std::vector<std::string>& names) {
  const std::string command = absl::StrCat("'", FEDERATION_SOURCE_DIR, "/tools/tls-certs' '", dir,
                                           "' ", absl::StrJoin(names, " "));
  if (std::system(command.c_str()) != 0) {
    throw std::runtime_error(absl::StrCat("could not make test certificates: ", command));
  }
}

std::string TestTlsDir() {
  static const std::string* dir = [] {
    const char* env = std::getenv("FED_TEST_TLS_DIR");
    auto* dir = new std::string(env != nullptr && *env != '\0'
                                    ? std::string(env)
                                    : absl::StrCat(FEDERATION_BINARY_DIR, "/test-tls"));
    // Only a stat per file when they are there (hundreds of test processes
    // share them); tools/tls-certs serialises the processes that make them.
    bool complete = Exists(*dir + "/ca.crt");
    for (const std::string& name : TestNames()) {
      complete = complete && Exists(absl::StrCat(*dir, "/", name, ".crt")) &&
                 Exists(absl::StrCat(*dir, "/", name, ".key"));
    }
    if (!complete) MakeCertificates(*dir, TestNames());
    return dir;
  }();
  return *dir;
}

fed::Transport TestTransport(const std::string& name) {
  fed::TransportOptions options;
  options.tls_dir = TestTlsDir();
  options.name = name;
  absl::StatusOr<fed::Transport> transport = fed::LoadTransport(options);
  if (!transport.ok()) throw std::runtime_error(std::string(transport.status().message()));
  return *std::move(transport);
}

void UseTestTransport() {
  static const bool done = [] {
    fed::SetTransport(TestTransport());
    return true;
  }();
  (void)done;
}

std::vector<std::string> TlsArgs() { return {"--tls_dir=" + TestTlsDir()}; }

}  // namespace fedtest
