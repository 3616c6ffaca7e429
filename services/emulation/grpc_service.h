// gRPC face of the emulation service: every call is authenticated and
// forwarded to Emulation on the worker pool (see services/common/unary.h).
// The methods are listed once (EMULATION_METHODS): each is the same
// forwarding, and a list keeps the 23 of them from drifting apart.
#pragma once

#include <grpcpp/impl/service_type.h>

#include "federation/v1/emulation.grpc.pb.h"
#include "services/common/unary.h"
#include "services/emulation/emulation.h"

namespace emulation {

// X(method, request type, response type)
#define EMULATION_METHODS(X)                                                \
  X(CreateYear, CreateYearRequest, EmulationYear)                           \
  X(GetYear, GetYearRequest, EmulationYear)                                 \
  X(ListYears, ListYearsRequest, ListYearsResponse)                         \
  X(Register, RegisterRequest, EmulationYear)                               \
  X(SignCovenant, SignCovenantRequest, EmulationYear)                       \
  X(UploadFile, UploadFileRequest, FileRef)                                 \
  X(GetFile, GetFileRequest, FileContent)                                   \
  X(SubmitSelfAssessment, SubmitSelfAssessmentRequest, EmulationYear)       \
  X(CloseSelfAssessment, CloseSelfAssessmentRequest, EmulationYear)         \
  X(CrossCheck, CrossCheckRequest, EmulationYear)                           \
  X(AnswerCrossCheck, AnswerCrossCheckRequest, EmulationYear)               \
  X(CloseCrossCheck, CloseCrossCheckRequest, EmulationYear)                 \
  X(RecordBallot, RecordBallotRequest, EmulationYear)                       \
  X(CloseVoting, CloseVotingRequest, EmulationYear)                         \
  X(GetDocuments, GetDocumentsRequest, GetDocumentsResponse)                \
  X(SubmitDossier, SubmitDossierRequest, EmulationYear)                     \
  X(ReviewDossier, ReviewDossierRequest, EmulationYear)                     \
  X(Decide, DecideRequest, EmulationYear)                                   \
  X(RecordGovernmentOutcome, RecordGovernmentOutcomeRequest, EmulationYear) \
  X(PresentAwards, PresentAwardsRequest, EmulationYear)                     \
  X(RevokeYear, RevokeYearRequest, EmulationYear)                           \
  X(GetAssessment, GetAssessmentRequest, Assessment)                        \
  X(ListAwards, ListAwardsRequest, ListAwardsResponse)

class EmulationGrpcService final : public v1::EmulationService::CallbackService {
 public:
  EmulationGrpcService(Emulation* logic, fed::CallContext call) : logic_(logic), call_(call) {}

#define EMULATION_DECLARE(Method, Request, Response)                                             \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* ctx, const v1::Request* request, \
                                   v1::Response* response) override;
  EMULATION_METHODS(EMULATION_DECLARE)
#undef EMULATION_DECLARE

 private:
  Emulation* logic_;
  fed::CallContext call_;
};

}  // namespace emulation
