// Attacks with identities: a province_reporter token that names no
// organisation, hoping that "is this the caller's organisation?" matches
// everything; tokens for another service, expired or revoked; a provincial
// system's certificate pushing for another province. And the issuer key's
// rotation, which must not log anyone out.
#include <fstream>
#include <functional>
#include <thread>

#include "federation/v1/competition.grpc.pb.h"
#include "federation/v1/ranking.grpc.pb.h"
#include "services/common/signing_keys.h"
#include "services/common/transport.h"
#include "tests/security/security_fixture.h"
#include "tests/support/test_tls.h"

namespace {

namespace v1 = federation::v1;

using fedtest::SecurityTest;

using Call = std::function<grpc::Status(std::unique_ptr<grpc::ClientContext>)>;

// Attack: a province_reporter token with an empty organisation code, used
// on every service of the suite.
// Guards fed::TokenVerifier::Verify (services/common/tokens.cc), where every
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

// Attack: a token minted for the registry (a provincial clerk's directory
// tool) used to push reports to the aggregator; and a token past its expiry.
TEST_F(SecurityTest, TokensForAnotherServiceOrExpiredAreRefusedAndNothingIsWritten) {
  fed::TokenRequest request;
  request.subject = "clerk-14";
  request.organization_code = "14";
  request.role = v1::ROLE_PROVINCE_REPORTER;
  request.audiences = {"registry"};
  auto registry_only = fedtest::TestIssuer().Issue(request, absl::Now());
  ASSERT_TRUE(registry_only.ok());
  grpc::Status status;
  auto acks = Push({MakeReport("14", "2024H1", 1, {{"workshops", 3}})},
                   fed::OutgoingContext(registry_only->token, absl::Seconds(20)), &status);
  EXPECT_TRUE(acks.empty());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("not meant for aggregator"));

  v1::AccessTokenClaims expired = fedtest::ClaimsFor(v1::ROLE_PROVINCE_REPORTER, "14", "clerk-14");
  expired.set_iat(expired.iat() - 7200);
  expired.set_exp(expired.iat() + 3600);
  acks = Push({MakeReport("14", "2024H1", 1, {{"workshops", 3}})},
              fed::OutgoingContext(fedtest::TestIssuer().SignClaims(expired), absl::Seconds(20)),
              &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("expired"));

