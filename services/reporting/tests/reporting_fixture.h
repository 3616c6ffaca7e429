// The reporting service served over loopback gRPC on a fresh database, with
// the REAL registry (registry_lib, same database, its own schema) served
// next to it as its dependency, seeded with a few organisations.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "federation/v1/registry.grpc.pb.h"
#include "federation/v1/reporting.grpc.pb.h"
#include "services/common/catalog.h"
#include "services/common/status.h"
#include "services/common/validation.h"
#include "services/registry/grpc_service.h"
#include "services/registry/migrations.h"
#include "services/registry/registry.h"
#include "services/reporting/forwarder.h"
#include "services/reporting/grpc_service.h"
#include "services/reporting/migrations.h"
#include "services/reporting/registry_client.h"
#include "services/reporting/reporting.h"
#include "tests/support/test_env.h"

namespace reporting::testing {

namespace v1 = federation::v1;
using fedtest::ContextAs;

// The calendar day the tests live on: 2025H2 is over, 2026H1 has started,
// 2026H2 is in the future.
inline absl::CivilDay TestToday() { return absl::CivilDay(2026, 1, 20); }

class ReportingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<fedtest::TestDatabase>("reporting");
    ASSERT_TRUE(
        fed::ApplyMigrations(db_->OwnerUrl("registry"), "registry", registry::Migrations()).ok());
    ASSERT_TRUE(
        fed::ApplyMigrations(db_->OwnerUrl("reporting"), "reporting", reporting::Migrations())
            .ok());
    registry_pool_ = std::make_unique<fed::DbPool>(db_->RuntimeUrl("registry"), "registry", 2);
    pool_ = std::make_unique<fed::DbPool>(db_->RuntimeUrl("reporting"), "reporting", 4);
    workers_ = std::make_unique<fed::WorkerPool>(4);
    fed::CallContext call{&fedtest::TestVerifier("reporting"), workers_.get()};

    registry_ = std::make_unique<registry::Registry>(*registry_pool_);
    registry_service_ = std::make_unique<registry::RegistryGrpcService>(registry_.get(), call);
    registry_server_ = std::make_unique<fedtest::LoopbackServer>(
        std::vector<grpc::Service*>{registry_service_.get()});
    registry_stub_ = v1::RegistryService::NewStub(registry_server_->channel());

