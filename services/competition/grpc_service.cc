#include "services/competition/grpc_service.h"

namespace competition {

grpc::ServerUnaryReactor* CompetitionGrpcService::CreateContest(
    grpc::CallbackServerContext* ctx, const v1::CreateContestRequest* request,
    v1::Contest* response) {
  return fed::ServeMethod(ctx, call_, "CreateContest", logic_, &Competition::CreateContest, request,
                          response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::UpdateContest(
    grpc::CallbackServerContext* ctx, const v1::UpdateContestRequest* request,
    v1::Contest* response) {
  return fed::ServeMethod(ctx, call_, "UpdateContest", logic_, &Competition::UpdateContest, request,
                          response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::GetContest(grpc::CallbackServerContext* ctx,
                                                             const v1::GetContestRequest* request,
                                                             v1::Contest* response) {
  return fed::ServeMethod(ctx, call_, "GetContest", logic_, &Competition::GetContest, request,
                          response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::ListContests(
    grpc::CallbackServerContext* ctx, const v1::ListContestsRequest* request,
    v1::ListContestsResponse* response) {
  return fed::ServeMethod(ctx, call_, "ListContests", logic_, &Competition::ListContests, request,
                          response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::TransitionContest(
    grpc::CallbackServerContext* ctx, const v1::TransitionContestRequest* request,
    v1::Contest* response) {
  return fed::ServeMethod(ctx, call_, "TransitionContest", logic_, &Competition::TransitionContest,
                          request, response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::ListContestHistory(
    grpc::CallbackServerContext* ctx, const v1::ListContestHistoryRequest* request,
    v1::ListContestHistoryResponse* response) {
  return fed::ServeMethod(ctx, call_, "ListContestHistory", logic_,
                          &Competition::ListContestHistory, request, response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::SubmitEntry(grpc::CallbackServerContext* ctx,
                                                              const v1::SubmitEntryRequest* request,
                                                              v1::Entry* response) {
  return fed::ServeMethod(ctx, call_, "SubmitEntry", logic_, &Competition::SubmitEntry, request,
                          response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::WithdrawEntry(
    grpc::CallbackServerContext* ctx, const v1::WithdrawEntryRequest* request,
    v1::Entry* response) {
  return fed::ServeMethod(ctx, call_, "WithdrawEntry", logic_, &Competition::WithdrawEntry, request,
                          response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::GetEntry(grpc::CallbackServerContext* ctx,
                                                           const v1::GetEntryRequest* request,
                                                           v1::Entry* response) {
  return fed::ServeMethod(ctx, call_, "GetEntry", logic_, &Competition::GetEntry, request,
                          response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::ListEntries(grpc::CallbackServerContext* ctx,
                                                              const v1::ListEntriesRequest* request,
                                                              v1::ListEntriesResponse* response) {
  return fed::ServeMethod(ctx, call_, "ListEntries", logic_, &Competition::ListEntries, request,
                          response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::AddJudge(grpc::CallbackServerContext* ctx,
                                                           const v1::AddJudgeRequest* request,
                                                           v1::Judge* response) {
  return fed::ServeMethod(ctx, call_, "AddJudge", logic_, &Competition::AddJudge, request,
                          response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::ListJudges(grpc::CallbackServerContext* ctx,
                                                             const v1::ListJudgesRequest* request,
                                                             v1::ListJudgesResponse* response) {
  return fed::ServeMethod(ctx, call_, "ListJudges", logic_, &Competition::ListJudges, request,
                          response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::AutoAssign(grpc::CallbackServerContext* ctx,
                                                             const v1::AutoAssignRequest* request,
                                                             v1::AutoAssignResponse* response) {
  return fed::ServeMethod(ctx, call_, "AutoAssign", logic_, &Competition::AutoAssign, request,
                          response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::AssignJudge(grpc::CallbackServerContext* ctx,
                                                              const v1::AssignJudgeRequest* request,
                                                              v1::AssignJudgeResponse* response) {
  return fed::ServeMethod(ctx, call_, "AssignJudge", logic_, &Competition::AssignJudge, request,
                          response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::ListAssignments(
    grpc::CallbackServerContext* ctx, const v1::ListAssignmentsRequest* request,
    v1::ListAssignmentsResponse* response) {
  return fed::ServeMethod(ctx, call_, "ListAssignments", logic_, &Competition::ListAssignments,
                          request, response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::SubmitScoreSheet(
    grpc::CallbackServerContext* ctx, const v1::SubmitScoreSheetRequest* request,
    v1::ScoreSheet* response) {
  return fed::ServeMethod(ctx, call_, "SubmitScoreSheet", logic_, &Competition::SubmitScoreSheet,
                          request, response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::ListScoreSheets(
    grpc::CallbackServerContext* ctx, const v1::ListScoreSheetsRequest* request,
    v1::ListScoreSheetsResponse* response) {
  return fed::ServeMethod(ctx, call_, "ListScoreSheets", logic_, &Competition::ListScoreSheets,
                          request, response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::GetResults(grpc::CallbackServerContext* ctx,
                                                             const v1::GetResultsRequest* request,
                                                             v1::GetResultsResponse* response) {
  return fed::ServeMethod(ctx, call_, "GetResults", logic_, &Competition::GetResults, request,
                          response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::NominateEntry(
    grpc::CallbackServerContext* ctx, const v1::NominateEntryRequest* request,
    v1::Entry* response) {
  return fed::ServeMethod(ctx, call_, "NominateEntry", logic_, &Competition::NominateEntry, request,
                          response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::GetEntryHistory(
    grpc::CallbackServerContext* ctx, const v1::GetEntryHistoryRequest* request,
    v1::EntryHistory* response) {
  return fed::ServeMethod(ctx, call_, "GetEntryHistory", logic_, &Competition::GetEntryHistory,
                          request, response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::GetStatistics(
    grpc::CallbackServerContext* ctx, const v1::StatisticsRequest* request,
    v1::StatisticsResponse* response) {
  return fed::ServeMethod(ctx, call_, "GetStatistics", logic_, &Competition::GetStatistics, request,
                          response);
}

grpc::ServerUnaryReactor* CompetitionGrpcService::GetReportingFigures(
    grpc::CallbackServerContext* ctx, const v1::ReportingFiguresRequest* request,
    v1::ReportingFiguresResponse* response) {
  return fed::ServeMethod(ctx, call_, "GetReportingFigures", logic_,
                          &Competition::GetReportingFigures, request, response);
}

}  // namespace competition
