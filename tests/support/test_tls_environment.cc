// Compiled into every binary that links fedtest (an INTERFACE source of the
// library, so that no test can leave it out): before the first test, the
// process's transport becomes TLS with the test run's certificates, as a
// service's would be, and in-process services call others with test service
// tokens. A test that wants another transport sets its own.
#include <gtest/gtest.h>

#include "tests/support/test_env.h"
#include "tests/support/test_tls.h"

namespace {

class TestTransportEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    fedtest::UseTestTransport();
    fedtest::UseTestServiceTokens();
  }
};

[[maybe_unused]] ::testing::Environment* const kTestTransport =
    ::testing::AddGlobalTestEnvironment(new TestTransportEnvironment);

}  // namespace
