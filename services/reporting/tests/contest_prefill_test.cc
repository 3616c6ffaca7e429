// Annual drafts take their contest figures from the competition service
// (a stand-in here, at the network boundary); half-year drafts do not, and a
// missing competition service only means the province types them in.
#include "federation/v1/competition.grpc.pb.h"
#include "services/reporting/contest_figures.h"
#include "services/reporting/tests/reporting_fixture.h"

namespace reporting::testing {
namespace {

// Answers GetReportingFigures with fixed figures for Sơn La 2024.
class FakeCompetition final : public v1::CompetitionService::CallbackService {
 public:
  grpc::ServerUnaryReactor* GetReportingFigures(grpc::CallbackServerContext* ctx,
                                                const v1::ReportingFiguresRequest* req,
                                                v1::ReportingFiguresResponse* resp) override {
    asked_year = req->year();
    if (req->organization_code() == "14" && req->year() == 2024) {
      resp->set_contest_entries(42);
      resp->set_contest_prizes(9);
      resp->set_national_awards(2);
      resp->set_tech_contest_held(true);
      resp->set_tech_contest_by_union(true);
    }
    auto* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  std::atomic<int> asked_year{0};
};

std::map<std::string, double> ValuesOf(const v1::Report& report) {
  std::map<std::string, double> values;
  for (const auto& v : report.values()) {
    values[v.code()] = v.value_case() == v1::IndicatorValue::kFlag ? v.flag() : v.count();
  }
  return values;
}

class ContestPrefillTest : public ReportingTest {
 protected:
  void SetUp() override {
    ReportingTest::SetUp();
    competition_server_ =
        std::make_unique<fedtest::LoopbackServer>(std::vector<grpc::Service*>{&competition_});
    figures_ = std::make_unique<ContestFigures>(competition_server_->address());
  }
  void TearDown() override {
    reporting_->UseContestFigures(nullptr);
    figures_.reset();
    competition_server_.reset();
    ReportingTest::TearDown();
  }

  FakeCompetition competition_;
  std::unique_ptr<fedtest::LoopbackServer> competition_server_;
  std::unique_ptr<ContestFigures> figures_;
};

TEST_F(ContestPrefillTest, AnnualDraftTakesTheYearsContestFigures) {
  reporting_->UseContestFigures(figures_.get());
  v1::Report draft;
  ASSERT_TRUE(CreateDraft(Reporter("14").get(), "14", "2024", true, &draft).ok());
  auto values = ValuesOf(draft);
  EXPECT_EQ(competition_.asked_year.load(), 2024);
  EXPECT_EQ(values.at("contest_entries"), 42);
  EXPECT_EQ(values.at("contest_prizes"), 9);
  EXPECT_EQ(values.at("national_awards"), 2);
  EXPECT_EQ(values.at("tech_contest_held"), 1);
  EXPECT_EQ(values.at("youth_contest_held"), 0);
}

TEST_F(ContestPrefillTest, HalfYearDraftLeavesContestsToTheProvince) {
  reporting_->UseContestFigures(figures_.get());
  v1::Report draft;
  ASSERT_TRUE(CreateDraft(Reporter("14").get(), "14", "2024H2", true, &draft).ok());
  EXPECT_EQ(ValuesOf(draft).count("contest_entries"), 0u);
  EXPECT_EQ(competition_.asked_year.load(), 0);
}

TEST_F(ContestPrefillTest, WithoutACompetitionServiceTheDraftIsStillCreated) {
  ContestFigures nowhere("");
  reporting_->UseContestFigures(&nowhere);
  v1::Report draft;
  ASSERT_TRUE(CreateDraft(Reporter("14").get(), "14", "2024", true, &draft).ok());
  EXPECT_EQ(ValuesOf(draft).count("contest_entries"), 0u);
  EXPECT_GT(ValuesOf(draft).count("members"), 0u);  // the registry's figures still come
  reporting_->UseContestFigures(nullptr);
}

}  // namespace
}  // namespace reporting::testing
