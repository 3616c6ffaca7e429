// Results (final scores, ranks, explicit ties, prizes) and the statistics
// that reporting and the dashboard read.
#include <algorithm>
#include <map>
#include <memory>

#include "absl/strings/str_cat.h"
#include "services/common/status.h"
#include "services/competition/access.h"
#include "services/competition/competition.h"
#include "services/competition/scoring.h"
#include "services/competition/storage.h"

namespace competition {
namespace {

// National roles and viewers see every organisation's figures; a province
// its own; judges none.
absl::Status ScopeStatistics(const Principal& who, std::string* organization_code) {
  switch (who.role) {
    case v1::ROLE_NATIONAL_ADMIN:
    case v1::ROLE_NATIONAL_REVIEWER:
    case v1::ROLE_SERVICE:
    case v1::ROLE_VIEWER:
      return absl::OkStatus();
    case v1::ROLE_PROVINCE_REPORTER:
      if (organization_code->empty()) *organization_code = who.organization_code;
      if (*organization_code != who.organization_code) {
        return absl::PermissionDeniedError(absl::StrCat("organisation ", who.organization_code,
                                                        " may read only its own contest figures"));
      }
      return absl::OkStatus();
    default:
      return absl::PermissionDeniedError(
          "contest figures are for the national office, viewers and provinces");
  }
}

// The entry's spread, interval and calibrated score beside its official one.
void AddJuryFigures(const JuryStatistics& jury, v1::ScoreRule rule, v1::Result* result) {
  const int64_t id = result->entry().id();
  result->set_rule(RuleWords(rule, result->sheets()));
  if (auto it = jury.spreads.find(id); it != jury.spreads.end()) {
    const EntrySpread& s = it->second;
    result->set_mean(s.mean);
    result->set_median(s.median);
    result->set_sd(s.sd);
    result->set_min_total(s.min);
    result->set_max_total(s.max);
    result->set_interval_low(s.low);
    result->set_interval_high(s.high);
    result->set_disagreement(s.disagreement);
  }
  for (const EntryCalibration& c : jury.calibration.entries) {
    if (c.entry_id != id) continue;
    result->set_calibrated_score(c.calibrated);
    result->set_calibrated_se(c.se);
  }
}

// The official score's interval: the calibrated score's under that rule,
// the mean's otherwise (the trimmed mean has no simpler honest one).
ScoredInterval OfficialInterval(const v1::Result& r, v1::ScoreRule rule) {
  if (rule == v1::SCORE_RULE_CALIBRATED) {
    const double half = 1.96 * r.calibrated_se();
    return {r.entry().id(), r.final_score(), r.final_score() - half, r.final_score() + half};
  }
  return {r.entry().id(), r.final_score(), r.interval_low(), r.interval_high()};
}

const char* PrizeLevelName(size_t level) {
  static constexpr const char* kNames[] = {"first", "second", "third", "consolation"};
  return level < 4 ? kNames[level] : "last";
}

// Flags the prize boundaries the intervals cannot draw, on the results and
// in words.
void AddBoundaryNotes(const v1::Contest& contest, v1::ScoreRule rule,
                      v1::GetResultsResponse* out) {
  std::vector<ScoredInterval> ranked;
  std::map<int64_t, v1::Result*> by_id;
  for (v1::Result& r : *out->mutable_results()) {
    if (r.rank() == 0) continue;
    ranked.push_back(OfficialInterval(r, rule));
    by_id[r.entry().id()] = &r;
  }
  const std::vector<int> boundaries = PrizeBoundaries(contest.prizes());
  for (const BoundaryOverlap& o : OverlappingBoundaries(ranked, boundaries)) {
    by_id[o.above]->set_boundary_uncertain(true);
    by_id[o.below]->set_boundary_uncertain(true);
    const size_t level =
        std::find(boundaries.begin(), boundaries.end(), o.after_rank) - boundaries.begin();
    out->add_boundary_notes(absl::StrCat(
        "the line after the ", PrizeLevelName(level), " prizes (after rank ", o.after_rank,
        ") falls between entries ", o.above, " and ", o.below,
        ", whose 95% intervals overlap: the data does not order them"));
  }
}

void AddJudgesAndAgreement(const JuryStatistics& jury, bool organiser,
                           v1::GetResultsResponse* out) {
  const Calibration& fit = jury.calibration;
  out->set_calibration_available(fit.comparable);
  out->set_calibration_note(fit.why_not);
  out->set_residual_sd(fit.residual_sd);
  for (const auto& [field, a] : jury.agreement) {
    v1::PanelAgreement* panel = out->add_agreement();
    panel->set_field(field);
    panel->set_entries(a.units);
    panel->set_krippendorff_alpha(a.krippendorff_alpha);
    panel->set_icc(a.icc1);
    panel->set_icc_form("ICC(1): one-way random effects, single rater, absolute agreement");
  }
  // A judge's habits are the organisers' business, not the public's.
  if (!organiser) return;
  for (const JudgeCalibration& j : fit.judges) {
    v1::JudgeStatistics* judge = out->add_judges();
    judge->set_judge_subject(j.judge);
    judge->set_sheets(j.sheets);
    judge->set_mean(j.mean);
    judge->set_offset(j.offset);
    judge->set_offset_low(j.offset - 1.96 * j.se);
    judge->set_offset_high(j.offset + 1.96 * j.se);
    judge->set_toughness_share(j.toughness_share);
  }
}

}  // namespace

std::shared_ptr<const JuryStatistics> Competition::JuryOf(pqxx::work& txn,
                                                          const v1::Contest& contest) {
  const int64_t version =
      contest.updated_at().seconds() * 1000000 + contest.updated_at().nanos() / 1000;
  {
    absl::MutexLock lock(&jury_mu_);
    auto it = jury_.find(contest.id());
    if (it != jury_.end() && it->second.first == version) return it->second.second;
  }
  std::map<int64_t, std::string> field_of;
  for (const v1::Entry& e : storage::ListEntries(txn, contest.id(), "", false, false)) {
    field_of[e.id()] = e.field();
  }
  auto jury = std::make_shared<const JuryStatistics>(
      ComputeJury(contest, storage::ContestSheets(txn, contest.id()), field_of));
  absl::MutexLock lock(&jury_mu_);
  jury_[contest.id()] = {version, jury};
  return jury;
}

absl::Status Competition::GetResults(const Principal& who, const v1::GetResultsRequest& req,
                                     v1::GetResultsResponse* out) {
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Contest contest, storage::LoadContest(txn, req.contest_id(), false));
    RETURN_IF_ERROR(RequireResultsVisible(who, contest));
    const bool all = ReadsEverything(who, contest);
    std::map<int64_t, v1::Entry> entries;
    for (auto& e : storage::ListEntries(txn, contest.id(), "", false, all))
      entries[e.id()] = std::move(e);
    const bool awarded = contest.state() == v1::CONTEST_STATE_AWARDED;
    std::vector<Ranked> ranked = storage::LoadResults(txn, contest.id());
    for (const Ranked& r : ranked) {
      auto it = entries.find(r.entry_id);
      if (it == entries.end()) continue;
      v1::Result* result = out->add_results();
      *result->mutable_entry() = it->second;
      RedactEntry(who, contest, result->mutable_entry());
      result->set_sheets(r.score.sheets);
      result->set_final_score(r.score.value());
      result->set_rank(r.rank);
      for (int64_t id : r.tied_with) result->add_tied_with(id);
      result->set_prize(awarded ? r.prize : v1::PRIZE_UNSPECIFIED);
    }
    for (auto& note : TieNotes(ranked, contest.prizes(), awarded))
      out->add_tie_notes(std::move(note));
    const v1::ScoreRule rule = contest.score_rule() == v1::SCORE_RULE_CALIBRATED
                                   ? v1::SCORE_RULE_CALIBRATED
                                   : v1::SCORE_RULE_TRIMMED_MEAN;
    const std::shared_ptr<const JuryStatistics> jury = JuryOf(txn, contest);
    for (v1::Result& result : *out->mutable_results()) AddJuryFigures(*jury, rule, &result);
    AddJudgesAndAgreement(*jury, all, out);
    AddBoundaryNotes(contest, rule, out);
    *out->mutable_contest() = std::move(contest);
    return absl::OkStatus();
  });
}

