// Final scores (dropping extremes from five judges), explicit ties, prizes
// by structure and minimum score, publication after awarding, nomination
// with history across levels, and the statistics reporting reads.
#include "services/competition/tests/competition_fixture.h"

namespace competition::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class ResultsTest : public CompetitionTest {
 protected:
  // Five judges, none from Sơn La's member associations used as sources.
  std::vector<Who> FiveJudges(int64_t contest) {
    std::vector<Who> judges;
    const std::pair<const char*, const char*> panel[] = {
        {"j1", "20"}, {"j2", "20-DD"}, {"j3", "38"}, {"j4", "38-KT"}, {"j5", "VUSTA"}};
    for (const auto& [subject, org] : panel) {
      AddJudge(contest, subject, org, {kAgri, kIT}, NationalAdmin());
      judges.push_back(JudgeAs(subject, org));
    }
    return judges;
  }

  void AssignAll(int64_t contest) {
    v1::AutoAssignRequest req;
    req.set_contest_id(contest);
    v1::AutoAssignResponse out;
    ASSERT_TRUE(Call(&Stub::AutoAssign, NationalAdmin(), req, &out).ok());
  }

  // Sơn La this year, five judges per entry, entries scored by `totals` (each
  // judge's sheet total; novelty carries it all to keep sums obvious).
  int64_t JudgedContest(const std::vector<std::vector<double>>& totals, std::vector<int64_t>* ids,
                        v1::PrizeStructure prizes,
                        v1::ScoreRule rule = v1::SCORE_RULE_UNSPECIFIED) {
    v1::Contest c = SonLaContest();
    c.set_score_rule(rule);
    c.set_min_judges_per_entry(5);
    c.mutable_criteria(0)->set_max_points(100);
    *c.mutable_prizes() = prizes;
    const int64_t id = Create(c, Organiser("14"));
    EXPECT_TRUE(Move(id, v1::CONTEST_STATE_OPEN, Organiser("14")).ok());
    const char* sources[] = {"14-LS", "14-DD", "14-KT", "14"};
    for (size_t i = 0; i < totals.size(); ++i) {
      ids->push_back(
          SubmitOk(MakeEntry(id, absl::StrCat("Giải pháp ", i + 1), sources[i % 4], kAgri),
                   Organiser("14")));
    }
    std::vector<Who> judges = FiveJudges(id);
    AssignAll(id);
    EXPECT_TRUE(Move(id, v1::CONTEST_STATE_JUDGING, Organiser("14")).ok());
    for (size_t i = 0; i < totals.size(); ++i) {
      for (size_t j = 0; j < judges.size(); ++j) {
        grpc::Status s = Score(judges[j], (*ids)[i], totals[i][j], 0, 0);
        EXPECT_TRUE(s.ok()) << s.error_message();
      }
    }
    EXPECT_TRUE(Move(id, v1::CONTEST_STATE_CLOSED, Organiser("14")).ok());
    return id;
  }

  static v1::PrizeStructure Prizes(int first, int second, int third, int consolation, double min) {
    v1::PrizeStructure p;
    p.set_first(first);
    p.set_second(second);
    p.set_third(third);
    p.set_consolation(consolation);
    p.set_min_score(min);
    return p;
  }
};

