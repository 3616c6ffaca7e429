// The 2025 merger of provinces as history: as-of listings, successors,
// predecessors, and the mergers that must be refused.
#include "services/registry/tests/registry_fixture.h"

namespace registry::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

TEST_F(RegistryTest, ProvinceCountFollowsThe2025Merger) {
  LoadProvincesAndMerger();
  EXPECT_EQ(ProvinceCodesAsOf("2024-12-31").size(), 63u);
  EXPECT_EQ(ProvinceCodesAsOf("2025-06-30").size(), 63u);
  EXPECT_EQ(ProvinceCodesAsOf("2025-07-01").size(), 34u);
  EXPECT_EQ(ProvinceCodesAsOf("2026-01-01").size(), 34u);
}

TEST_F(RegistryTest, QuangBinhResolvesToQuangTriAfterTheMerger) {
  LoadProvincesAndMerger();
  v1::ResolveSuccessorRequest req;
  req.set_code("44");
  req.set_on("2025-08-01");
  v1::ResolveSuccessorResponse out;
  ASSERT_TRUE(stub_->ResolveSuccessor(Admin().get(), req, &out).ok());
  EXPECT_EQ(out.organization().code(), "45");
  EXPECT_EQ(out.organization().short_name(), "LHH Quảng Trị");
  EXPECT_THAT(out.path(), ElementsAre("44", "45"));

  req.set_on("2025-06-30");  // before the merger it is still itself
  ASSERT_TRUE(stub_->ResolveSuccessor(Admin().get(), req, &out).ok());
  EXPECT_EQ(out.organization().code(), "44");
}

TEST_F(RegistryTest, SuccessorListsItsPredecessors) {
  LoadProvincesAndMerger();
  v1::ListPredecessorsRequest req;
  req.set_code("92");  // Cần Thơ took in Hậu Giang and Sóc Trăng
  v1::ListPredecessorsResponse out;
  ASSERT_TRUE(stub_->ListPredecessors(Admin().get(), req, &out).ok());
  EXPECT_THAT(out.predecessor_codes(), UnorderedElementsAre("93", "94"));
  ASSERT_EQ(out.mergers_size(), 1);
  EXPECT_EQ(out.mergers(0).effective_on(), "2025-07-01");
}

TEST_F(RegistryTest, OldReportsOrganisationStaysReadable) {
  LoadProvincesAndMerger();
  v1::GetOrganizationRequest req;
  req.set_code("44");
  v1::Organization org;
  ASSERT_TRUE(stub_->GetOrganization(Admin().get(), req, &org).ok());
  EXPECT_EQ(org.active_until(), "2025-07-01");
  EXPECT_EQ(org.successor_code(), "45");
  EXPECT_EQ(org.status(), v1::ORGANIZATION_STATUS_RETIRED);
}

TEST_F(RegistryTest, OverlappingInactiveAndUnknownMergersAreRefusedTogether) {
  LoadProvincesAndMerger();
  const int audit_before = AuditCount();
  v1::RecordMergerRequest req;
  req.mutable_merger()->set_successor_code("44");  // merged away: inactive
  req.mutable_merger()->set_effective_on("2026-01-01");
  req.mutable_merger()->add_predecessor_codes("93");  // already merged into 92
  req.mutable_merger()->add_predecessor_codes("98");  // does not exist
  v1::Merger out;
  grpc::Status status = stub_->RecordMerger(Admin().get(), req, &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(status),
              UnorderedElementsAre("merger.successor_code", "merger.predecessor_codes[0]",
                                   "merger.predecessor_codes[1]"));
  EXPECT_NE(status.error_message().find("inactive"), std::string::npos);
  EXPECT_NE(status.error_message().find("already merged into 92"), std::string::npos);
  EXPECT_EQ(AuditCount(), audit_before);
}

TEST_F(RegistryTest, MergingAUnitOnlyWithItselfIsRefused) {
  CreateNational();
  ASSERT_TRUE(CreateProvince("45", "Quảng Trị").ok());
  v1::RecordMergerRequest req;
  req.mutable_merger()->set_successor_code("45");
  req.mutable_merger()->set_effective_on("2025-07-01");
  req.mutable_merger()->add_predecessor_codes("45");
  v1::Merger out;
  EXPECT_EQ(stub_->RecordMerger(Admin().get(), req, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(RegistryTest, MergerAndItsEffectsAreInTheAuditLog) {
  CreateNational();
  ASSERT_TRUE(CreateProvince("44", "Quảng Bình").ok());
  ASSERT_TRUE(CreateProvince("45", "Quảng Trị").ok());
  v1::RecordMergerRequest req;
  req.mutable_merger()->set_successor_code("45");
  req.mutable_merger()->set_effective_on("2025-07-01");
  req.mutable_merger()->add_predecessor_codes("44");
  req.mutable_merger()->add_predecessor_codes("45");
  v1::Merger out;
  ASSERT_TRUE(stub_->RecordMerger(Admin().get(), req, &out).ok());
  v1::ListAuditEventsRequest audit;
  audit.set_target("45");
  v1::ListAuditEventsResponse events;
  ASSERT_TRUE(stub_->ListAuditEvents(Admin().get(), audit, &events).ok());
  ASSERT_GE(events.events_size(), 1);
  EXPECT_EQ(events.events(0).action(), "RecordMerger");
  EXPECT_EQ(events.events(0).subject(), "test-national_admin-VUSTA");
  EXPECT_NE(events.events(0).detail_json().find("\"44\""), std::string::npos);
}

}  // namespace
}  // namespace registry::testing

namespace registry::testing {
namespace {

TEST_F(RegistryTest, RecordingTheSameMergerAgainIsAlreadyExists) {
  CreateNational();
  ASSERT_TRUE(CreateProvince("44", "Quảng Bình").ok());
  ASSERT_TRUE(CreateProvince("45", "Quảng Trị").ok());
  v1::RecordMergerRequest req;
  req.mutable_merger()->set_successor_code("45");
  req.mutable_merger()->set_effective_on("2025-07-01");
  req.mutable_merger()->add_predecessor_codes("44");
  req.mutable_merger()->add_predecessor_codes("45");
  v1::Merger out;
  ASSERT_TRUE(stub_->RecordMerger(Admin().get(), req, &out).ok());
  EXPECT_EQ(stub_->RecordMerger(Admin().get(), req, &out).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  v1::ListMergersRequest list;
  v1::ListMergersResponse mergers;
  ASSERT_TRUE(stub_->ListMergers(Admin().get(), list, &mergers).ok());
  EXPECT_EQ(mergers.mergers_size(), 1);
}

}  // namespace
}  // namespace registry::testing
