// TLS for the tests: every test process speaks TLS with certificates of the
// test run's own authority, made once (tools/tls-certs) and shared by every
// test process, in-process servers and service processes alike.
#pragma once

#include <string>
#include <vector>

#include "services/common/transport.h"

namespace fedtest {

// The test run's TLS directory: FED_TEST_TLS_DIR (`tools/dev test` makes it
// afresh for each run), else test-tls/ in the build tree. Holds ca.crt and a
// certificate for each service of deploy/topology.txt, "operator", "test"
// and the provincial systems "province-14" and "province-20"; made on first
// use if missing.
std::string TestTlsDir();

// The transport with certificate `name` of TestTlsDir().
fed::Transport TestTransport(const std::string& name = "test");

// Makes TestTransport() the process's transport (fed::SetTransport). Every
// gtest binary linking fedtest does this before its first test (see
// test_tls_environment.cc); other programs call it themselves.
void UseTestTransport();

// The flags that give a service process the test certificates.
std::vector<std::string> TlsArgs();

// Runs tools/tls-certs: an authority in `dir` and a certificate for each of
// `names` (an authority that is not the test run's, for refusal tests).
void MakeCertificates(const std::string& dir, const std::vector<std::string>& names);

}  // namespace fedtest
