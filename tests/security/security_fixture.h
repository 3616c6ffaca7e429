// The suite attacked as a provincial account would: real service processes
// over loopback gRPC and a real PostgreSQL (fedtest::SuiteTest), with the
// tokens a province's staff, the national office and the suite's own
// services hold. Each test is one attack and asserts what a user would see.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "federation/v1/aggregator.grpc.pb.h"
#include "federation/v1/registry.grpc.pb.h"
#include "services/common/client.h"
#include "tests/integration/reporting_fixture.h"

namespace fedtest {

class SecurityTest : public ReportingSuiteTest {
 protected:
  void SetUp() override {
    ReportingSuiteTest::SetUp();
    if (HasFatalFailure()) return;
    aggregator_stub_ = v1::AggregatorService::NewStub(fed::OpenChannel(aggregator_address_));
    registry_stub_ = v1::RegistryService::NewStub(fed::OpenChannel(registry_address_));
  }

  // The accounts of the attacks.
  std::unique_ptr<grpc::ClientContext> Province(const std::string& code) const {
    return As(v1::ROLE_PROVINCE_REPORTER, code);
  }
  std::unique_ptr<grpc::ClientContext> Reviewer() const {
    return As(v1::ROLE_NATIONAL_REVIEWER, "VUSTA");
  }
  std::unique_ptr<grpc::ClientContext> Admin() const {
    return As(v1::ROLE_NATIONAL_ADMIN, "VUSTA");
  }

  // A token for exactly these claims (the attacks forge odd ones).
  std::unique_ptr<grpc::ClientContext> WithClaims(v1::Role role, const std::string& org) const {
    return fed::OutgoingContext(TestIssuer().SignClaims(ClaimsFor(role, org, "mallory")),
                                absl::Seconds(20));
  }

  static v1::Report MakeReport(const std::string& org, const std::string& period, int revision,
                               const std::vector<std::pair<std::string, int64_t>>& counts) {
    v1::Report report;
    report.set_organization_code(org);
    report.set_period(period);
    report.set_revision(revision);
    for (const auto& [code, count] : counts) {
      auto* value = report.add_values();
      value->set_code(code);
      value->set_count(count);
    }
    return report;
  }

  // Pushes `reports` on one stream as `ctx`'s holder, client_ref "ref-<i>",
  // and returns the acknowledgements by client_ref (refusals may come before
  // the stored ones). `status` gets the stream's end; without it, the
  // stream must end OK.
  std::map<std::string, v1::PushAck> Push(const std::vector<v1::Report>& reports,
                                          std::unique_ptr<grpc::ClientContext> ctx,
                                          grpc::Status* status = nullptr) {
    auto stream = aggregator_stub_->PushReports(ctx.get());
    for (size_t i = 0; i < reports.size(); ++i) {
      v1::PushedReport pushed;
      pushed.set_client_ref(absl::StrCat("ref-", i));
      *pushed.mutable_report() = reports[i];
      if (!stream->Write(pushed)) break;
    }
    stream->WritesDone();
    std::map<std::string, v1::PushAck> acks;
    v1::PushAck ack;
    while (stream->Read(&ack)) acks[ack.client_ref()] = ack;
    grpc::Status end = stream->Finish();
    if (status) {
      *status = end;  // the caller judges it
    } else {
      EXPECT_TRUE(end.ok()) << end.error_message();
    }
    return acks;
  }

  // One report pushed by its own province; its acknowledgement.
  v1::PushAck PushOwn(const v1::Report& report) {
    auto acks = Push({report}, Province(report.organization_code()));
    EXPECT_EQ(acks.size(), 1u);
    return acks.empty() ? v1::PushAck() : acks.begin()->second;
  }

  void Accept(const std::string& org, const std::string& period, int revision) {
    v1::ReviewRequest req;
    req.set_organization_code(org);
    req.set_period(period);
    req.set_revision(revision);
    v1::Report out;
    grpc::Status status = aggregator_stub_->AcceptReport(Reviewer().get(), req, &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  grpc::Status GetReport(std::unique_ptr<grpc::ClientContext> ctx, const std::string& org,
                         const std::string& period, v1::Report* out, int revision = 0) {
    v1::GetReportRequest req;
    req.set_organization_code(org);
    req.set_period(period);
    req.set_revision(revision);
    return aggregator_stub_->GetReport(ctx.get(), req, out);
  }

  static std::vector<std::string> Fields(const v1::PushAck& ack) {
    std::vector<std::string> fields;
    for (const auto& v : ack.violations()) fields.push_back(v.field());
    return fields;
  }

  static int64_t CountOf(const v1::Report& report, const std::string& code) {
    for (const auto& value : report.values()) {
      if (value.code() == code) return value.count();
    }
    return -1;
  }

  std::unique_ptr<v1::RegistryService::Stub> registry_stub_;
};

}  // namespace fedtest
