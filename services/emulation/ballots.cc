#include "services/emulation/ballots.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/dates.h"

namespace emulation {
namespace {

// Shares come as doubles (2/3 = 0.6667); a hair of tolerance keeps 0.5 of 6
// at 3 and 2/3 of 6 at 4.
constexpr double kEpsilon = 1e-6;

// How many each rule's threshold is counted of, and its name for the minutes.
int BaseCount(const v1::BallotRule& rule, int entitled, int taking_part, int valid) {
  switch (rule.threshold_of()) {
    case v1::THRESHOLD_BASE_ENTITLED:
      return entitled;
    case v1::THRESHOLD_BASE_PRESENT:
      return taking_part;
    default:
      return valid;
  }
}

std::string BaseWords(const v1::BallotRule& rule) {
  switch (rule.threshold_of()) {
    case v1::THRESHOLD_BASE_ENTITLED:
      return "tổng số thành viên";
    case v1::THRESHOLD_BASE_PRESENT:
      return "số thành viên tham dự";
    default:
      return "số phiếu hợp lệ";
  }
}

int TakingPart(const v1::BallotTally& t, const v1::BallotRule& rule) {
  return t.present() + (rule.count_written_opinions() ? t.written_opinions() : 0);
}

void CheckCount(fed::Violations& v, const std::string& field, int value, int max) {
  if (value < 0 || value > max) v.Add(field, absl::StrCat("must be 0..", max));
}

}  // namespace

int VotesNeeded(double share, int base, bool more_than) {
  const double needed = share * base;
  if (more_than) return static_cast<int>(std::floor(needed + kEpsilon)) + 1;
  return static_cast<int>(std::ceil(needed - kEpsilon));
}

void CheckTally(const v1::BallotTally& t, const v1::BallotRule& rule, int open_seats,
                const std::set<std::string>& eligible, absl::CivilDay today, const std::string& f,
                fed::Violations& v) {
  constexpr int kMaxPeople = 10000;
  auto held = fed::ParseDate(t.held_on());
  if (!held.ok()) {
    v.Add(f + "held_on", t.held_on().empty() ? "is required (YYYY-MM-DD)" : "must be YYYY-MM-DD");
  } else if (*held > today) {
    v.Add(f + "held_on", "is in the future");
  }
  const size_t before = v.errors().violations_size();
  if (t.entitled() < 1 || t.entitled() > kMaxPeople)
    v.Add(f + "entitled", absl::StrCat("must be 1..", kMaxPeople));
  CheckCount(v, f + "present", t.present(), kMaxPeople);
  CheckCount(v, f + "written_opinions", t.written_opinions(), kMaxPeople);
  CheckCount(v, f + "ballots_issued", t.ballots_issued(), kMaxPeople);
  CheckCount(v, f + "valid", t.valid(), kMaxPeople);
  CheckCount(v, f + "invalid", t.invalid(), kMaxPeople);
  if (static_cast<size_t>(v.errors().violations_size()) != before) return;  // nothing to add up

  if (t.present() > t.entitled()) {
    v.Add(f + "present",
          absl::StrCat(t.present(), " present but only ", t.entitled(), " entitled to vote"));
  }
  if (t.present() + t.written_opinions() > t.entitled()) {
    v.Add(f + "written_opinions",
          absl::StrCat(t.written_opinions(), " written opinions and ", t.present(),
                       " present are more than the ", t.entitled(), " entitled"));
  }
  const int voters = TakingPart(t, rule);
  if (t.ballots_issued() > t.entitled()) {
    v.Add(f + "ballots_issued", absl::StrCat(t.ballots_issued(), " ballots for ", t.entitled(),
                                             " people entitled to vote"));
  } else if (t.ballots_issued() > voters) {
    v.Add(f + "ballots_issued",
          absl::StrCat(t.ballots_issued(), " ballots issued but only ", voters,
                       rule.count_written_opinions() ? " present or voting in writing"
                                                     : " present (written opinions do not count)"));
  }
  if (t.valid() + t.invalid() != t.ballots_issued()) {
    v.Add(f + "valid",
          absl::StrCat("valid ", t.valid(), " and invalid ", t.invalid(),
                       " ballots do not add up to the ", t.ballots_issued(), " issued"));
  }
  const int quorum = VotesNeeded(rule.quorum(), t.entitled(), false);
  if (t.present() < quorum) {
    v.Add(f + "present", absl::StrCat("no quorum: ", t.present(), " present of ", t.entitled(),
                                      " entitled, the rule needs ", quorum));
  }

  if (t.votes_size() == 0) v.Add(f + "votes", "name at least one candidate");
  std::set<std::string> seen;
  int64_t total = 0;
  for (int i = 0; i < t.votes_size(); ++i) {
    const v1::CandidateVotes& c = t.votes(i);
    const std::string cf = absl::StrCat(f, "votes[", i, "]");
    fed::CheckOrganizationCode(v, cf + ".organization_code", c.organization_code(), true);
    if (!seen.insert(c.organization_code()).second) {
      v.Add(cf + ".organization_code", "names a candidate already counted");
    } else if (!c.organization_code().empty() && eligible.count(c.organization_code()) == 0) {
      v.Add(cf + ".organization_code",
            absl::StrCat(c.organization_code(), " may not stand in this ballot"));
    }
    if (c.votes() < 0 || c.votes() > t.valid()) {
      v.Add(cf + ".votes", absl::StrCat(c.votes(), " votes but ", t.valid(), " valid ballots"));
    }
    total += c.votes();
  }
  if (open_seats >= 1 && total > static_cast<int64_t>(t.valid()) * open_seats) {
    v.Add(f + "votes",
          absl::StrCat(total, " votes in all, but ", t.valid(), " valid ballots choosing at most ",
                       open_seats, " each allow ", static_cast<int64_t>(t.valid()) * open_seats));
  }
}

v1::Ballot CountBallot(const v1::BallotTally& t, const v1::BallotRule& rule, int open_seats) {
  v1::Ballot ballot;
  *ballot.mutable_tally() = t;
  *ballot.mutable_rule() = rule;
  ballot.set_seats(open_seats);
  const int base = BaseCount(rule, t.entitled(), TakingPart(t, rule), t.valid());
  const int needed = VotesNeeded(rule.threshold(), base, rule.more_than());

  std::vector<v1::CandidateVotes> reaching;
  for (const auto& c : t.votes()) {
    if (c.votes() >= needed) reaching.push_back(c);
  }
  std::sort(reaching.begin(), reaching.end(), [](const auto& a, const auto& b) {
    if (a.votes() != b.votes()) return a.votes() > b.votes();
    return a.organization_code() < b.organization_code();
  });
  ballot.set_outcome(v1::BALLOT_OUTCOME_DECIDED);
  if (static_cast<int>(reaching.size()) <= open_seats) {
    for (const auto& c : reaching) ballot.add_elected_codes(c.organization_code());
  } else {
    const int boundary = reaching[open_seats - 1].votes();
    if (reaching[open_seats].votes() == boundary) {
      ballot.set_outcome(v1::BALLOT_OUTCOME_TIE);
      for (const auto& c : reaching) {
        if (c.votes() > boundary) ballot.add_elected_codes(c.organization_code());
        if (c.votes() == boundary) ballot.add_tied_codes(c.organization_code());
      }
    } else {
      for (int i = 0; i < open_seats; ++i)
        ballot.add_elected_codes(reaching[i].organization_code());
    }
  }
  std::string words =
      absl::StrCat("Cần ", rule.more_than() ? "trên " : "từ ", rule.threshold() * 100, "% ",
                   BaseWords(rule), " (", base, "), tức ít nhất ", needed, " phiếu; ",
                   reaching.size(), " ứng viên đạt, ", open_seats, " suất.");
  if (ballot.outcome() == v1::BALLOT_OUTCOME_TIE) {
    absl::StrAppend(&words, " Có ", ballot.tied_codes_size(),
                    " ứng viên bằng phiếu ở suất cuối: bỏ phiếu lại giữa các ứng viên này.");
  }
  ballot.set_explanation(words);
  return ballot;
}

void CheckCouncilVote(const v1::CouncilVote& vote, const v1::BallotRule& rule, const std::string& f,
                      fed::Violations& v) {
  constexpr int kMaxMembers = 1000;
  if (vote.members() < 1 || vote.members() > kMaxMembers) {
    v.Add(f + "members", absl::StrCat("must be 1..", kMaxMembers));
    return;
  }
  if (vote.present() < 0 || vote.present() > vote.members()) {
    v.Add(f + "present", absl::StrCat(vote.present(), " present of a council of ", vote.members()));
    return;
  }
  if (vote.in_favour() < 0 || vote.against() < 0 || vote.abstaining() < 0 ||
      vote.in_favour() + vote.against() + vote.abstaining() != vote.present()) {
    v.Add(f + "in_favour", absl::StrCat("in favour ", vote.in_favour(), ", against ",
                                        vote.against(), " and abstaining ", vote.abstaining(),
                                        " do not add up to the ", vote.present(), " present"));
  }
  const int quorum = VotesNeeded(rule.quorum(), vote.members(), false);
  if (vote.present() < quorum) {
    v.Add(f + "present", absl::StrCat("no quorum: ", vote.present(), " present of ", vote.members(),
                                      ", the council needs ", quorum));
  }
}

bool CouncilApproves(const v1::CouncilVote& vote, const v1::BallotRule& rule,
                     std::string* explanation) {
  const int base =
      BaseCount(rule, vote.members(), vote.present(), vote.in_favour() + vote.against());
  const int needed = VotesNeeded(rule.threshold(), base, rule.more_than());
  const bool approved = vote.in_favour() >= needed;
  *explanation = absl::StrCat(vote.in_favour(), " tán thành / ", vote.present(), " có mặt / ",
                              vote.members(), " thành viên; cần ít nhất ", needed, ": ",
                              approved ? "thông qua" : "không thông qua");
  return approved;
}

}  // namespace emulation
