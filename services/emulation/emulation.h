// The emulation service's behaviour, independent of gRPC. Each method
// authorises the caller, validates the request (every problem with its
// field), checks the year's state, and makes its change in one transaction:
// the year's next revision, kept beside every earlier one, with its audit
// row. A refusal writes nothing.
#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "federation/v1/emulation.pb.h"
#include "services/common/auth.h"
#include "services/common/db.h"
#include "services/common/validation.h"
#include "services/emulation/sources.h"
#include "services/emulation/storage.h"

namespace emulation {

using fed::Principal;

class Emulation {
 public:
  Emulation(fed::DbPool& db, Sources& sources) : db_(db), sources_(sources) {}

  // Tests move the service's calendar; the service uses Vietnam's today.
  void SetToday(std::function<absl::CivilDay()> today) { today_ = std::move(today); }

  // The year itself (years.cc)
  absl::Status CreateYear(const Principal& who, const v1::CreateYearRequest& req,
                          v1::EmulationYear* out);
  absl::Status GetYear(const Principal& who, const v1::GetYearRequest& req, v1::EmulationYear* out);
  absl::Status ListYears(const Principal& who, const v1::ListYearsRequest& req,
                         v1::ListYearsResponse* out);
  absl::Status Register(const Principal& who, const v1::RegisterRequest& req,
                        v1::EmulationYear* out);
  absl::Status SignCovenant(const Principal& who, const v1::SignCovenantRequest& req,
                            v1::EmulationYear* out);
  absl::Status UploadFile(const Principal& who, const v1::UploadFileRequest& req, v1::FileRef* out);
  absl::Status GetFile(const Principal& who, const v1::GetFileRequest& req, v1::FileContent* out);

  // Self-assessment and cross-check (assessment.cc)
  absl::Status SubmitSelfAssessment(const Principal& who,
                                    const v1::SubmitSelfAssessmentRequest& req,
                                    v1::EmulationYear* out);
  absl::Status CloseSelfAssessment(const Principal& who, const v1::CloseSelfAssessmentRequest& req,
                                   v1::EmulationYear* out);
  absl::Status CrossCheck(const Principal& who, const v1::CrossCheckRequest& req,
                          v1::EmulationYear* out);
  absl::Status AnswerCrossCheck(const Principal& who, const v1::AnswerCrossCheckRequest& req,
                                v1::EmulationYear* out);
  absl::Status CloseCrossCheck(const Principal& who, const v1::CloseCrossCheckRequest& req,
                               v1::EmulationYear* out);
  absl::Status GetAssessment(const Principal& who, const v1::GetAssessmentRequest& req,
                             v1::Assessment* out);

  // The year-end conference's ballots (voting.cc)
  absl::Status RecordBallot(const Principal& who, const v1::RecordBallotRequest& req,
                            v1::EmulationYear* out);
  absl::Status CloseVoting(const Principal& who, const v1::CloseVotingRequest& req,
                           v1::EmulationYear* out);

  // Dossier, review, decision and awards (dossier.cc)
  absl::Status GetDocuments(const Principal& who, const v1::GetDocumentsRequest& req,
                            v1::GetDocumentsResponse* out);
  absl::Status SubmitDossier(const Principal& who, const v1::SubmitDossierRequest& req,
                             v1::EmulationYear* out);
  absl::Status ReviewDossier(const Principal& who, const v1::ReviewDossierRequest& req,
                             v1::EmulationYear* out);
  absl::Status Decide(const Principal& who, const v1::DecideRequest& req, v1::EmulationYear* out);
  absl::Status RecordGovernmentOutcome(const Principal& who,
                                       const v1::RecordGovernmentOutcomeRequest& req,
                                       v1::EmulationYear* out);
  absl::Status PresentAwards(const Principal& who, const v1::PresentAwardsRequest& req,
                             v1::EmulationYear* out);
  absl::Status RevokeYear(const Principal& who, const v1::RevokeYearRequest& req,
                          v1::EmulationYear* out);
  absl::Status ListAwards(const Principal& who, const v1::ListAwardsRequest& req,
                          v1::ListAwardsResponse* out);

 private:
  // One step on a year: loads it under its row lock, lets `step` check and
  // change it (returning a refusal changes nothing), then stores the next
  // revision with `action` in its history and the audit log.
  using Step = std::function<absl::Status(pqxx::work&, storage::StoredYear&)>;
  absl::Status ChangeYear(const Principal& who, const v1::YearKey& key, const std::string& action,
                          const google::protobuf::Message& request, const Step& step,
                          v1::EmulationYear* out);
  // Reads a year for `who` (NOT_FOUND / PERMISSION_DENIED).
  absl::StatusOr<v1::EmulationYear> ReadYear(const Principal& who, const v1::YearKey& key);
  // The year's scheme (its fixed version), from the ranking service once:
  // a scheme version never changes, so every later step reads it here.
  absl::StatusOr<v1::ScoringScheme> SchemeOf(const v1::EmulationYear& year);
  // The three columns of a year already read (GetAssessment, the dossier).
  v1::Assessment AssessmentOf(const v1::EmulationYear& year, const v1::ScoringScheme& scheme);

  absl::CivilDay Today() const;

  fed::DbPool& db_;
  Sources& sources_;
  std::function<absl::CivilDay()> today_;
  absl::Mutex schemes_mu_;
  std::map<std::pair<int, int>, v1::ScoringScheme> schemes_ ABSL_GUARDED_BY(schemes_mu_);
};

// The state a year is in for a reader: a signed year whose start has come
// is in progress.
v1::YearState EffectiveState(const v1::EmulationYear& year, absl::CivilDay today);

// FAILED_PRECONDITION naming the year's state and the states `doing` needs.
absl::Status RequireState(const v1::EmulationYear& year, std::initializer_list<v1::YearState> ok,
                          const std::string& doing);
// Moves the year to `to`, recording who and why in its transitions.
void AdvanceYear(v1::EmulationYear& year, v1::YearState to, const Principal& who,
                 const std::string& note);

// Everyone elected by the rounds of one kind of ballot, in order (voting.cc).
std::vector<std::string> ElectedOf(const v1::EmulationYear& year, v1::BallotKind kind);
// The awards the year's ballots propose (voting.cc).
std::vector<v1::Proposal> ProposalsOf(const v1::EmulationYear& year);

// "2025/cluster 1 (VUSTA)", for messages and audit targets.
std::string YearName(const v1::YearKey& key);

}  // namespace emulation
