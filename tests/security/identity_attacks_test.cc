// Attacks with the token itself: a province_reporter token that names no
// organisation, hoping that "is this the caller's organisation?" matches
// everything, or whatever has an empty code.
#include <functional>

#include "federation/v1/competition.grpc.pb.h"
#include "federation/v1/ranking.grpc.pb.h"
#include "tests/security/security_fixture.h"

namespace {

namespace v1 = federation::v1;

using fedtest::SecurityTest;

using Call = std::function<grpc::Status(std::unique_ptr<grpc::ClientContext>)>;

// Attack: a province_reporter token with an empty organisation code, used
// on every service of the suite.
// Guards fed::TokenSigner::Verify (services/common/auth.cc), where every
// service authenticates: without it, the registry's write check would
// match any organisation recorded without a parent ("" == ""), a
// reporting outbox or feed filtered by the caller's code could mean
// "everyone's", and a refusal naming the caller would name nobody.
TEST_F(SecurityTest, AProvinceTokenWithoutAnOrganisationIsRefusedByEveryService) {
  StartReporting();
  StartRanking();
  StartCompetition();
  auto registry = v1::RegistryService::NewStub(fed::OpenChannel(registry_address_));
  auto ranking = v1::RankingService::NewStub(fed::OpenChannel(ranking_address_));
  auto competition = v1::CompetitionService::NewStub(fed::OpenChannel(competition_address_));

  std::vector<std::pair<std::string, Call>> calls;
  calls.emplace_back("registry GetOrganization", [&](auto ctx) {
    v1::GetOrganizationRequest req;
    req.set_code("20");
    v1::Organization out;
    return registry->GetOrganization(ctx.get(), req, &out);
  });
  calls.emplace_back("registry UpdateOrganization", [&](auto ctx) {
    v1::UpdateOrganizationRequest req;
    req.mutable_organization()->set_code("VUSTA");
    req.mutable_organization()->set_name("Đã bị sửa");
    v1::Organization out;
    return registry->UpdateOrganization(ctx.get(), req, &out);
  });
  calls.emplace_back("aggregator GetTotals", [&](auto ctx) {
    v1::TotalsRequest req;
    req.set_period("2024H1");
    v1::TotalsResponse out;
    return aggregator_stub_->GetTotals(ctx.get(), req, &out);
  });
  calls.emplace_back("aggregator ListChanges", [&](auto ctx) {
    v1::ListChangesResponse out;
    return aggregator_stub_->ListChanges(ctx.get(), v1::ListChangesRequest(), &out);
  });
  calls.emplace_back("aggregator WatchChanges", [&](auto ctx) {
    auto reader = aggregator_stub_->WatchChanges(ctx.get(), v1::WatchChangesRequest());
    v1::WatchChangesResponse answer;
    if (!reader->Read(&answer)) return reader->Finish();  // refused: why
    ctx->TryCancel();  // answered: the call got in; stop following
    reader->Finish();
    return grpc::Status::OK;
  });
  calls.emplace_back("aggregator PushReports", [&](auto ctx) {
    auto stream = aggregator_stub_->PushReports(ctx.get());
    v1::PushedReport pushed;
    *pushed.mutable_report() = MakeReport("14", "2024H1", 1, {{"workshops", 1}});
    stream->Write(pushed);
    stream->WritesDone();
    v1::PushAck ack;
    while (stream->Read(&ack)) {
    }
    return stream->Finish();
  });
  calls.emplace_back("reporting GetOutboxStatus", [&](auto ctx) {
    v1::OutboxStatus out;
    return reporting_stub_->GetOutboxStatus(ctx.get(), v1::GetOutboxStatusRequest(), &out);
  });
  calls.emplace_back("reporting ListReports", [&](auto ctx) {
    v1::ListReportsResponse out;
    return reporting_stub_->ListReports(ctx.get(), v1::ListReportsRequest(), &out);
  });
  calls.emplace_back("ranking ListSchemes", [&](auto ctx) {
    v1::ListSchemesResponse out;
    return ranking->ListSchemes(ctx.get(), v1::ListSchemesRequest(), &out);
  });
  calls.emplace_back("competition ListContests", [&](auto ctx) {
    v1::ListContestsResponse out;
    return competition->ListContests(ctx.get(), v1::ListContestsRequest(), &out);
  });

  for (const auto& [name, call] : calls) {
    const grpc::Status wildcard = call(WithClaims(v1::ROLE_PROVINCE_REPORTER, ""));
    EXPECT_EQ(wildcard.error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << name << ": " << wildcard.error_message();
    // The same call with a province's real token gets past authentication:
    // the refusal above is the empty organisation's.
    const grpc::Status real = call(WithClaims(v1::ROLE_PROVINCE_REPORTER, "14"));
    EXPECT_NE(real.error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << name << ": " << real.error_message();
  }
}

}  // namespace