TEST_F(ResultsTest, FinalScoreDropsHighestAndLowestTiesAreExplicitAndPrizesFollowTheStructure) {
  std::vector<int64_t> ids;
  const int64_t contest = JudgedContest({{90, 80, 80, 80, 10},    // drops 90 and 10 -> 80
                                         {85, 75, 80, 80, 80},    // -> 80: tied with the first
                                         {70, 70, 70, 70, 70},    // -> 70
                                         {40, 40, 40, 40, 100}},  // -> 40: below the minimum
                                        &ids, Prizes(1, 1, 1, 1, 50));
  v1::GetResultsResponse closed = Results(contest, Organiser("14"));
  ASSERT_EQ(closed.results_size(), 4);
  EXPECT_DOUBLE_EQ(closed.results(0).final_score(), 80);
  EXPECT_EQ(closed.results(0).rank(), 1);
  EXPECT_EQ(closed.results(1).rank(), 1);
  EXPECT_THAT(closed.results(0).tied_with(), ElementsAre(ids[1]));
  EXPECT_EQ(closed.results(2).rank(), 3);  // standard competition ranking
  EXPECT_EQ(closed.results(2).entry().id(), ids[2]);
  EXPECT_DOUBLE_EQ(closed.results(3).final_score(), 40);
  ASSERT_EQ(closed.tie_notes_size(), 1);
  EXPECT_THAT(closed.tie_notes(0), HasSubstr("share rank 1"));

  ASSERT_TRUE(Move(contest, v1::CONTEST_STATE_AWARDED, Organiser("14")).ok());
  v1::GetResultsResponse awarded = Results(contest, Viewer());
  EXPECT_EQ(awarded.results(0).prize(), v1::PRIZE_FIRST);
  EXPECT_EQ(awarded.results(1).prize(), v1::PRIZE_FIRST) << "a tie shares the better prize";
  EXPECT_EQ(awarded.results(2).prize(), v1::PRIZE_THIRD);
  EXPECT_EQ(awarded.results(3).prize(), v1::PRIZE_NONE) << "below the minimum score";
  EXPECT_THAT(awarded.tie_notes(),
              ::testing::Contains(HasSubstr("2 first prizes given where the structure has 1")));
}

const v1::Result& ResultOf(const v1::GetResultsResponse& results, int64_t entry) {
  for (const v1::Result& r : results.results()) {
    if (r.entry().id() == entry) return r;
  }
  ADD_FAILURE() << "no result for entry " << entry;
  return results.results(0);
}

TEST_F(ResultsTest, TheJurySeesSpreadAgreementAndCalibratedScoresBesideTheOfficialOnes) {
  std::vector<int64_t> ids;
  const int64_t contest = JudgedContest({{90, 80, 80, 80, 10},  // a judge far below the rest
                                         {70, 70, 70, 70, 70},
                                         {60, 55, 65, 60, 60},
                                         {40, 45, 40, 35, 40}},
                                        &ids, Prizes(1, 1, 1, 1, 0));
  const v1::GetResultsResponse results = Results(contest, Organiser("14"));

  const v1::Result& split = ResultOf(results, ids[0]);
  EXPECT_EQ(split.rule(), "bỏ 1 cao nhất, 1 thấp nhất trong 5 phiếu");
  EXPECT_DOUBLE_EQ(split.final_score(), 80);
  EXPECT_DOUBLE_EQ(split.mean(), 68);
  EXPECT_DOUBLE_EQ(split.median(), 80);
  EXPECT_DOUBLE_EQ(split.min_total(), 10);
  EXPECT_DOUBLE_EQ(split.max_total(), 90);
  EXPECT_TRUE(split.disagreement()) << "80 points apart on a 170-point scale";
  EXPECT_LT(split.interval_low(), 40);

  const v1::Result& unanimous = ResultOf(results, ids[1]);
  EXPECT_DOUBLE_EQ(unanimous.sd(), 0);
  EXPECT_DOUBLE_EQ(unanimous.interval_low(), 70);
  EXPECT_FALSE(unanimous.disagreement());

  // Every judge scored every entry: the calibration is available and, with
  // no judge more often present than another, equals the plain mean.
  ASSERT_TRUE(results.calibration_available()) << results.calibration_note();
  EXPECT_NEAR(split.calibrated_score(), 68, 1e-4);
  EXPECT_GT(split.calibrated_se(), 0);
  ASSERT_EQ(results.judges_size(), 5);
  EXPECT_EQ(results.judges(4).judge_subject(), "j5");
  EXPECT_LT(results.judges(4).offset(), results.judges(0).offset()) << "j5 gave the 10";
  ASSERT_GE(results.agreement_size(), 1);
  EXPECT_EQ(results.agreement(0).field(), "");
  EXPECT_EQ(results.agreement(0).entries(), 4);
  // By hand: D_o = (10700 + 0 + 125 + 125) / 20, D_e = 287800 / 380, alpha = 1 - D_o / D_e:
  // one judge's 10 costs the panel most of its agreement.
  EXPECT_NEAR(results.agreement(0).krippendorff_alpha(), 0.2771, 0.0005);
  EXPECT_THAT(results.agreement(0).icc_form(), HasSubstr("one-way"));

  // The line between first and second runs between entries 80 (split, wide
  // interval) and 70: the data cannot draw it, and says so.
  EXPECT_TRUE(split.boundary_uncertain());
  ASSERT_FALSE(results.boundary_notes().empty());
  EXPECT_THAT(results.boundary_notes(0), HasSubstr("after the first prizes"));

  // Once published, everyone sees the figures but not the judges' habits.
  ASSERT_TRUE(Move(contest, v1::CONTEST_STATE_AWARDED, Organiser("14")).ok());
  const v1::GetResultsResponse published = Results(contest, Viewer());
  EXPECT_EQ(published.judges_size(), 0);
  EXPECT_DOUBLE_EQ(ResultOf(published, ids[0]).median(), 80);
}