  v1::Report stored;
  EXPECT_EQ(GetReport(Reviewer(), "14", "2024H1", &stored).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// Attack: a token that leaked (a clerk left, a laptop was lost) used after
// the office revoked it. The running services read the revocation list again
// within a second, without a restart.
TEST_F(SecurityTest, ARevokedTokenStopsWorkingWithinSeconds) {
  fed::TokenRequest request;
  request.subject = "clerk-14-laptop";
  request.organization_code = "14";
  request.role = v1::ROLE_PROVINCE_REPORTER;
  auto leaked = fedtest::TestIssuer().Issue(request, absl::Now());
  ASSERT_TRUE(leaked.ok());
  auto as_leaked = [&] { return fed::OutgoingContext(leaked->token, absl::Seconds(20)); };
  ASSERT_EQ(Push({MakeReport("14", "2024H1", 1, {{"workshops", 3}})}, as_leaked())
                .begin()
                ->second.outcome(),
            v1::PUSH_OUTCOME_STORED);

  std::ofstream(dir_ + "/token-keys/revoked", std::ios::app) << "jti " << leaked->jti << "\n";
  grpc::Status status;
  for (int attempt = 0; attempt < 50; ++attempt) {  // up to 5 s, usually ~1
    Push({}, as_leaked(), &status);
    if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("revoked"));
  auto acks = Push({MakeReport("14", "2024H1", 2, {{"workshops", 3}})}, as_leaked(), &status);
  EXPECT_TRUE(acks.empty());
  // Revision 2 never arrived; the province's other tokens still work.
  v1::Report latest;
  ASSERT_TRUE(GetReport(Reviewer(), "14", "2024H1", &latest).ok());
  EXPECT_EQ(latest.revision(), 1);
  EXPECT_EQ(PushOwn(MakeReport("14", "2024H1", 2, {{"workshops", 3}})).outcome(),
            v1::PUSH_OUTCOME_STORED);
}

// Rotation: a second issuer key appears in the services' key directory. New
// tokens (its kid) work at once, tokens of the old key until they expire;
// nobody restarts anything.
TEST_F(SecurityTest, RotatingTheIssuerKeyLogsNobodyOut) {
  ASSERT_TRUE(fed::WriteNewKeyPair(dir_ + "/issuer", dir_ + "/token-keys", "rotated").ok());
  auto rotated = fed::TokenIssuer::FromKeyFile(dir_ + "/issuer/rotated.key");
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  fed::TokenRequest request;
  request.subject = "reviewer-after-rotation";
  request.organization_code = "VUSTA";
  request.role = v1::ROLE_NATIONAL_REVIEWER;
  auto fresh = rotated->Issue(request, absl::Now());
  ASSERT_TRUE(fresh.ok());
  // The key directory is read again at most once a second for a new kid.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  v1::TotalsRequest totals;
  totals.set_period("2024H1");
  v1::TotalsResponse out;
  grpc::Status with_new = aggregator_stub_->GetTotals(
      fed::OutgoingContext(fresh->token, absl::Seconds(20)).get(), totals, &out);
  EXPECT_TRUE(with_new.ok()) << with_new.error_message();
  grpc::Status with_old = aggregator_stub_->GetTotals(Reviewer().get(), totals, &out);
  EXPECT_TRUE(with_old.ok()) << with_old.error_message();
  // A key nobody put in the directory is still nobody's.
  fed::TokenIssuer stranger("stranger", fed::SigningKey::Generate());
  grpc::Status forged = aggregator_stub_->GetTotals(
      fed::OutgoingContext(stranger.Issue(request, absl::Now())->token, absl::Seconds(20)).get(),
      totals, &out);
  EXPECT_EQ(forged.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

// A provincial system with its own certificate (province-14) pushes without
// any token; it cannot push for 20, nor carry 20's token on its connection.
TEST_F(SecurityTest, AProvincialCertificatePushesOnlyForItsProvince) {
  auto channel = fed::OpenChannelWith(fedtest::TestTransport("province-14"), aggregator_address_);
  auto stub = v1::AggregatorService::NewStub(channel);
  auto push = [&](const v1::Report& report, const std::string& token, grpc::Status* end) {
    auto ctx = fed::OutgoingContext(token, absl::Seconds(20));
    auto stream = stub->PushReports(ctx.get());
    v1::PushedReport pushed;
    pushed.set_client_ref("one");
    *pushed.mutable_report() = report;
    stream->Write(pushed);
    stream->WritesDone();
    v1::PushAck ack;
    if (!stream->Read(&ack)) ack.set_outcome(v1::PUSH_OUTCOME_UNSPECIFIED);
    *end = stream->Finish();
    return ack;
  };
  grpc::Status end;
  EXPECT_EQ(push(MakeReport("14", "2024H1", 1, {{"workshops", 3}}), "", &end).outcome(),
            v1::PUSH_OUTCOME_STORED);
  EXPECT_TRUE(end.ok()) << end.error_message();
  v1::PushAck other = push(MakeReport("20", "2024H1", 1, {{"workshops", 9}}), "", &end);
  EXPECT_EQ(other.outcome(), v1::PUSH_OUTCOME_DENIED);
  // 20's own token on 14's connection: refused before anything is read.
  push(MakeReport("20", "2024H1", 1, {{"workshops", 9}}),
       fedtest::TestToken(v1::ROLE_PROVINCE_REPORTER, "20"), &end);
  EXPECT_EQ(end.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(end.error_message(), ::testing::HasSubstr("province-14"));
  v1::Report stored;
  EXPECT_EQ(GetReport(Reviewer(), "20", "2024H1", &stored).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // The certificate reads what province 14 may read, and no more.
  ASSERT_TRUE(GetReport(Reviewer(), "14", "2024H1", &stored).ok());
  v1::GetReportRequest theirs;
  theirs.set_organization_code("20");
  theirs.set_period("2024H1");
  auto ctx = fed::OutgoingContext("", absl::Seconds(20));
  EXPECT_EQ(stub->GetReport(ctx.get(), theirs, &stored).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
