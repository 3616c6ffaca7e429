// The suite with a province's reporting service in front: reports written
// and submitted through the reporting service travel by its forwarder.
#pragma once

#include <thread>

#include "services/common/catalog.h"
#include "services/common/client.h"
#include "tests/integration/suite_fixture.h"

namespace fedtest {

class ReportingSuiteTest : public SuiteTest {
 protected:
  void StartReporting() {
    reporting_ = Service(
        "reporting", reporting_address_,
        {"--registry_target=" + registry_address_, "--aggregator_target=" + aggregator_address_,
         // This suite's competition service (started or not), never
         // whatever listens on the default port.
         "--competition_target=" + competition_address_, "--forward_backoff_initial_ms=50",
         "--forward_backoff_max_ms=500", "--outbox_check_interval_ms=100"});
    reporting_->Start();
    ASSERT_TRUE(reporting_->WaitHealthy(reporting_address_, 30)) << reporting_->LogTail();
    reporting_stub_ = v1::ReportingService::NewStub(fed::OpenChannel(reporting_address_));
    aggregator_stub_ = v1::AggregatorService::NewStub(fed::OpenChannel(aggregator_address_));
  }

  // Fills every catalog indicator with a plausible value.
  static void FillValues(v1::Report* report, int workshops) {
    report->clear_values();
    for (const auto& indicator : fed::LatestCatalog().indicators()) {
      auto* v = report->add_values();
      v->set_code(indicator.code());
      if (indicator.type() == v1::INDICATOR_TYPE_BOOLEAN) {
        v->set_flag(indicator.code() == "has_website");
      } else if (indicator.code() == "members") {
        v->set_count(20000);
      } else if (indicator.code() == "intellectuals") {
        v->set_count(2000);
      } else if (indicator.code() == "workshops") {
        v->set_count(workshops);
      } else {
        v->set_count(1);
      }
    }
  }

  v1::Report SubmitFromDraft(const std::string& org, const std::string& period, int workshops) {
    auto reporter = [&] { return As(v1::ROLE_PROVINCE_REPORTER, org); };
    v1::CreateDraftRequest create;
    create.set_organization_code(org);
    create.set_period(period);
    create.set_prefill(true);
    v1::Report draft;
    grpc::Status status = reporting_stub_->CreateDraft(reporter().get(), create, &draft);
    EXPECT_TRUE(status.ok()) << status.error_message();
    v1::SaveDraftRequest save;
    *save.mutable_report() = draft;
    FillValues(save.mutable_report(), workshops);
    save.mutable_report()->mutable_narrative()->set_achievements("Tổ chức hội thảo khoa học");
    status = reporting_stub_->SaveDraft(reporter().get(), save, &draft);
    EXPECT_TRUE(status.ok()) << status.error_message();
    v1::SubmitReportRequest submit;
    submit.set_organization_code(org);
    submit.set_period(period);
    v1::Report submitted;
    status = reporting_stub_->SubmitReport(reporter().get(), submit, &submitted);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return submitted;
  }

  // Waits until `done()` holds, for at most `seconds`.
  template <typename Done>
  bool Eventually(Done done, int seconds = 20) {
    const absl::Time end = absl::Now() + absl::Seconds(seconds);
    while (absl::Now() < end) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return done();
  }

  v1::ReportState AggregatorState(const std::string& org, const std::string& period,
                                  int* revision) {
    v1::GetReportRequest req;
    req.set_organization_code(org);
    req.set_period(period);
    v1::Report out;
    if (!aggregator_stub_->GetReport(As(v1::ROLE_NATIONAL_REVIEWER, "VUSTA").get(), req, &out)
             .ok()) {
      return v1::REPORT_STATE_UNSPECIFIED;
    }
    if (revision) *revision = out.revision();
    return out.state();
  }

  v1::ReportState ProvinceState(const std::string& org, const std::string& period, int revision) {
    v1::ListReportsRequest req;
    req.set_organization_code(org);
    req.set_period(period);
    v1::ListReportsResponse out;
    if (!reporting_stub_->ListReports(As(v1::ROLE_PROVINCE_REPORTER, org).get(), req, &out).ok()) {
      return v1::REPORT_STATE_UNSPECIFIED;
    }
    for (const auto& r : out.reports()) {
      if (r.revision() == revision) return r.state();
    }
    return v1::REPORT_STATE_UNSPECIFIED;
  }

  grpc::Status Review(bool accept, const std::string& org, const std::string& period, int revision,
                      const std::string& comment) {
    v1::ReviewRequest req;
    req.set_organization_code(org);
    req.set_period(period);
    req.set_revision(revision);
    req.set_comment(comment);
    v1::Report out;
    auto ctx = As(v1::ROLE_NATIONAL_REVIEWER, "VUSTA");
    return accept ? aggregator_stub_->AcceptReport(ctx.get(), req, &out)
                  : aggregator_stub_->ReturnReport(ctx.get(), req, &out);
  }

  std::unique_ptr<v1::ReportingService::Stub> reporting_stub_;
  std::unique_ptr<v1::AggregatorService::Stub> aggregator_stub_;
};

}  // namespace fedtest