TEST_F(ResultsTest, UnderTheCalibratedRuleTheCalibratedScoreIsOfficial) {
  std::vector<int64_t> ids;
  const int64_t contest = JudgedContest({{90, 80, 80, 80, 10}, {70, 70, 70, 70, 70}}, &ids,
                                        Prizes(1, 1, 0, 0, 0), v1::SCORE_RULE_CALIBRATED);
  const v1::GetResultsResponse results = Results(contest, Organiser("14"));
  const v1::Result& split = ResultOf(results, ids[0]);
  EXPECT_NEAR(split.final_score(), 68, 0.005) << "not the trimmed mean's 80";
  EXPECT_EQ(split.rank(), 2) << "below the unanimous 70 now";
  EXPECT_THAT(split.rule(), HasSubstr("điểm hiệu chỉnh"));
}

TEST_F(ResultsTest, TheScoreRuleIsFixedOnceTheContestOpens) {
  const int64_t id = Create(SonLaContest(), Organiser("14"));
  ASSERT_TRUE(Move(id, v1::CONTEST_STATE_OPEN, Organiser("14")).ok());
  v1::GetContestRequest get;
  get.set_id(id);
  v1::UpdateContestRequest update;
  ASSERT_TRUE(Call(&Stub::GetContest, NationalAdmin(), get, update.mutable_contest()).ok());
  update.mutable_contest()->set_score_rule(v1::SCORE_RULE_CALIBRATED);
  v1::Contest out;
  grpc::Status s = Call(&Stub::UpdateContest, Organiser("14"), update, &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("score_rule"));
  // Saying the rule it already has (the trimmed mean) changes nothing and passes.
  update.mutable_contest()->set_score_rule(v1::SCORE_RULE_TRIMMED_MEAN);
  EXPECT_TRUE(Call(&Stub::UpdateContest, Organiser("14"), update, &out).ok());
}

