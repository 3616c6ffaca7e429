#include "services/common/topology.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace fed {
namespace {

// Initialised before main, as an ABSL_FLAG default is: the table must already
// be there.
const std::string kAddressBeforeMain = DefaultAddress("aggregator");

TEST(TopologyTest, ListsEverySuiteServiceOnce) {
  std::set<std::string> names;
  for (const ServiceEndpoint& service : Services()) {
    EXPECT_TRUE(names.insert(std::string(service.name)).second) << service.name;
  }
  EXPECT_EQ(names, (std::set<std::string>{"registry", "reporting", "aggregator", "competition",
                                          "emulation", "ranking", "dashboard"}));
}

TEST(TopologyTest, GivesEachServiceItsOwnPort) {
  std::set<int> ports;
  for (const ServiceEndpoint& service : Services()) {
    EXPECT_GT(service.port, 0) << service.name;
    EXPECT_LE(service.port, 65535) << service.name;
    EXPECT_TRUE(ports.insert(service.port).second) << service.name << " " << service.port;
  }
}

TEST(TopologyTest, KnowsWhichServicesSpeakHttp) {
  for (const ServiceEndpoint& service : Services()) {
    EXPECT_EQ(service.kind == ServiceKind::kHttp, service.name == "dashboard") << service.name;
  }
}

TEST(TopologyTest, DefaultAddressIsLoopbackAndDefaultPort) {
  for (const ServiceEndpoint& service : Services()) {
    EXPECT_EQ(DefaultPort(service.name), service.port);
    EXPECT_EQ(DefaultAddress(service.name), "127.0.0.1:" + std::to_string(service.port));
  }
  EXPECT_EQ(DefaultAddress("registry"), "127.0.0.1:50051");
  EXPECT_EQ(kAddressBeforeMain, DefaultAddress("aggregator"));
}

TEST(TopologyDeathTest, UnknownNameIsABug) {
  EXPECT_DEATH(DefaultPort("registy"), "no service \"registy\" in deploy/topology.txt");
}

}  // namespace
}  // namespace fed
