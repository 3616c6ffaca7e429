// gRPC face of the competition service: every call is authenticated and
// forwarded to Competition on the worker pool (see services/common/unary.h).
#pragma once

#include <grpcpp/impl/service_type.h>

#include "federation/v1/competition.grpc.pb.h"
#include "services/common/unary.h"
#include "services/competition/competition.h"

namespace competition {

class CompetitionGrpcService final : public v1::CompetitionService::CallbackService {
 public:
  CompetitionGrpcService(Competition* logic, fed::CallContext call) : logic_(logic), call_(call) {}

  grpc::ServerUnaryReactor* CreateContest(grpc::CallbackServerContext* ctx,
                                          const v1::CreateContestRequest* request,
                                          v1::Contest* response) override;
  grpc::ServerUnaryReactor* UpdateContest(grpc::CallbackServerContext* ctx,
                                          const v1::UpdateContestRequest* request,
                                          v1::Contest* response) override;
  grpc::ServerUnaryReactor* GetContest(grpc::CallbackServerContext* ctx,
                                       const v1::GetContestRequest* request,
                                       v1::Contest* response) override;
  grpc::ServerUnaryReactor* ListContests(grpc::CallbackServerContext* ctx,
                                         const v1::ListContestsRequest* request,
                                         v1::ListContestsResponse* response) override;
  grpc::ServerUnaryReactor* TransitionContest(grpc::CallbackServerContext* ctx,
                                              const v1::TransitionContestRequest* request,
                                              v1::Contest* response) override;
  grpc::ServerUnaryReactor* ListContestHistory(grpc::CallbackServerContext* ctx,
                                               const v1::ListContestHistoryRequest* request,
                                               v1::ListContestHistoryResponse* response) override;
  grpc::ServerUnaryReactor* SubmitEntry(grpc::CallbackServerContext* ctx,
                                        const v1::SubmitEntryRequest* request,
                                        v1::Entry* response) override;
  grpc::ServerUnaryReactor* WithdrawEntry(grpc::CallbackServerContext* ctx,
                                          const v1::WithdrawEntryRequest* request,
                                          v1::Entry* response) override;
  grpc::ServerUnaryReactor* GetEntry(grpc::CallbackServerContext* ctx,
                                     const v1::GetEntryRequest* request,
                                     v1::Entry* response) override;
  grpc::ServerUnaryReactor* ListEntries(grpc::CallbackServerContext* ctx,
                                        const v1::ListEntriesRequest* request,
                                        v1::ListEntriesResponse* response) override;
  grpc::ServerUnaryReactor* AddJudge(grpc::CallbackServerContext* ctx,
                                     const v1::AddJudgeRequest* request,
                                     v1::Judge* response) override;
  grpc::ServerUnaryReactor* ListJudges(grpc::CallbackServerContext* ctx,
                                       const v1::ListJudgesRequest* request,
                                       v1::ListJudgesResponse* response) override;
  grpc::ServerUnaryReactor* AutoAssign(grpc::CallbackServerContext* ctx,
                                       const v1::AutoAssignRequest* request,
                                       v1::AutoAssignResponse* response) override;
  grpc::ServerUnaryReactor* AssignJudge(grpc::CallbackServerContext* ctx,
                                        const v1::AssignJudgeRequest* request,
                                        v1::AssignJudgeResponse* response) override;
  grpc::ServerUnaryReactor* ListAssignments(grpc::CallbackServerContext* ctx,
                                            const v1::ListAssignmentsRequest* request,
                                            v1::ListAssignmentsResponse* response) override;
  grpc::ServerUnaryReactor* SubmitScoreSheet(grpc::CallbackServerContext* ctx,
                                             const v1::SubmitScoreSheetRequest* request,
                                             v1::ScoreSheet* response) override;
  grpc::ServerUnaryReactor* ListScoreSheets(grpc::CallbackServerContext* ctx,
                                            const v1::ListScoreSheetsRequest* request,
                                            v1::ListScoreSheetsResponse* response) override;
  grpc::ServerUnaryReactor* GetResults(grpc::CallbackServerContext* ctx,
                                       const v1::GetResultsRequest* request,
                                       v1::GetResultsResponse* response) override;
  grpc::ServerUnaryReactor* NominateEntry(grpc::CallbackServerContext* ctx,
                                          const v1::NominateEntryRequest* request,
                                          v1::Entry* response) override;
  grpc::ServerUnaryReactor* GetEntryHistory(grpc::CallbackServerContext* ctx,
                                            const v1::GetEntryHistoryRequest* request,
                                            v1::EntryHistory* response) override;
  grpc::ServerUnaryReactor* GetStatistics(grpc::CallbackServerContext* ctx,
                                          const v1::StatisticsRequest* request,
                                          v1::StatisticsResponse* response) override;
  grpc::ServerUnaryReactor* GetReportingFigures(grpc::CallbackServerContext* ctx,
                                                const v1::ReportingFiguresRequest* request,
                                                v1::ReportingFiguresResponse* response) override;

 private:
  Competition* logic_;
  fed::CallContext call_;
};

}  // namespace competition