TEST_F(ResultsTest, UnderTheCalibratedRuleJudgesWhoShareNoEntryCannotCloseJudging) {
  v1::Contest c = SonLaContest();
  c.set_score_rule(v1::SCORE_RULE_CALIBRATED);
  c.set_min_judges_per_entry(2);
  const int64_t id = Create(c, Organiser("14"));
  ASSERT_TRUE(Move(id, v1::CONTEST_STATE_OPEN, Organiser("14")).ok());
  const int64_t agri = SubmitOk(MakeEntry(id, "Máy sấy", "14-LS", kAgri), Organiser("14"));
  const int64_t it = SubmitOk(MakeEntry(id, "Phần mềm", "14-DD", kIT), Organiser("14"));
  AddJudge(id, "a", "20", {kAgri}, Organiser("14"));
  AddJudge(id, "b", "20-DD", {kAgri}, Organiser("14"));
  AddJudge(id, "c", "38", {kIT}, Organiser("14"));
  AddJudge(id, "d", "38-KT", {kIT}, Organiser("14"));
  AssignAll(id);
  ASSERT_TRUE(Move(id, v1::CONTEST_STATE_JUDGING, Organiser("14")).ok());
  ASSERT_TRUE(Score(JudgeAs("a", "20"), agri, 20, 20, 20).ok());
  ASSERT_TRUE(Score(JudgeAs("b", "20-DD"), agri, 25, 20, 20).ok());
  ASSERT_TRUE(Score(JudgeAs("c", "38"), it, 10, 20, 20).ok());
  ASSERT_TRUE(Score(JudgeAs("d", "38-KT"), it, 15, 20, 20).ok());
  grpc::Status s = Move(id, v1::CONTEST_STATE_CLOSED, Organiser("14"), /*force=*/true);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("cannot be compared"));
  v1::GetContestRequest get;
  get.set_id(id);
  v1::Contest now;
  ASSERT_TRUE(Call(&Stub::GetContest, NationalAdmin(), get, &now).ok());
  EXPECT_EQ(now.state(), v1::CONTEST_STATE_JUDGING) << "nothing written";
}

TEST_F(ResultsTest, FewerThanFiveJudgesKeepEverySheet) {
  v1::Contest c = SonLaContest();
  c.set_min_judges_per_entry(3);
  const int64_t id = Create(c, Organiser("14"));
  ASSERT_TRUE(Move(id, v1::CONTEST_STATE_OPEN, Organiser("14")).ok());
  const int64_t entry = SubmitOk(MakeEntry(id, "Máy sấy", "14-LS", kAgri), Organiser("14"));
  for (const auto& [s, o] :
       std::vector<std::pair<std::string, std::string>>{{"a", "20"}, {"b", "38"}, {"c", "20-DD"}}) {
    AddJudge(id, s, o, {kAgri}, Organiser("14"));
  }
  AssignAll(id);
  ASSERT_TRUE(Move(id, v1::CONTEST_STATE_JUDGING, Organiser("14")).ok());
  ASSERT_TRUE(Score(JudgeAs("a", "20"), entry, 30, 40, 30).ok());     // 100
  ASSERT_TRUE(Score(JudgeAs("b", "38"), entry, 10, 10, 10).ok());     // 30
  ASSERT_TRUE(Score(JudgeAs("c", "20-DD"), entry, 20, 20, 20).ok());  // 60
  ASSERT_TRUE(Move(id, v1::CONTEST_STATE_CLOSED, Organiser("14")).ok());
  EXPECT_NEAR(Results(id, Organiser("14")).results(0).final_score(), 190.0 / 3, 1e-9);
}

