// The year-end conference: secret ballots (one round each, re-ballots among
// the tied) and the close of voting. Only tallies are kept, never who voted
// for whom: the request has no place for it.
#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "services/common/enum_names.h"
#include "services/common/status.h"
#include "services/common/timestamp.h"
#include "services/emulation/access.h"
#include "services/emulation/ballots.h"
#include "services/emulation/emulation.h"
#include "services/emulation/validate.h"

namespace emulation {
namespace {

const v1::BallotRule* RuleOf(const v1::EmulationYear& year, v1::BallotKind kind) {
  for (const auto& r : year.ballot_rules()) {
    if (r.kind() == kind) return &r;
  }
  return nullptr;
}

const v1::Ballot* LastRound(const v1::EmulationYear& year, v1::BallotKind kind) {
  const v1::Ballot* last = nullptr;
  for (const auto& b : year.ballots()) {
    if (b.tally().kind() == kind) last = &b;
  }
  return last;
}

// Who may stand: members taking part; for the Government flag, the unit
// leading the cluster this year; for next year's deputy, not next year's head.
std::set<std::string> Eligible(const v1::EmulationYear& year, v1::BallotKind kind) {
  std::set<std::string> eligible;
  if (kind == v1::BALLOT_KIND_GOVERNMENT_FLAG) {
    if (!access::HeadOf(year).empty()) eligible.insert(access::HeadOf(year));
    return eligible;
  }
  for (const auto& m : year.members()) {
    if (m.takes_part()) eligible.insert(m.organization_code());
  }
  if (kind == v1::BALLOT_KIND_NEXT_DEPUTY) eligible.erase(year.next_head_code());
  return eligible;
}

}  // namespace

std::vector<std::string> ElectedOf(const v1::EmulationYear& year, v1::BallotKind kind) {
  std::vector<std::string> elected;
  for (const auto& b : year.ballots()) {
    if (b.tally().kind() != kind) continue;
    elected.insert(elected.end(), b.elected_codes().begin(), b.elected_codes().end());
  }
  return elected;
}

std::vector<v1::Proposal> ProposalsOf(const v1::EmulationYear& year) {
  std::vector<v1::Proposal> proposals;
  const auto add = [&](v1::BallotKind ballot, v1::AwardKind award) {
    for (const std::string& code : ElectedOf(year, ballot)) {
      v1::Proposal p;
      p.set_organization_code(code);
      p.set_kind(award);
      proposals.push_back(p);
    }
  };
  add(v1::BALLOT_KIND_UNION_FLAG, v1::AWARD_KIND_UNION_FLAG);
  add(v1::BALLOT_KIND_MERIT_CERTIFICATE, v1::AWARD_KIND_MERIT_CERTIFICATE);
  add(v1::BALLOT_KIND_GOVERNMENT_FLAG, v1::AWARD_KIND_GOVERNMENT_FLAG);
  return proposals;
}

absl::Status Emulation::RecordBallot(const Principal& who, const v1::RecordBallotRequest& req,
                                     v1::EmulationYear* out) {
  const v1::BallotTally& tally = req.tally();
  return ChangeYear(
      who, req.key(), "RecordBallot", req,
      [&](pqxx::work&, storage::StoredYear& stored) -> absl::Status {
        v1::EmulationYear& year = stored.year;
        RETURN_IF_ERROR(access::ActForCluster(who, year));
        RETURN_IF_ERROR(RequireState(year, {v1::YEAR_STATE_CROSS_CHECKED}, "a ballot"));
        fed::Violations v;
        const v1::BallotRule* rule = RuleOf(year, tally.kind());
        if (tally.kind() == v1::BALLOT_KIND_COUNCIL_REVIEW) {
          v.Add("tally.kind", "the council's review is recorded with ReviewDossier");
        } else if (rule == nullptr) {
          v.Add("tally.kind", absl::StrCat("the year's scheme states no rule for a ",
                                           fed::EnumWordLower(tally.kind()), " ballot"));
        }
        RETURN_IF_ERROR(v.ToStatus());

        const v1::Ballot* last = LastRound(year, tally.kind());
        if (last != nullptr && last->outcome() == v1::BALLOT_OUTCOME_DECIDED) {
          return absl::FailedPreconditionError(
              absl::StrCat("the ", fed::EnumWordLower(tally.kind()),
                           " ballot was decided in round ", last->round(), "; its result stands"));
        }
        const int elected_before = static_cast<int>(ElectedOf(year, tally.kind()).size());
        const int open_seats = rule->seats() - elected_before;
        std::set<std::string> eligible = Eligible(year, tally.kind());
        if (last != nullptr) {
          // A re-ballot is among exactly those tied, no one added, no one left out.
          const std::set<std::string> tied(last->tied_codes().begin(), last->tied_codes().end());
          std::set<std::string> named;
          for (const auto& c : tally.votes()) named.insert(c.organization_code());
          if (named != tied) {
            v.Add("tally.votes",
                  absl::StrCat("round ", last->round() + 1,
                               " is a re-ballot among those tied: ", absl::StrJoin(tied, ", ")));
          }
          eligible = tied;
        }
        CheckTally(tally, *rule, open_seats, eligible, Today(), "tally.", v);
        RETURN_IF_ERROR(v.ToStatus());

        v1::Ballot ballot = CountBallot(tally, *rule, open_seats);
        ballot.set_round(last == nullptr ? 1 : last->round() + 1);
        fed::SetTimestamp(absl::Now(), ballot.mutable_recorded_at());
        ballot.set_recorded_by(who.subject);
        if (ballot.outcome() == v1::BALLOT_OUTCOME_DECIDED && ballot.elected_codes_size() > 0) {
          if (tally.kind() == v1::BALLOT_KIND_NEXT_HEAD)
            year.set_next_head_code(ballot.elected_codes(0));
          if (tally.kind() == v1::BALLOT_KIND_NEXT_DEPUTY)
            year.set_next_deputy_code(ballot.elected_codes(0));
        }
        *year.add_ballots() = std::move(ballot);
        return absl::OkStatus();
      },
      out);
}

absl::Status Emulation::CloseVoting(const Principal& who, const v1::CloseVotingRequest& req,
                                    v1::EmulationYear* out) {
  const v1::Conference& c = req.conference();
  return ChangeYear(
      who, req.key(), "CloseVoting", req,
      [&](pqxx::work&, storage::StoredYear& stored) -> absl::Status {
        v1::EmulationYear& year = stored.year;
        RETURN_IF_ERROR(access::ActForCluster(who, year));
        RETURN_IF_ERROR(RequireState(year, {v1::YEAR_STATE_CROSS_CHECKED}, "closing the vote"));
        fed::Violations v;
        CheckDate(v, "conference.held_on", c.held_on(), true, Today());
        fed::CheckText(v, "conference.place", c.place(), 200, true);
        fed::CheckText(v, "conference.chair", c.chair(), 200, true);
        fed::CheckText(v, "conference.secretary", c.secretary(), 200, true);
        RETURN_IF_ERROR(v.ToStatus());
        std::vector<std::string> open;
        for (const auto& rule : year.ballot_rules()) {
          if (rule.kind() == v1::BALLOT_KIND_COUNCIL_REVIEW) continue;
          const v1::Ballot* last = LastRound(year, rule.kind());
          // The Government-flag ballot is held only where the cluster proposes one.
          if (last == nullptr && rule.kind() == v1::BALLOT_KIND_GOVERNMENT_FLAG) continue;
          if (last == nullptr) {
            open.push_back(absl::StrCat(fed::EnumWordLower(rule.kind()), " (not held)"));
          } else if (last->outcome() == v1::BALLOT_OUTCOME_TIE) {
            open.push_back(absl::StrCat(fed::EnumWordLower(rule.kind()), " (tied in round ",
                                        last->round(), ": re-ballot)"));
          }
        }
        if (!open.empty()) {
          return absl::FailedPreconditionError(
              absl::StrCat("ballots not decided: ", absl::StrJoin(open, ", ")));
        }
        *year.mutable_conference() = c;
        AdvanceYear(year, v1::YEAR_STATE_VOTED, who,
                    absl::StrCat("conference of ", c.held_on(), " at ", c.place()));
        return absl::OkStatus();
      },
      out);
}

}  // namespace emulation