absl::Status Competition::GetStatistics(const Principal& who, const v1::StatisticsRequest& req,
                                        v1::StatisticsResponse* out) {
  v1::StatisticsRequest scoped = req;
  RETURN_IF_ERROR(ScopeStatistics(who, scoped.mutable_organization_code()));
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    for (auto& row : storage::Statistics(txn, scoped, false)) *out->add_rows() = std::move(row);
    for (auto& row : storage::Statistics(txn, scoped, true)) *out->add_totals() = std::move(row);
    return absl::OkStatus();
  });
}

absl::Status Competition::GetReportingFigures(const Principal& who,
                                              const v1::ReportingFiguresRequest& req,
                                              v1::ReportingFiguresResponse* out) {
  fed::Violations v;
  fed::CheckOrganizationCode(v, "organization_code", req.organization_code(), true);
  if (req.year() < 1983 || req.year() > 2100) v.Add("year", "must be a year from 1983 to 2100");
  RETURN_IF_ERROR(v.ToStatus());
  v1::StatisticsRequest filter;
  filter.set_organization_code(req.organization_code());
  filter.set_year(req.year());
  RETURN_IF_ERROR(ScopeStatistics(who, filter.mutable_organization_code()));
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    for (const auto& row : storage::Statistics(txn, filter, false)) {
      out->set_contest_entries(out->contest_entries() + row.entries());
      out->set_contest_prizes(out->contest_prizes() + row.prizes());
      out->set_national_awards(out->national_awards() + row.national_awards());
      if (row.contests() > 0 && row.kind() == v1::CONTEST_KIND_PROVINCIAL_TECH) {
        out->set_tech_contest_held(true);
        out->set_tech_contest_by_union(true);
      }
      if (row.contests() > 0 && row.kind() == v1::CONTEST_KIND_YOUTH)
        out->set_youth_contest_held(true);
    }
    return absl::OkStatus();
  });
}

}  // namespace competition
