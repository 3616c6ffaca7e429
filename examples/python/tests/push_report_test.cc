// The provincial example client (examples/python/push_report.py) run as
// provincial IT staff run it, against a real registry and aggregator over
// TLS: what it prints and its exit status are what they rely on.
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "tests/integration/suite_fixture.h"

namespace fedtest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct ClientRun {
  int exit_status = -1;
  std::string output;
};

std::string Quoted(const std::string& text) {
  return absl::StrCat("'", absl::StrReplaceAll(text, {{"'", "'\\''"}}), "'");
}

class PushReportExampleTest : public SuiteTest {
 protected:
  void SetUp() override {
    SuiteTest::SetUp();
    // The demo's province certificates, signed by the test run's authority.
    MakeCertificates(TestTlsDir(), {"province-01", "province-14"});
  }

  // push_report.py with `certificate`'s files, as its usage line says.
  ClientRun Push(const std::string& report_path, const std::string& certificate,
                 const std::string& target, const std::string& token_file = "") {
    const std::string tls = TestTlsDir();
    std::vector<std::string> argv = {FED_PYTHON, absl::StrCat(EXAMPLE_DIR, "/push_report.py"),
                                     "--target", target,
                                     "--ca",     tls + "/ca.crt",
                                     "--cert",   absl::StrCat(tls, "/", certificate, ".crt"),
                                     "--key",    absl::StrCat(tls, "/", certificate, ".key"),
                                     report_path};
    if (!token_file.empty()) argv.insert(argv.end() - 1, {"--token_file", token_file});
    std::string command = absl::StrCat("PYTHONPATH=", Quoted(PY_STUBS_DIR));
    for (const std::string& arg : argv) absl::StrAppend(&command, " ", Quoted(arg));
    absl::StrAppend(&command, " 2>&1");
    ClientRun run;
    FILE* pipe = popen(command.c_str(), "r");
    EXPECT_NE(pipe, nullptr) << command;
    if (pipe == nullptr) return run;
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) run.output.append(buffer, n);
    const int status = pclose(pipe);
    run.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
  }
  ClientRun Push(const std::string& report_path, const std::string& certificate) {
    return Push(report_path, certificate, aggregator_address_);
  }

  std::string Sample() const { return absl::StrCat(EXAMPLE_DIR, "/report-01-2026H1.json"); }

  // A report file of the test's own.
  std::string WriteReport(const std::string& name, const std::string& json) {
    const std::string path = absl::StrCat(dir_, "/", name);
    std::ofstream(path) << json;
    return path;
  }

  grpc::Status GetReport(const std::string& code, v1::Report* report) {
    auto stub = v1::AggregatorService::NewStub(fed::OpenChannel(aggregator_address_));
    v1::GetReportRequest request;
    request.set_organization_code(code);
    request.set_period("2026H1");
    return stub->GetReport(As(v1::ROLE_VIEWER, "VUSTA").get(), request, report);
  }
};

TEST_F(PushReportExampleTest, StoresTheSampleReportPushedWithTheProvinceCertificate) {
  ClientRun run = Push(Sample(), "province-01");
  EXPECT_EQ(run.exit_status, 0) << run.output;
  EXPECT_THAT(run.output,
              HasSubstr("STORED: report of 01 for 2026H1, revision 1 (ref 01/2026H1/1)"));
  EXPECT_THAT(run.output, HasSubstr("the national office holds revision 1, SUBMITTED"));

  v1::Report stored;
  ASSERT_TRUE(GetReport("01", &stored).ok());
  EXPECT_EQ(stored.revision(), 1);
  EXPECT_EQ(stored.values_size(), 10);

  // Pushing again after a lost acknowledgement changes nothing.
  ClientRun again = Push(Sample(), "province-01");
  EXPECT_EQ(again.exit_status, 0) << again.output;
  EXPECT_THAT(again.output, HasSubstr("DUPLICATE: report of 01 for 2026H1, revision 1"));
}

TEST_F(PushReportExampleTest, RefusesTheCertificatePushingForAnotherProvince) {
  const std::string other = WriteReport("report-14.json", R"({
    "organization_code": "14", "period": "2026H1", "revision": 1,
    "values": [{"code": "workshops", "count": 3}]})");
  ClientRun run = Push(other, "province-01");
  EXPECT_EQ(run.exit_status, 1) << run.output;
  EXPECT_THAT(run.output, HasSubstr("DENIED: report of 14 for 2026H1, revision 1"));
  EXPECT_THAT(run.output, HasSubstr("  report.organization_code: "));
  EXPECT_THAT(run.output, Not(HasSubstr("national office holds")));

  v1::Report stored;
  EXPECT_EQ(GetReport("14", &stored).error_code(), grpc::StatusCode::NOT_FOUND);
  // Province 14's own certificate may push it.
  EXPECT_EQ(Push(other, "province-14").exit_status, 0);
}

TEST_F(PushReportExampleTest, RefusesATokenOfAnotherProvinceOnTheCertificate) {
  const std::string token_file = absl::StrCat(dir_, "/token-14");
  std::ofstream(token_file) << TestToken(v1::ROLE_PROVINCE_REPORTER, "14", "system-14");
  ClientRun run = Push(Sample(), "province-01", aggregator_address_, token_file);
  EXPECT_EQ(run.exit_status, 1) << run.output;
  EXPECT_THAT(run.output, HasSubstr("stream ended: PERMISSION_DENIED: "));

  v1::Report stored;
  EXPECT_EQ(GetReport("01", &stored).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(PushReportExampleTest, PrintsEveryReasonOfAnInvalidReport) {
  const std::string invalid = WriteReport("invalid.json", R"({
    "organization_code": "01", "period": "2026H1", "revision": 1,
    "values": [{"code": "members", "count": 10}, {"code": "intellectuals", "count": 20}],
    "narrative": {"recommendations": [{"number": 2, "text": "x"}]}})");
  ClientRun run = Push(invalid, "province-01");
  EXPECT_EQ(run.exit_status, 1) << run.output;
  EXPECT_THAT(run.output, HasSubstr("INVALID: report of 01 for 2026H1, revision 1"));
  EXPECT_THAT(run.output, HasSubstr("  values[1].count: intellectuals (20) must not exceed"));
  EXPECT_THAT(run.output, HasSubstr("  narrative.recommendations[0].number: must be 1"));
}

TEST_F(PushReportExampleTest, SaysPushAgainLaterWhenTheAggregatorCannotBeReached) {
  ClientRun run = Push(Sample(), "province-01", absl::StrCat("127.0.0.1:", FreePort()));
  EXPECT_EQ(run.exit_status, 2) << run.output;
  EXPECT_THAT(run.output, HasSubstr("stream ended: UNAVAILABLE"));
}

}  // namespace
}  // namespace fedtest