    registry_client_ = std::make_unique<RegistryClient>(registry_server_->address());
    reporting_ = std::make_unique<Reporting>(*pool_, *registry_client_, TestToday);
    reporting_->OnSubmitted([this] {
      if (forwarder_) forwarder_->Wake();
    });
    service_ = std::make_unique<ReportingGrpcService>(reporting_.get(), call);
    server_ =
        std::make_unique<fedtest::LoopbackServer>(std::vector<grpc::Service*>{service_.get()});
    stub_ = v1::ReportingService::NewStub(server_->channel());
    SeedRegistry();
  }

  void TearDown() override {
    forwarder_.reset();
    server_.reset();
    registry_server_.reset();
    workers_.reset();
    pool_.reset();
    registry_pool_.reset();
    db_.reset();
  }

  // --- The registry's organisations --------------------------------------

  static std::unique_ptr<grpc::ClientContext> Admin() {
    return ContextAs(v1::ROLE_NATIONAL_ADMIN, "VUSTA");
  }
  static std::unique_ptr<grpc::ClientContext> Reviewer() {
    return ContextAs(v1::ROLE_NATIONAL_REVIEWER, "VUSTA");
  }
  static std::unique_ptr<grpc::ClientContext> Reporter(const std::string& code) {
    return ContextAs(v1::ROLE_PROVINCE_REPORTER, code);
  }

  void CreateOrganization(const std::string& code, v1::OrganizationKind kind,
                          const std::string& name, const std::string& parent,
                          const std::string& active_from, int64_t members = 0,
                          int64_t intellectuals = 0) {
    v1::CreateOrganizationRequest req;
    auto* org = req.mutable_organization();
    org->set_code(code);
    org->set_kind(kind);
    org->set_name(name);
    org->set_parent_code(parent);
    org->set_active_from(active_from);
    org->set_member_count(members);
    org->set_intellectual_count(intellectuals);
    v1::Organization out;
    grpc::Status status = registry_stub_->CreateOrganization(Admin().get(), req, &out);
    ASSERT_TRUE(status.ok()) << code << ": " << status.error_message();
  }

  void Retire(const std::string& code, const std::string& effective_on) {
    v1::RetireOrganizationRequest req;
    req.set_code(code);
    req.set_effective_on(effective_on);
    req.set_reason("test");
    v1::Organization out;
    grpc::Status status = registry_stub_->RetireOrganization(Admin().get(), req, &out);
    ASSERT_TRUE(status.ok()) << code << ": " << status.error_message();
  }

  // VUSTA; Sơn La (14) with four member associations of which two existed
  // through 2025H1, and a collective member; Lạng Sơn (20); Quảng Bình (44),
  // merged away on 2025-07-01.
  void SeedRegistry() {
    using K = v1::OrganizationKind;
    CreateOrganization("VUSTA", K::ORGANIZATION_KIND_NATIONAL_UNION,
                       "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam", "", "1983-03-26");
    CreateOrganization("14", K::ORGANIZATION_KIND_PROVINCIAL_UNION,
                       "Liên hiệp các Hội Khoa học và Kỹ thuật Sơn La", "VUSTA", "2010-04-21",
                       200500, 15000);
    CreateOrganization("20", K::ORGANIZATION_KIND_PROVINCIAL_UNION,
                       "Liên hiệp các Hội Khoa học và Kỹ thuật Lạng Sơn", "VUSTA", "2008-08-15",
                       12000, 900);
    CreateOrganization("44", K::ORGANIZATION_KIND_PROVINCIAL_UNION,
                       "Liên hiệp các Hội Khoa học và Kỹ thuật Quảng Bình", "VUSTA", "2009-01-01",
                       8000, 700);
    Retire("44", "2025-07-01");
    CreateOrganization("14-HKT", K::ORGANIZATION_KIND_MEMBER_ASSOCIATION, "Hội Kinh tế Sơn La",
                       "14", "2012-01-01");
    CreateOrganization("14-HDH", K::ORGANIZATION_KIND_MEMBER_ASSOCIATION, "Hội Dược học Sơn La",
                       "14", "2013-05-01");
    CreateOrganization("14-OLD", K::ORGANIZATION_KIND_MEMBER_ASSOCIATION, "Hội Sử học Sơn La", "14",
                       "2012-01-01");
    Retire("14-OLD", "2020-01-01");
    CreateOrganization("14-NEW", K::ORGANIZATION_KIND_MEMBER_ASSOCIATION, "Hội Kiến trúc sư Sơn La",
                       "14", "2025-09-01");
    CreateOrganization("14-CM", K::ORGANIZATION_KIND_COLLECTIVE_MEMBER,
                       "Trung tâm Giống cây trồng Sơn La", "14", "2015-01-01");
  }

  // --- Reports --------------------------------------------------------------

  static v1::IndicatorValue Count(const std::string& code, int64_t count) {
    v1::IndicatorValue value;
    value.set_code(code);
    value.set_count(count);
    return value;
  }
  static v1::IndicatorValue Flag(const std::string& code, bool flag) {
    v1::IndicatorValue value;
    value.set_code(code);
    value.set_flag(flag);
    return value;
  }

  // A report answering every indicator of the catalog, consistently.
  // `overrides` replace the default value of their code.
  static v1::Report FullReport(const std::string& org, const std::string& period,
                               const std::map<std::string, int64_t>& overrides = {}) {
    v1::Report report;
    report.set_organization_code(org);
    report.set_period(period);
    report.set_catalog_version(fed::kLatestCatalogVersion);
    for (const auto& indicator : fed::LatestCatalog().indicators()) {
      auto it = overrides.find(indicator.code());
      if (indicator.type() == v1::INDICATOR_TYPE_BOOLEAN) {
        *report.add_values() = Flag(indicator.code(), it != overrides.end() && it->second != 0);
      } else {
        int64_t value = indicator.code() == "members"         ? 1000
                        : indicator.code() == "intellectuals" ? 100
                                                              : 3;
        if (it != overrides.end()) value = it->second;
        *report.add_values() = Count(indicator.code(), value);
      }
    }
    report.mutable_narrative()->set_achievements("Tổ chức thành công hội thảo khoa học.");
    auto* rec = report.mutable_narrative()->add_recommendations();
    rec->set_number(1);
    rec->set_text("Đề nghị hỗ trợ kinh phí hoạt động tư vấn, phản biện.");
    return report;
  }

  grpc::Status CreateDraft(grpc::ClientContext* ctx, const std::string& org,
                           const std::string& period, bool prefill, v1::Report* out) {
    v1::CreateDraftRequest req;
    req.set_organization_code(org);
    req.set_period(period);
    req.set_prefill(prefill);
    return stub_->CreateDraft(ctx, req, out);
  }

  grpc::Status SaveDraft(grpc::ClientContext* ctx, const v1::Report& report,
                         v1::Report* out = nullptr) {
    v1::SaveDraftRequest req;
    *req.mutable_report() = report;
    v1::Report ignored;
    return stub_->SaveDraft(ctx, req, out ? out : &ignored);
  }

  grpc::Status Submit(grpc::ClientContext* ctx, const std::string& org, const std::string& period,
                      v1::Report* out = nullptr) {
    v1::SubmitReportRequest req;
    req.set_organization_code(org);
    req.set_period(period);
    v1::Report ignored;
    return stub_->SubmitReport(ctx, req, out ? out : &ignored);
  }

  // Draft, fill and submit `report` as its own province; returns the revision.
  v1::Report DraftAndSubmit(const v1::Report& report) {
    const std::string& org = report.organization_code();
    v1::Report draft;
    grpc::Status status = CreateDraft(Reporter(org).get(), org, report.period(), false, &draft);
    EXPECT_TRUE(status.ok()) << status.error_message();
    status = SaveDraft(Reporter(org).get(), report);
    EXPECT_TRUE(status.ok()) << status.error_message();
    v1::Report submitted;
    status = Submit(Reporter(org).get(), org, report.period(), &submitted);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return submitted;
  }

  std::vector<v1::Report> ListReports(const std::string& org, const std::string& period = "") {
    v1::ListReportsRequest req;
    req.set_organization_code(org);
    req.set_period(period);
    v1::ListReportsResponse out;
    grpc::Status status = stub_->ListReports(Admin().get(), req, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {out.reports().begin(), out.reports().end()};
  }

  v1::OutboxStatus OutboxStatus() {
    v1::OutboxStatus out;
    grpc::Status status = stub_->GetOutboxStatus(Admin().get(), v1::GetOutboxStatusRequest(), &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  // The fields named in an INVALID_ARGUMENT status, in order.
  static std::vector<std::string> FieldsOf(const grpc::Status& status) {
    std::vector<std::string> fields;
    const v1::ValidationErrors errors = fed::ViolationsOf(fed::FromGrpcStatus(status));
    for (const auto& v : errors.violations()) {
      fields.push_back(v.field());
    }
    return fields;
  }
  static std::vector<std::string> DescriptionsOf(const grpc::Status& status) {
    std::vector<std::string> descriptions;
    const v1::ValidationErrors errors = fed::ViolationsOf(fed::FromGrpcStatus(status));
    for (const auto& v : errors.violations()) {
      descriptions.push_back(v.description());
    }
    return descriptions;
  }

  // One number from the reporting schema, straight from PostgreSQL.
  int64_t Scalar(const std::string& sql) {
    pqxx::connection conn(db_->url());
    pqxx::work txn(conn);
    txn.exec("SET LOCAL search_path TO reporting");
    return txn.exec1(sql)[0].as<int64_t>();
  }
  // Row counts of every reporting table, to prove that nothing was stored.
  std::map<std::string, int64_t> TableCounts() {
    std::map<std::string, int64_t> counts;
    for (const char* table :
         {"reports", "drafts", "revisions", "report_events", "outbox", "audit_log"}) {
      counts[table] = Scalar(std::string("SELECT count(*) FROM ") + table);
    }
    counts["draft_saves"] = Scalar("SELECT coalesce(sum(saves), 0) FROM drafts");
    return counts;
  }

  // --- The forwarder ----------------------------------------------------------

  static ForwarderOptions TestForwarderOptions(const std::string& aggregator_target) {
    ForwarderOptions options;
    options.aggregator_target = aggregator_target;
    options.batch_size = 2;  // several streams for a handful of reports
    options.backoff_initial = absl::Milliseconds(20);
    options.backoff_max = absl::Milliseconds(200);
    options.outbox_check_interval = absl::Milliseconds(50);
    options.call_timeout = absl::Seconds(5);
    return options;
  }

  void StartForwarder(const std::string& aggregator_target) {
    forwarder_ = std::make_unique<Forwarder>(*pool_, TestForwarderOptions(aggregator_target));
    forwarder_->Start();
  }

  // Polls `condition` until it holds or `timeout` passes; no fixed sleeps.
  static bool Eventually(const std::function<bool()>& condition,
                         absl::Duration timeout = absl::Seconds(10)) {
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      if (condition()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return condition();
  }

  std::unique_ptr<fedtest::TestDatabase> db_;
  std::unique_ptr<fed::DbPool> registry_pool_;
  std::unique_ptr<fed::DbPool> pool_;
  std::unique_ptr<fed::WorkerPool> workers_;
  std::unique_ptr<registry::Registry> registry_;
  std::unique_ptr<registry::RegistryGrpcService> registry_service_;
  std::unique_ptr<fedtest::LoopbackServer> registry_server_;
  std::unique_ptr<v1::RegistryService::Stub> registry_stub_;
  std::unique_ptr<RegistryClient> registry_client_;
  std::unique_ptr<Reporting> reporting_;
  std::unique_ptr<ReportingGrpcService> service_;
  std::unique_ptr<fedtest::LoopbackServer> server_;
  std::unique_ptr<v1::ReportingService::Stub> stub_;
  std::unique_ptr<Forwarder> forwarder_;
};

}  // namespace reporting::testing
