// Real service processes for fault tests: start a built server binary, kill
// it hard, start it again.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

namespace fedtest {

// A loopback port that was free a moment ago.
int FreePort();

// The body of GET http://127.0.0.1:<port><path> over plain HTTP/1.0 (a
// service's /metrics); "" when nothing answers.
std::string HttpGet(int port, const std::string& path);

// The value of one series of Prometheus text (`series`: the name with its
// labels as printed, e.g. `fed_rpc_total{code="OK",...}`), or -1.
double MetricValue(const std::string& text, const std::string& series);

// The build tree (FED_TEST_BUILD_DIR, set by `tools/dev test`).
std::string BuildDir();

class ServiceProcess {
 public:
  // `binary` relative to the build tree, e.g. "services/registry/registry_server".
  ServiceProcess(std::string binary, std::vector<std::string> args, std::string log_path);
  ~ServiceProcess();  // SIGTERM, then SIGKILL

  void Start();
  void Kill(int signal);  // and reap it
  // Polls grpc.health.v1 on `address` until SERVING or `seconds` pass.
  bool WaitHealthy(const std::string& address, int seconds) const;
  bool Running() const;
  std::string LogTail() const;

 private:
  std::string binary_;
  std::vector<std::string> args_;
  std::string log_path_;
  pid_t pid_ = -1;
};

}  // namespace fedtest
