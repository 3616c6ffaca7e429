// Congress results and their recognition by the national union.
#include "services/registry/tests/registry_fixture.h"

namespace registry::testing {
namespace {

using ::testing::ElementsAre;

class CongressTest : public RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    CreateNational();
    ASSERT_TRUE(CreateProvince("38", "Thanh Hoá").ok());
    ASSERT_TRUE(CreateProvince("14", "Sơn La").ok());
  }

  static v1::CongressTerm ThanhHoaTermFive() {
    v1::CongressTerm term;
    term.set_organization_code("38");
    term.set_term_number(5);
    term.set_start_year(2013);
    term.set_end_year(2018);
    term.set_held_on("2013-04-20");
    auto add = [&](const char* name, v1::Committee committee, v1::Position position) {
      auto* m = term.add_members();
      m->set_full_name(name);
      m->set_committee(committee);
      m->set_position(position);
    };
    add("Lê Văn Thành", v1::COMMITTEE_EXECUTIVE, v1::POSITION_CHAIR);
    add("Nguyễn Thị Hoa", v1::COMMITTEE_EXECUTIVE, v1::POSITION_VICE_CHAIR);
    add("Trần Minh Đức", v1::COMMITTEE_STANDING, v1::POSITION_GENERAL_SECRETARY);
    add("Phạm Quốc Huy", v1::COMMITTEE_INSPECTION, v1::POSITION_HEAD_OF_INSPECTION);
    return term;
  }

  v1::CongressTerm Record(grpc::ClientContext* ctx) {
    v1::RecordCongressRequest req;
    *req.mutable_term() = ThanhHoaTermFive();
    v1::CongressTerm out;
    grpc::Status status = stub_->RecordCongress(ctx, req, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }
};

TEST_F(CongressTest, ReturnedResultsAreFixedResubmittedAndRecognised) {
  auto reporter = [] { return ContextAs(v1::ROLE_PROVINCE_REPORTER, "38"); };
  v1::CongressTerm term = Record(reporter().get());
  EXPECT_EQ(term.state(), v1::RECOGNITION_STATE_RECORDED);

  v1::SubmitCongressRequest submit;
  submit.set_term_id(term.id());
  ASSERT_TRUE(stub_->SubmitCongress(reporter().get(), submit, &term).ok());
  EXPECT_EQ(term.state(), v1::RECOGNITION_STATE_SUBMITTED);

  v1::ReturnCongressRequest back;
  back.set_term_id(term.id());
  EXPECT_EQ(stub_->ReturnCongress(Admin().get(), back, &term).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // a reason is required
  back.set_reason("Thiếu danh sách Ban kiểm tra đầy đủ");
  ASSERT_TRUE(stub_->ReturnCongress(Admin().get(), back, &term).ok());
  EXPECT_EQ(term.state(), v1::RECOGNITION_STATE_RETURNED);
  EXPECT_EQ(term.return_reason(), "Thiếu danh sách Ban kiểm tra đầy đủ");

  v1::UpdateCongressResultsRequest fix;
  fix.set_term_id(term.id());
  *fix.mutable_members() = ThanhHoaTermFive().members();
  auto* extra = fix.add_members();
  extra->set_full_name("Đỗ Thị Lan");
  extra->set_committee(v1::COMMITTEE_INSPECTION);
  extra->set_position(v1::POSITION_MEMBER);
  ASSERT_TRUE(stub_->UpdateCongressResults(reporter().get(), fix, &term).ok());
  EXPECT_EQ(term.members_size(), 5);
  ASSERT_TRUE(stub_->SubmitCongress(reporter().get(), submit, &term).ok());

  v1::RecogniseCongressRequest recognise;
  recognise.set_term_id(term.id());
  recognise.set_decision_number("456/QĐ-LHHVN");
  recognise.set_decision_date("2013-06-10");
  EXPECT_EQ(stub_->RecogniseCongress(reporter().get(), recognise, &term).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub_->RecogniseCongress(Admin().get(), recognise, &term).ok());
  EXPECT_EQ(term.state(), v1::RECOGNITION_STATE_RECOGNISED);
  EXPECT_EQ(term.decision_number(), "456/QĐ-LHHVN");

  std::vector<std::string> events;
  for (const auto& e : term.history()) events.push_back(e.event());
  EXPECT_THAT(events, ElementsAre("recorded", "submitted", "returned", "results_updated",
                                  "submitted", "recognised"));
  // Recognised results are final.
  EXPECT_EQ(stub_->UpdateCongressResults(reporter().get(), fix, &term).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(CongressTest, AnotherProvinceCannotSubmitOrRecord) {
  v1::CongressTerm term = Record(Admin().get());
  v1::SubmitCongressRequest submit;
  submit.set_term_id(term.id());
  v1::CongressTerm out;
  EXPECT_EQ(stub_->SubmitCongress(ContextAs(v1::ROLE_PROVINCE_REPORTER, "14").get(), submit, &out)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::RecordCongressRequest record;
  *record.mutable_term() = ThanhHoaTermFive();
  record.mutable_term()->set_term_number(6);
  EXPECT_EQ(stub_->RecordCongress(ContextAs(v1::ROLE_PROVINCE_REPORTER, "14").get(), record, &out)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(CongressTest, ExtensionIsRecordedAndBounded) {
  v1::CongressTerm term = Record(Admin().get());
  v1::ExtendCongressTermRequest extend;
  extend.set_term_id(term.id());
  extend.set_extended_to_year(2017);  // before the end
  extend.set_reason("x");
  EXPECT_EQ(stub_->ExtendCongressTerm(Admin().get(), extend, &term).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  extend.set_extended_to_year(2019);
  extend.set_reason("Theo hướng dẫn của Đảng đoàn LHHVN");
  ASSERT_TRUE(stub_->ExtendCongressTerm(Admin().get(), extend, &term).ok());
  EXPECT_EQ(term.extended_to_year(), 2019);
  EXPECT_EQ(term.history().rbegin()->event(), "extended");
}

TEST_F(CongressTest, BadResultsListEveryMemberProblem) {
  v1::RecordCongressRequest req;
  *req.mutable_term() = ThanhHoaTermFive();
  req.mutable_term()->set_end_year(2012);
  req.mutable_term()->mutable_members(1)->set_full_name("");
  req.mutable_term()->mutable_members(2)->set_committee(v1::COMMITTEE_UNSPECIFIED);
  v1::CongressTerm out;
  grpc::Status status = stub_->RecordCongress(Admin().get(), req, &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(status), ElementsAre("term.end_year", "term.members[1].full_name",
                                            "term.members[2].committee"));
}

TEST_F(CongressTest, ProfileShowsTheCurrentTermAndLeadership) {
  Record(Admin().get());
  v1::GetProfileRequest req;
  req.set_code("38");
  v1::Profile profile;
  ASSERT_TRUE(stub_->GetProfile(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &profile).ok());
  EXPECT_EQ(profile.organization().code(), "38");
  EXPECT_EQ(profile.current_term().term_number(), 5);
  EXPECT_EQ(profile.current_term().members(0).full_name(), "Lê Văn Thành");
}

}  // namespace
}  // namespace registry::testing
