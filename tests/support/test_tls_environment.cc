// Compiled into every binary that links fedtest (an INTERFACE source of the
// library, so that no test can leave it out): before the first test, the
// process's transport becomes TLS with the test run's certificates, as a
// service's would be. A test that wants another transport sets its own.
#include <gtest/gtest.h>

#include "tests/support/test_tls.h"

namespace {

class TestTransportEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { fedtest::UseTestTransport(); }
};

[[maybe_unused]] ::testing::Environment* const kTestTransport =
    ::testing::AddGlobalTestEnvironment(new TestTransportEnvironment);

}  // namespace
