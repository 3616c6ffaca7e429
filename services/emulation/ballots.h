// The arithmetic of secret ballots: whether a tally adds up and meets its
// quorum, and whom it elects under the year's rule (ballot.proto). Pure
// functions: the rule is data, so the same code serves the 2017 decree's
// ninety percent of all members and a council's majority of those present.
#pragma once

#include <set>
#include <string>

#include "absl/time/civil_time.h"
#include "federation/v1/ballot.pb.h"
#include "federation/v1/emulation.pb.h"
#include "services/common/validation.h"

namespace emulation {

namespace v1 = federation::v1;

// The least whole number of votes that meets `share` of `base` (reaches it,
// or exceeds it when `more_than`).
int VotesNeeded(double share, int base, bool more_than);

// Adds to `v`, under `field` ("tally."), every way the tally fails: counts
// out of range, more present than entitled, more ballots than voters, valid
// and invalid not adding up to the ballots issued, more votes than valid
// ballots allow, no quorum, a candidate named twice or not in `eligible`.
// `open_seats` is how many each valid ballot may choose; a vote held after
// `today` is refused.
void CheckTally(const v1::BallotTally& tally, const v1::BallotRule& rule, int open_seats,
                const std::set<std::string>& eligible, absl::CivilDay today,
                const std::string& field, fed::Violations& v);

// Whom a checked tally elects to `open_seats` seats: candidates reaching the
// threshold, most votes first; when candidates tie for the last seat the
// outcome is TIE and they are listed for a re-ballot (a tie is never broken
// by the code). Round and times are the caller's to set.
v1::Ballot CountBallot(const v1::BallotTally& tally, const v1::BallotRule& rule, int open_seats);

// The council's vote on a dossier: members, present and the present's votes
// adding up, and the quorum.
void CheckCouncilVote(const v1::CouncilVote& vote, const v1::BallotRule& rule,
                      const std::string& field, fed::Violations& v);
// Whether a checked vote approves, and the arithmetic in words.
bool CouncilApproves(const v1::CouncilVote& vote, const v1::BallotRule& rule,
                     std::string* explanation);

}  // namespace emulation