TEST_F(ResultsTest, PrizeStructureAskingForMorePrizesThanEntriesIsRefused) {
  std::vector<int64_t> ids;
  const int64_t contest =
      JudgedContest({{50, 50, 50, 50, 50}, {60, 60, 60, 60, 60}}, &ids, Prizes(1, 1, 1, 0, 0));
  grpc::Status s = Move(contest, v1::CONTEST_STATE_AWARDED, Organiser("14"));
  ASSERT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("change the prize structure first"));
  v1::GetContestRequest get;
  get.set_id(contest);
  v1::Contest now;
  ASSERT_TRUE(Call(&Stub::GetContest, NationalAdmin(), get, &now).ok());
  EXPECT_EQ(now.state(), v1::CONTEST_STATE_CLOSED) << "nothing written";
  // Updating the structure the same way is refused too; a fitting one passes.
  v1::UpdateContestRequest update;
  *update.mutable_contest() = now;
  update.mutable_contest()->mutable_prizes()->set_consolation(5);
  v1::Contest out;
  EXPECT_EQ(Call(&Stub::UpdateContest, Organiser("14"), update, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  *update.mutable_contest()->mutable_prizes() = Prizes(1, 1, 0, 0, 0);
  ASSERT_TRUE(Call(&Stub::UpdateContest, Organiser("14"), update, &out).ok());
  EXPECT_TRUE(Move(contest, v1::CONTEST_STATE_AWARDED, Organiser("14")).ok());
}

TEST_F(ResultsTest, ResultsArePublishedOnlyAfterAwarding) {
  std::vector<int64_t> ids;
  const int64_t contest = JudgedContest({{50, 50, 50, 50, 50}}, &ids, Prizes(1, 0, 0, 0, 0));
  grpc::Status status;
  Results(contest, Viewer(), &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  Results(contest, JudgeAs("j1", "20"), &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Move(contest, v1::CONTEST_STATE_AWARDED, Organiser("14")).ok());
  EXPECT_EQ(Results(contest, Viewer()).results(0).prize(), v1::PRIZE_FIRST);
  EXPECT_EQ(Results(contest, JudgeAs("j1", "20")).results_size(), 1);
  // Further moves are refused: an awarded contest is history.
  grpc::Status after = Move(contest, v1::CONTEST_STATE_AWARDED, Organiser("14"));
  EXPECT_EQ(after.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(after.error_message(), HasSubstr("awarded"));
}

TEST_F(ResultsTest, WinnersAreNominatedUpwardsAndCarryTheirHistory) {
  std::vector<int64_t> ids;
  const int64_t sonla =
      JudgedContest({{90, 90, 90, 90, 90}, {30, 30, 30, 30, 30}}, &ids, Prizes(1, 0, 0, 0, 50));
  ASSERT_TRUE(Move(sonla, v1::CONTEST_STATE_AWARDED, Organiser("14")).ok());
  const int64_t national = Create(NationalContest(v1::CONTEST_KIND_NATIONAL, 14), NationalAdmin());
  const int64_t vifotec = Create(NationalContest(v1::CONTEST_KIND_VIFOTEC, 20), NationalAdmin());

  v1::NominateEntryRequest req;
  req.set_entry_id(ids[0]);
  req.set_target_contest_id(national);
  v1::Entry nominated;
  grpc::Status draft = Call(&Stub::NominateEntry, Organiser("14"), req, &nominated);
  ASSERT_EQ(draft.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(draft.error_message(), HasSubstr("only while OPEN"));
  ASSERT_TRUE(Move(national, v1::CONTEST_STATE_OPEN, NationalAdmin()).ok());
  ASSERT_TRUE(Call(&Stub::NominateEntry, Organiser("14"), req, &nominated).ok());
  EXPECT_EQ(nominated.nominated_from_entry_id(), ids[0]);
  EXPECT_EQ(nominated.source_province_code(), "14");
  EXPECT_EQ(Call(&Stub::NominateEntry, Organiser("14"), req, &nominated).error_code(),
            grpc::StatusCode::ALREADY_EXISTS)
      << "nominated once per contest";
  req.set_entry_id(ids[1]);  // no prize
  grpc::Status unprized = Call(&Stub::NominateEntry, Organiser("14"), req, &nominated);
  EXPECT_EQ(unprized.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(unprized.error_message(), HasSubstr("received no prize"));

  // The national round: five judges, awarded, the winner goes on to VIFOTEC.
  const int64_t national_entry = EntryIds(national, NationalAdmin())[0];
  for (const auto& [subject, org] : std::vector<std::pair<std::string, std::string>>{
           {"n1", "20"}, {"n2", "38"}, {"n3", "VUSTA"}}) {
    AddJudge(national, subject, org, {kAgri}, NationalAdmin());
  }
  AssignAll(national);
  ASSERT_TRUE(Move(national, v1::CONTEST_STATE_JUDGING, NationalAdmin()).ok());
  for (const auto& [subject, org] : std::vector<std::pair<std::string, std::string>>{
           {"n1", "20"}, {"n2", "38"}, {"n3", "VUSTA"}}) {
    ASSERT_TRUE(Score(JudgeAs(subject, org), national_entry, 25, 35, 25).ok());
  }
  ASSERT_TRUE(Move(national, v1::CONTEST_STATE_CLOSED, NationalAdmin()).ok());
  v1::UpdateContestRequest fit;
  v1::GetContestRequest get;
  get.set_id(national);
  ASSERT_TRUE(Call(&Stub::GetContest, NationalAdmin(), get, fit.mutable_contest()).ok());
  *fit.mutable_contest()->mutable_prizes() = Prizes(1, 0, 0, 0, 50);
  v1::Contest updated;
  ASSERT_TRUE(Call(&Stub::UpdateContest, NationalAdmin(), fit, &updated).ok());
  ASSERT_TRUE(Move(national, v1::CONTEST_STATE_AWARDED, NationalAdmin()).ok());
  ASSERT_TRUE(Move(vifotec, v1::CONTEST_STATE_OPEN, NationalAdmin()).ok());
  v1::NominateEntryRequest up;
  up.set_entry_id(national_entry);
  up.set_target_contest_id(vifotec);
  v1::Entry at_vifotec;
  ASSERT_TRUE(Call(&Stub::NominateEntry, NationalAdmin(), up, &at_vifotec).ok());

  v1::GetEntryHistoryRequest hreq;
  hreq.set_entry_id(at_vifotec.id());
  v1::EntryHistory history;
  ASSERT_TRUE(Call(&Stub::GetEntryHistory, Province("14"), hreq, &history).ok());
  ASSERT_EQ(history.steps_size(), 3);
  EXPECT_EQ(history.steps(0).contest().id(), sonla);
  EXPECT_EQ(history.steps(0).prize(), v1::PRIZE_FIRST);
  EXPECT_DOUBLE_EQ(history.steps(0).final_score(), 90);
  EXPECT_EQ(history.steps(1).contest().id(), national);
  EXPECT_EQ(history.steps(1).prize(), v1::PRIZE_FIRST);
  EXPECT_EQ(history.steps(2).contest().kind(), v1::CONTEST_KIND_VIFOTEC);
  EXPECT_EQ(history.steps(2).entry().title(), history.steps(0).entry().title());

  // Statistics: what reporting reads for Sơn La's report of the year.
  v1::ReportingFiguresRequest freq;
  freq.set_organization_code("14");
  freq.set_year(ThisYear());
  v1::ReportingFiguresResponse figures;
  ASSERT_TRUE(Call(&Stub::GetReportingFigures, Service(), freq, &figures).ok());
  EXPECT_EQ(figures.contest_entries(), 2);
  EXPECT_EQ(figures.contest_prizes(), 1);
  EXPECT_EQ(figures.national_awards(), 1);
  EXPECT_TRUE(figures.tech_contest_held());
  EXPECT_FALSE(figures.youth_contest_held());
  // A province reads only its own figures.
  freq.set_organization_code("20");
  EXPECT_EQ(Call(&Stub::GetReportingFigures, Province("14"), freq, &figures).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::StatisticsRequest sreq;
  sreq.set_year(ThisYear());
  v1::StatisticsResponse stats;
  ASSERT_TRUE(Call(&Stub::GetStatistics, Viewer(), sreq, &stats).ok());
  std::map<std::string, v1::StatisticsRow> totals;
  for (const auto& row : stats.totals()) totals[row.organization_code()] = row;
  EXPECT_EQ(totals["14"].contests(), 1);
  EXPECT_EQ(totals["14"].entries(), 2);
  EXPECT_EQ(totals["14"].national_awards(), 1);
  EXPECT_EQ(totals["VUSTA"].contests(), 2);
  EXPECT_EQ(totals["VUSTA"].entries(), 2);  // one national entry, one VIFOTEC nomination
  EXPECT_EQ(totals["VUSTA"].prizes(), 1);
}

}  // namespace
}  // namespace competition::testing
