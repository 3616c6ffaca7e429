// Unit tests of the dashboard's pure parts: sessions and access, CSV,
// periods, the HTTP status of each code, and the change feed's waiting and
// gaps; the JSON API over HTTP at a test clock, its bodies read back as their
// federation/v1/dashboard.proto messages.
#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "services/common/client.h"
#include "services/common/status.h"
#include "services/common/transport.h"
#include "services/common/validation.h"
#include "services/dashboard/backend.h"
#include "services/dashboard/change_feed.h"
#include "services/dashboard/csv.h"
#include "services/dashboard/http_api.h"
#include "services/dashboard/http_util.h"
#include "services/dashboard/https_server.h"
#include "services/dashboard/session.h"
#include "services/dashboard/session_store.h"
#include "services/dashboard/view_cache.h"
#include "tests/support/test_env.h"
#include "tests/support/test_tls.h"

namespace dashboard {
namespace {

// The dashboard's verifier of the test issuer's tokens (audience "dashboard").
const fed::TokenVerifier& kSigner = fedtest::TestVerifier("dashboard");

std::string Token(v1::Role role, const std::string& org, absl::Duration ttl = absl::Hours(1),
                  const std::string& subject = "tester") {
  fed::TokenRequest request;
  request.subject = subject;
  request.organization_code = org;
  request.role = role;
  request.lifetime = ttl;
  return fedtest::TestIssuer().Issue(request, absl::Now())->token;
}

LoginGrant Grant(v1::Role role, const std::string& org, absl::Duration ttl = absl::Hours(1)) {
  auto grant = VerifyLogin(kSigner, Token(role, org, ttl), absl::Now());
  EXPECT_TRUE(grant.ok()) << grant.status();
  return grant.ok() ? *grant : LoginGrant();
}

TEST(SessionTest, TheCookieIsHttpOnlyStrictAndSecureOverTls) {
  const std::string plain = SetCookie("abc", 60, /*secure=*/false);
  EXPECT_NE(plain.find("fed_session=abc;"), std::string::npos) << plain;
  EXPECT_NE(plain.find("HttpOnly"), std::string::npos);
  EXPECT_NE(plain.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(plain.find("Secure"), std::string::npos);
  EXPECT_NE(SetCookie("abc", 60, true).find("; Secure"), std::string::npos);
  EXPECT_NE(ClearCookie(true).find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(CookieValue("a=b; fed_session=xyz; c=d", kSessionCookie), "xyz");
}

TEST(SessionStoreTest, AnOpaqueRandomIdFindsItsPrincipalAndIsNoToken) {
  SessionStore store;
  const absl::Time now = absl::Now();
  const SessionStore::Opened a = store.Open(Grant(v1::ROLE_VIEWER, "VUSTA"), now);
  const SessionStore::Opened b = store.Open(Grant(v1::ROLE_VIEWER, "VUSTA"), now);
  EXPECT_EQ(a.id.size(), 43u) << "32 bytes, base64url without padding";
  EXPECT_EQ(
      a.id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos)
      << a.id;
  EXPECT_NE(a.id, b.id);
  auto who = store.Find(a.id, now);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->role, v1::ROLE_VIEWER);
  EXPECT_EQ(who->organization_code, "VUSTA");
  // Whoever steals the cookie cannot call a gRPC service with it...
  EXPECT_EQ(kSigner.Verify(a.id, now).status().code(), absl::StatusCode::kUnauthenticated);
  // ...and a token is no session.
  EXPECT_EQ(store.Find(Token(v1::ROLE_VIEWER, "VUSTA"), now).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(store.Find("", now).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(SessionStoreTest, ASessionEndsWithItsTokenAndAfterTwelveHoursAndIsSwept) {
  SessionStore store;
  const absl::Time now = absl::Now();
  const auto short_lived = store.Open(Grant(v1::ROLE_VIEWER, "VUSTA", absl::Minutes(5)), now);
  EXPECT_LE(short_lived.max_age_seconds, 300);
  EXPECT_GT(short_lived.max_age_seconds, 0);
  EXPECT_TRUE(store.Find(short_lived.id, now + absl::Minutes(4)).ok());
  EXPECT_EQ(store.Find(short_lived.id, now + absl::Minutes(6)).status().code(),
            absl::StatusCode::kUnauthenticated);
  const auto long_lived = store.Open(Grant(v1::ROLE_VIEWER, "VUSTA", absl::Hours(24 * 30)), now);
  EXPECT_EQ(long_lived.max_age_seconds, 12 * 3600);
  EXPECT_TRUE(store.Find(long_lived.id, now + absl::Hours(11)).ok());
  EXPECT_EQ(store.Find(long_lived.id, now + absl::Hours(13)).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(store.Sweep(now + absl::Minutes(6)), 1u);
  EXPECT_EQ(store.size(), 1u);
  EXPECT_TRUE(store.Find(long_lived.id, now + absl::Minutes(6)).ok());
  EXPECT_EQ(store.Sweep(now + absl::Hours(13)), 1u);
  EXPECT_EQ(store.size(), 0u);
}

TEST(SessionStoreTest, LogoutDeletesTheSession) {
  SessionStore store;
  const absl::Time now = absl::Now();
  const auto session = store.Open(Grant(v1::ROLE_VIEWER, "VUSTA"), now);
  const auto other = store.Open(Grant(v1::ROLE_PROVINCE_REPORTER, "14"), now);
  EXPECT_TRUE(store.Close(session.id));
  EXPECT_EQ(store.Find(session.id, now).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_FALSE(store.Close(session.id));
  EXPECT_TRUE(store.Find(other.id, now).ok()) << "only that session ends";
}

TEST(SessionStoreTest, AFullStoreLogsTheOldestSessionOut) {
  SessionStore::Limits limits;
  limits.max_sessions = 2;
  SessionStore store(limits);
  const absl::Time now = absl::Now();
  const auto first = store.Open(Grant(v1::ROLE_VIEWER, "VUSTA"), now);
  const auto second = store.Open(Grant(v1::ROLE_VIEWER, "VUSTA"), now);
  const auto third = store.Open(Grant(v1::ROLE_VIEWER, "VUSTA"), now);
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(store.Find(first.id, now).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(store.Find(second.id, now).ok());
  EXPECT_TRUE(store.Find(third.id, now).ok());
}

TEST(SessionStoreTest, ASessionHoldsAtMostFourLiveStreams) {
  SessionStore store;
  const absl::Time now = absl::Now();
  const auto session = store.Open(Grant(v1::ROLE_VIEWER, "VUSTA"), now);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(store.BeginStream(session.id, now).ok()) << i;
  EXPECT_EQ(store.BeginStream(session.id, now).code(), absl::StatusCode::kResourceExhausted);
  store.EndStream(session.id);
  EXPECT_TRUE(store.BeginStream(session.id, now).ok()) << "a closed stream frees its place";
  // Another session has its own four.
  const auto other = store.Open(Grant(v1::ROLE_VIEWER, "VUSTA"), now);
  EXPECT_TRUE(store.BeginStream(other.id, now).ok());
  store.Close(session.id);
  EXPECT_EQ(store.BeginStream(session.id, now).code(), absl::StatusCode::kUnauthenticated);
  store.EndStream(session.id);  // a stream that outlived its session ends quietly
}

TEST(SessionTest, BadTokensAreRefusedAJudgeSeesNoReports) {
  EXPECT_EQ(VerifyLogin(kSigner, "fed1.garbage.sig", absl::Now()).status().code(),
            absl::StatusCode::kUnauthenticated);
  // The test issuer's kid, another key.
  fed::TokenIssuer other("test", fed::SigningKey::Generate());
  EXPECT_EQ(
      VerifyLogin(kSigner, other.SignClaims(fedtest::ClaimsFor(v1::ROLE_VIEWER, "VUSTA", "x")),
                  absl::Now())
          .status()
          .code(),
      absl::StatusCode::kUnauthenticated);
  // A judge logs in for their assignments, and sees no board and no province,
  // not even the one they come from.
  auto judge = VerifyLogin(kSigner, Token(v1::ROLE_JUDGE, "14"), absl::Now());
  ASSERT_TRUE(judge.ok()) << judge.status();
  EXPECT_FALSE(SeesNationalBoard(judge->principal));
  EXPECT_FALSE(MaySeeOrganization(judge->principal, "14"));
}

TEST(SessionTest, AProvinceSeesOnlyItself) {
  auto grant =
      VerifyLogin(kSigner, "Bearer " + Token(v1::ROLE_PROVINCE_REPORTER, "14"), absl::Now());
  ASSERT_TRUE(grant.ok()) << grant.status();
  EXPECT_FALSE(SeesNationalBoard(grant->principal));
  EXPECT_TRUE(MaySeeOrganization(grant->principal, "14"));
  EXPECT_FALSE(MaySeeOrganization(grant->principal, "20"));
  fed::Principal reviewer{"r", "VUSTA", v1::ROLE_NATIONAL_REVIEWER};
  EXPECT_TRUE(MaySeeOrganization(reviewer, "20"));
}

TEST(ContestScopeTest, NationalRolesSeeAllAProvinceOnlyItself) {
  fed::Principal viewer{"v", "VUSTA", v1::ROLE_VIEWER};
  fed::Principal province{"p", "14", v1::ROLE_PROVINCE_REPORTER};
  fed::Principal judge{"j", "20", v1::ROLE_JUDGE};
  EXPECT_EQ(*ContestStatisticsScope(viewer, ""), "");
  EXPECT_EQ(*ContestStatisticsScope(viewer, "20"), "20");
  // The service identity the dashboard calls with would see everything; a
  // province's staff get their own figures whatever they ask for.
  EXPECT_EQ(*ContestStatisticsScope(province, ""), "14");
  EXPECT_EQ(*ContestStatisticsScope(province, "14"), "14");
  EXPECT_EQ(ContestStatisticsScope(province, "20").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ContestStatisticsScope(judge, "").status().code(), absl::StatusCode::kPermissionDenied);
}

v1::GetRankingResponse TwoClusters() {
  v1::GetRankingResponse out;
  for (auto [number, codes] : {std::pair<int, std::vector<std::string>>{1, {"10", "14"}},
                               std::pair<int, std::vector<std::string>>{2, {"20", "25"}}}) {
    v1::ClusterRanking* r = out.add_rankings();
    r->set_cluster_number(number);
    for (const auto& code : codes) r->add_entries()->set_organization_code(code);
  }
  return out;
}

std::vector<int> Numbers(const v1::GetRankingResponse& r) {
  std::vector<int> out;
  for (const auto& c : r.rankings()) out.push_back(c.cluster_number());
  return out;
}

TEST(RankingScopeTest, NationalRolesSeeEveryClusterAProvinceOnlyItsOwn) {
  fed::Principal viewer{"v", "VUSTA", v1::ROLE_VIEWER};
  fed::Principal province{"p", "14", v1::ROLE_PROVINCE_REPORTER};
  fed::Principal outside{"p", "99", v1::ROLE_PROVINCE_REPORTER};
  fed::Principal judge{"j", "20", v1::ROLE_JUDGE};
  auto all = TwoClusters();
  ASSERT_TRUE(ScopeRankings(viewer, 0, &all).ok());
  EXPECT_EQ(Numbers(all), (std::vector<int>{1, 2}));
  auto one = TwoClusters();
  ASSERT_TRUE(ScopeRankings(viewer, 2, &one).ok());
  EXPECT_EQ(Numbers(one), (std::vector<int>{2}));
  // The dashboard asks with its service identity; a province's staff get
  // their own cluster's ranking whatever they ask for, never another one.
  auto own = TwoClusters();
  ASSERT_TRUE(ScopeRankings(province, 0, &own).ok());
  EXPECT_EQ(Numbers(own), (std::vector<int>{1}));
  auto asked = TwoClusters();
  ASSERT_TRUE(ScopeRankings(province, 1, &asked).ok());
  EXPECT_EQ(Numbers(asked), (std::vector<int>{1}));
  auto other = TwoClusters();
  EXPECT_EQ(ScopeRankings(province, 2, &other).code(), absl::StatusCode::kPermissionDenied);
  auto none = TwoClusters();
  EXPECT_EQ(ScopeRankings(outside, 0, &none).code(), absl::StatusCode::kPermissionDenied);
  auto judged = TwoClusters();
  EXPECT_EQ(ScopeRankings(judge, 0, &judged).code(), absl::StatusCode::kPermissionDenied);
}

TEST(CsvTest, QuotesAndDefusesFormulas) {
  EXPECT_EQ(CsvCell("Sơn La"), "Sơn La");
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvCell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(CsvCell("@SUM"), "'@SUM");
  EXPECT_EQ(CsvCell("-3.5"), "-3.5");
  EXPECT_EQ(CsvRow({"1", "x\ny"}), "1,\"x\ny\"\r\n");
}

TEST(PeriodsTest, HalfYearsRunToToday) {
  auto periods = HalfYearsUpTo(absl::CivilDay(2025, 3, 1));
  ASSERT_FALSE(periods.empty());
  EXPECT_EQ(periods.front(), "2019H1");
  EXPECT_EQ(periods.back(), "2025H1");
  EXPECT_EQ(HalfYearsUpTo(absl::CivilDay(2025, 7, 1)).back(), "2025H2");
}

TEST(HttpStatusTest, MapsEveryCodeOfTheReadmeTable) {
  EXPECT_EQ(HttpStatusOf(absl::InvalidArgumentError("")), 400);
  EXPECT_EQ(HttpStatusOf(absl::UnauthenticatedError("")), 401);
  EXPECT_EQ(HttpStatusOf(absl::PermissionDeniedError("")), 403);
  EXPECT_EQ(HttpStatusOf(absl::NotFoundError("")), 404);
  EXPECT_EQ(HttpStatusOf(absl::AlreadyExistsError("")), 409);
  EXPECT_EQ(HttpStatusOf(absl::FailedPreconditionError("")), 400);
  EXPECT_EQ(HttpStatusOf(absl::AbortedError("")), 409);
  EXPECT_EQ(HttpStatusOf(absl::ResourceExhaustedError("")), 429);
  EXPECT_EQ(HttpStatusOf(absl::UnavailableError("")), 503);
  EXPECT_EQ(HttpStatusOf(absl::InternalError("")), 500);
}

TEST(DefaultPeriodTest, NearestDeadlineOfAHalfYearThatHasEnded) {
  // 29 November: 2026H2 is still running; 2026H1 closed on 15 July.
  EXPECT_EQ(DefaultBoardPeriod(absl::CivilDay(2026, 11, 29)), "2026H1");
  // 3 January: 2026H2 has ended and is due on 15 January.
  EXPECT_EQ(DefaultBoardPeriod(absl::CivilDay(2027, 1, 3)), "2026H2");
  // 30 June is still in H1; 1 July opens H1's reporting.
  EXPECT_EQ(DefaultBoardPeriod(absl::CivilDay(2026, 6, 30)), "2025H2");
  EXPECT_EQ(DefaultBoardPeriod(absl::CivilDay(2026, 7, 1)), "2026H1");
}

// A registry and an aggregator in the test process that know one period's
// board: two provinces (one accepted, one missing) in one cluster.
class FakeRegistry final : public v1::RegistryService::Service {
  grpc::Status ListClusters(grpc::ServerContext*, const v1::ListClustersRequest* req,
                            v1::ListClustersResponse* res) override {
    v1::EmulationCluster* cluster = res->add_clusters();
    cluster->set_year(req->year());
    cluster->set_number(8);
    cluster->set_name("Cụm 8 - Bắc Sông Hậu");
    cluster->add_member_codes("14");
    cluster->add_member_codes("20");
    cluster->set_head_code("14");
    return grpc::Status::OK;
  }
};

class FakeAggregator final : public v1::AggregatorService::Service {
  grpc::Status GetCompleteness(grpc::ServerContext*, const v1::CompletenessRequest* req,
                               v1::CompletenessResponse* res) override {
    res->set_period(req->period());
    res->set_due_date("2025-07-15");
    res->set_expected(2);
    res->set_submitted(1);
    res->set_accepted(1);
    res->add_missing_codes("20");
    v1::ReporterStatus* accepted = res->add_reporters();
    accepted->set_organization_code("14");
    accepted->set_organization_name("LHH Sơn La");
    accepted->set_state(v1::REPORT_STATE_ACCEPTED);
    accepted->set_latest_revision(2);
    v1::ReporterStatus* missing = res->add_reporters();
    missing->set_organization_code("20");
    missing->set_organization_name("LHH Thái Nguyên");
    return grpc::Status::OK;
  }
};

// A reporting service that shows what reached it: the authorization header
// of each call, and how many calls came.
class FakeReporting final : public v1::ReportingService::Service {
 public:
  grpc::Status GetDraft(grpc::ServerContext* ctx, const v1::GetDraftRequest* req,
                        v1::Report* res) override {
    Seen(ctx);
    res->set_organization_code(req->organization_code());
    res->set_period(req->period());
    res->set_state(v1::REPORT_STATE_DRAFT);
    res->set_draft_version(3);
    return grpc::Status::OK;
  }
  grpc::Status SaveDraft(grpc::ServerContext* ctx, const v1::SaveDraftRequest* req,
                         v1::Report*) override {
    Seen(ctx);
    if (req->report().draft_version() == 1) {
      return fed::ToGrpcStatus(absl::AbortedError("the draft was saved by clerk-a (version 2)"));
    }
    fed::Violations v;
    v.Add("values[0]", "must not be negative");
    v.Add("narrative.recommendations[0].number", "must be 1");
    return fed::ToGrpcStatus(v.ToStatus());
  }

  int calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }
  std::string last_authorization() {
    absl::MutexLock lock(&mu_);
    return last_authorization_;
  }

 private:
  void Seen(grpc::ServerContext* ctx) {
    absl::MutexLock lock(&mu_);
    ++calls_;
    auto it = ctx->client_metadata().find("authorization");
    last_authorization_ =
        it == ctx->client_metadata().end() ? "" : std::string(it->second.data(), it->second.size());
  }
  absl::Mutex mu_;
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
  std::string last_authorization_ ABSL_GUARDED_BY(mu_);
};

// `body` read back as the message it must be; fails the test when it is not
// one (an unknown key, a value of the wrong type).
template <typename Message>
Message Parse(const std::string& body) {
  Message message;
  auto status = google::protobuf::util::JsonStringToMessage(body, &message);
  EXPECT_TRUE(status.ok()) << status << ": " << body;
  return message;
}

// The dashboard's HTTP API served over HTTPS (the test run's "dashboard"
// certificate) on a loopback port at a test clock. Its gRPC services are
// nowhere to be reached (what it answers alone is its own), or the fakes
// above.
class DashboardHttpTest : public ::testing::Test {
 protected:
  void StartAt(absl::Time now, bool with_fakes = false) {
    auto nowhere = fed::OpenChannel("127.0.0.1:1");
    auto registry = nowhere, aggregator = nowhere;
    if (with_fakes) {
      int port = 0;
      grpc::ServerBuilder builder;
      builder.AddListeningPort(
          "127.0.0.1:0", fed::ServerCredentialsFor(fedtest::TestTransport("registry")), &port);
      builder.RegisterService(&fake_registry_);
      builder.RegisterService(&fake_aggregator_);
      builder.RegisterService(&fake_reporting_);
      fakes_ = builder.BuildAndStart();
      ASSERT_GT(port, 0);
      registry = aggregator = fed::OpenChannel(absl::StrCat("127.0.0.1:", port));
    }
    backend_ = std::make_unique<Backend>(registry, aggregator, nullptr, nullptr, registry);
    feed_ = std::make_unique<ChangeFeed>(backend_.get(), 10);
    HttpOptions options;
    options.clock = [now] { return now; };
    options.secure_cookie = true;
    // Only a kick (a session ending) wakes a quiet stream in these tests.
    options.heartbeat = absl::Hours(1);
    api_ = std::make_unique<HttpApi>(backend_.get(), feed_.get(), &kSigner, &sessions_, options);
    auto server = NewHttpServer(fedtest::TestTransport("dashboard"));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    api_->Register(*server_);
    port_ = server_->bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    // Connections wait in the bound socket's backlog until the loop accepts them.
    serving_ = std::thread([this] { server_->listen_after_bind(); });
  }

  void TearDown() override {
    if (feed_) feed_->Stop();  // ends the live streams a failed test left open
    if (server_) server_->stop();
    if (serving_.joinable()) serving_.join();
    if (fakes_) fakes_->Shutdown();
  }

  // A client that trusts the test run's authority only, and checks that the
  // certificate names 127.0.0.1.
  std::unique_ptr<httplib::SSLClient> Client() {
    auto client = std::make_unique<httplib::SSLClient>("127.0.0.1", port_);
    client->set_ca_cert_path((fedtest::TestTlsDir() + "/ca.crt").c_str());
    client->enable_server_certificate_verification(true);
    client->set_read_timeout(60, 0);
    return client;
  }

  // The Cookie header of a session of `subject`, `role` of `org`.
  std::string SessionCookie(v1::Role role, const std::string& org,
                            const std::string& subject = "tester") {
    auto grant = VerifyLogin(kSigner, Token(role, org, absl::Hours(1), subject), absl::Now());
    EXPECT_TRUE(grant.ok()) << grant.status();
    if (!grant.ok()) return "";
    return absl::StrCat(kSessionCookie, "=", sessions_.Open(*grant, absl::Now()).id);
  }

  // GET `path` logged in as `subject`, `role` of `org` (no session when role
  // is unspecified).
  httplib::Result Get(const std::string& path, v1::Role role = v1::ROLE_VIEWER,
                      const std::string& org = "VUSTA", const std::string& subject = "tester") {
    httplib::Headers headers;
    if (role != v1::ROLE_UNSPECIFIED) headers.emplace("Cookie", SessionCookie(role, org, subject));
    return Client()->Get(path.c_str(), headers);
  }

  // POST /api/login with `token` as the page sends it.
  httplib::Result PostLogin(const std::string& token) {
    return Client()->Post("/api/login", absl::StrCat("{\"token\":\"", token, "\"}"),
                          "application/json");
  }

  // A session as the page holds it: its cookie, its anti-forgery token and
  // the login token the person signed in with.
  struct PageSession {
    std::string cookie;
    std::string csrf;
    std::string token;
  };
  PageSession OpenPageSession(v1::Role role, const std::string& org, const std::string& subject) {
    PageSession page;
    page.token = Token(role, org, absl::Hours(1), subject);
    auto grant = VerifyLogin(kSigner, page.token, absl::Now());
    EXPECT_TRUE(grant.ok()) << grant.status();
    if (!grant.ok()) return page;
    const std::string id = sessions_.Open(*grant, absl::Now()).id;
    page.cookie = absl::StrCat(kSessionCookie, "=", id);
    auto session = sessions_.FindSession(id, absl::Now());
    EXPECT_TRUE(session.ok());
    if (session.ok()) page.csrf = session->csrf_token;
    return page;
  }

  // POST `path` with `body` as the page sends it; `csrf` "" sends no header.
  httplib::Result PostCall(const std::string& path, const std::string& body,
                           const PageSession& page, const std::string& csrf) {
    httplib::Headers headers{{"Cookie", page.cookie}};
    if (!csrf.empty()) headers.emplace("X-CSRF-Token", csrf);
    return Client()->Post(path.c_str(), headers, body, "application/json");
  }

  std::string MeAt(absl::Time now) {
    StartAt(now);
    auto res = Get("/api/me");
    EXPECT_TRUE(res) << "no answer";
    if (!res) return "";
    EXPECT_EQ(res->status, 200) << res->body;
    return res->body;
  }

  FakeRegistry fake_registry_;
  FakeAggregator fake_aggregator_;
  FakeReporting fake_reporting_;
  std::unique_ptr<grpc::Server> fakes_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<ChangeFeed> feed_;
  SessionStore sessions_;
  std::unique_ptr<HttpApi> api_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread serving_;
};

TEST_F(DashboardHttpTest, HalfPastMidnightInVietnamIsAlreadyTheNextDay) {
  // 00:30 on 15 July in Vietnam is 17:30 on 14 July in UTC.
  const std::string me =
      MeAt(absl::FromCivil(absl::CivilSecond(2026, 7, 14, 17, 30, 0), absl::UTCTimeZone()));
  EXPECT_NE(me.find("\"today\":\"2026-07-15\""), std::string::npos) << me;
  EXPECT_NE(me.find("\"defaultPeriod\":\"2026H1\""), std::string::npos) << me;
  EXPECT_NE(me.find("\"2026H1\":\"2026-07-15\""), std::string::npos) << "its due date: " << me;
}

TEST_F(DashboardHttpTest, LateNovemberOpensOnTheFirstHalfNotTheRunningOne) {
  const std::string me =
      MeAt(absl::FromCivil(absl::CivilSecond(2026, 11, 29, 9, 0, 0), absl::UTCTimeZone()));
  EXPECT_NE(me.find("\"today\":\"2026-11-29\""), std::string::npos) << me;
  EXPECT_NE(me.find("\"defaultPeriod\":\"2026H1\""), std::string::npos) << me;
  EXPECT_NE(me.find("\"2026H2\""), std::string::npos)
      << "the running half-year stays selectable: " << me;
}

// The README's status-code table as the page sees it: the HTTP status and the
// code's name in the JSON body, for each code the dashboard itself produces.
TEST_F(DashboardHttpTest, StatusCodesOfTheJsonApi) {
  StartAt(absl::Now());
  struct Case {
    const char* what;
    std::string path;
    v1::Role role;
    std::string org;
    int http;
    const char* code;
  };
  const Case cases[] = {
      {"a period that is not one", "/api/board?period=2025H3", v1::ROLE_VIEWER, "VUSTA", 400,
       "INVALID_ARGUMENT"},
      {"no session", "/api/board?period=2025H1", v1::ROLE_UNSPECIFIED, "", 401, "UNAUTHENTICATED"},
      {"a province on the national board", "/api/board?period=2025H1", v1::ROLE_PROVINCE_REPORTER,
       "14", 403, "PERMISSION_DENIED"},
      {"the aggregator unreachable", "/api/board?period=2025H1", v1::ROLE_VIEWER, "VUSTA", 503,
       "UNAVAILABLE"},
      {"a judge on the live report feed", "/api/events", v1::ROLE_JUDGE, "14", 403,
       "PERMISSION_DENIED"},
      {"a judge on their own organisation's page", "/api/province?code=14&period=2025H1",
       v1::ROLE_JUDGE, "14", 403, "PERMISSION_DENIED"},
  };
  for (const Case& c : cases) {
    auto res = Get(c.path, c.role, c.org);
    ASSERT_TRUE(res) << c.what;
    EXPECT_EQ(res->status, c.http) << c.what << ": " << res->body;
    EXPECT_NE(res->body.find(absl::StrCat("\"code\":\"", c.code, "\"")), std::string::npos)
        << c.what << ": " << res->body;
  }
}

TEST_F(DashboardHttpTest, MeIsAMeResponseWithThePeriodsAndTheirDeadlines) {
  const v1::MeResponse me = Parse<v1::MeResponse>(
      MeAt(absl::FromCivil(absl::CivilSecond(2026, 7, 14, 17, 30, 0), absl::UTCTimeZone())));
  EXPECT_EQ(me.subject(), "tester");
  EXPECT_EQ(me.organization_code(), "VUSTA");
  EXPECT_EQ(me.role(), v1::ROLE_VIEWER);
  EXPECT_TRUE(me.national());
  EXPECT_EQ(me.today(), "2026-07-15");
  EXPECT_EQ(me.default_period(), "2026H1");
  ASSERT_FALSE(me.periods().empty());
  EXPECT_EQ(me.periods(0), "2019H1");
  EXPECT_EQ(me.periods(me.periods_size() - 1), "2026H2");
  EXPECT_EQ(me.due_dates().at("2026H1"), "2026-07-15");
  EXPECT_EQ(me.due_dates_size(), me.periods_size());
  // No ranking or competition service behind this dashboard: the page hides them.
  EXPECT_FALSE(me.features().rankings());
  EXPECT_FALSE(me.features().contests());
  EXPECT_FALSE(me.catalog().indicators().empty());
}

// Whatever a token's subject holds comes back as that text, and never as
// markup a page could run.
TEST_F(DashboardHttpTest, MarkupInASubjectComesBackAsText) {
  StartAt(absl::Now());
  // (No control characters: no token carries them.)
  const std::string subject = "<script>\"&' Thanh Hoá";
  auto res = Get("/api/me", v1::ROLE_VIEWER, "VUSTA", subject);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(res->body.find("<script>"), std::string::npos) << res->body;
  EXPECT_EQ(Parse<v1::MeResponse>(res->body).subject(), subject);
}

TEST_F(DashboardHttpTest, BoardIsABoardResponseWithEveryReporterAndTheClusters) {
  StartAt(absl::Now(), /*with_fakes=*/true);
  auto res = Get("/api/board?period=2025H1");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  const v1::BoardResponse board = Parse<v1::BoardResponse>(res->body);
  EXPECT_EQ(board.period(), "2025H1");
  EXPECT_EQ(board.completeness().expected(), 2);
  EXPECT_EQ(board.completeness().accepted(), 1);
  ASSERT_EQ(board.completeness().reporters_size(), 2);
  EXPECT_EQ(board.completeness().reporters(0).organization_name(), "LHH Sơn La");
  EXPECT_EQ(board.completeness().reporters(0).state(), v1::REPORT_STATE_ACCEPTED);
  ASSERT_EQ(board.clusters().clusters_size(), 1);
  EXPECT_EQ(board.clusters().clusters(0).year(), 2025);
  EXPECT_EQ(board.clusters().clusters(0).head_code(), "14");
  // The page compares the board's change-feed position as a string and
  // reads a missing province's state, zero values included.
  EXPECT_NE(res->body.find("\"sequence\":\"0\""), std::string::npos) << res->body;
  EXPECT_NE(res->body.find("\"state\":\"REPORT_STATE_UNSPECIFIED\""), std::string::npos)
      << res->body;
}

TEST_F(DashboardHttpTest, ARefusalIsADashboardErrorNamingItsCode) {
  StartAt(absl::Now());
  auto res = Get("/api/province?code=20&period=2025H1", v1::ROLE_PROVINCE_REPORTER, "14");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  const v1::DashboardError error = Parse<v1::DashboardError>(res->body);
  EXPECT_EQ(error.code(), "PERMISSION_DENIED");
  EXPECT_EQ(error.error(), "you may see your own province only");
}

TEST_F(DashboardHttpTest, ThePagesCallsCarryThePersonsOwnTokenNotTheDashboards) {
  StartAt(absl::Now(), /*with_fakes=*/true);
  const PageSession clerk = OpenPageSession(v1::ROLE_PROVINCE_REPORTER, "14", "clerk-a");
  auto res = PostCall("/api/call/reporting/GetDraft",
                      R"({"organizationCode":"14","period":"2025H1"})", clerk, clerk.csrf);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const v1::Report draft = Parse<v1::Report>(res->body);
  EXPECT_EQ(draft.organization_code(), "14");
  EXPECT_EQ(draft.draft_version(), 3);
  // The service judges the person: it received their login, and only it.
  EXPECT_EQ(fake_reporting_.last_authorization(), absl::StrCat("Bearer ", clerk.token));
}

TEST_F(DashboardHttpTest, AChangeWithoutTheSessionsAntiForgeryTokenIsRefusedUnmade) {
  StartAt(absl::Now(), /*with_fakes=*/true);
  const PageSession clerk = OpenPageSession(v1::ROLE_PROVINCE_REPORTER, "14", "clerk-a");
  const PageSession other = OpenPageSession(v1::ROLE_PROVINCE_REPORTER, "14", "clerk-b");
  const std::string body = R"({"report":{"organizationCode":"14","period":"2025H1"}})";
  for (const std::string& csrf : {std::string(), other.csrf, std::string("x")}) {
    auto res = PostCall("/api/call/reporting/SaveDraft", body, clerk, csrf);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403) << res->body;
    EXPECT_EQ(Parse<v1::DashboardError>(res->body).code(), "PERMISSION_DENIED");
  }
  EXPECT_EQ(fake_reporting_.calls(), 0) << "nothing reached the service";

  // And /api/me hands the page its own token.
  httplib::Headers headers{{"Cookie", clerk.cookie}};
  auto me = Client()->Get("/api/me", headers);
  ASSERT_TRUE(me);
  EXPECT_EQ(Parse<v1::MeResponse>(me->body).csrf_token(), clerk.csrf);
  EXPECT_NE(clerk.csrf, other.csrf);
}

TEST_F(DashboardHttpTest, AServicesRefusalReachesThePageWithEveryFieldAndItsConflicts) {
  StartAt(absl::Now(), /*with_fakes=*/true);
  const PageSession clerk = OpenPageSession(v1::ROLE_PROVINCE_REPORTER, "14", "clerk-a");
  auto res = PostCall("/api/call/reporting/SaveDraft",
                      R"({"report":{"organizationCode":"14","period":"2025H1","draftVersion":2}})",
                      clerk, clerk.csrf);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;
  const v1::DashboardError error = Parse<v1::DashboardError>(res->body);
  EXPECT_EQ(error.code(), "INVALID_ARGUMENT");
  ASSERT_EQ(error.violations_size(), 2) << res->body;
  EXPECT_EQ(error.violations(0).field(), "values[0]");
  EXPECT_EQ(error.violations(0).description(), "must not be negative");
  EXPECT_EQ(error.violations(1).field(), "narrative.recommendations[0].number");

  // A draft saved by someone else since is a conflict the person sees, not
  // an outage to retry.
  res = PostCall("/api/call/reporting/SaveDraft",
                 R"({"report":{"organizationCode":"14","period":"2025H1","draftVersion":1}})",
                 clerk, clerk.csrf);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 409) << res->body;
  EXPECT_EQ(Parse<v1::DashboardError>(res->body).code(), "ABORTED");
  EXPECT_NE(res->body.find("clerk-a (version 2)"), std::string::npos) << res->body;
}

TEST_F(DashboardHttpTest, OnlyOfferedMethodsWithWellFormedBodiesAreCalled) {
  StartAt(absl::Now(), /*with_fakes=*/true);
  const PageSession admin = OpenPageSession(v1::ROLE_NATIONAL_ADMIN, "VUSTA", "admin");
  struct Case {
    const char* what;
    std::string path;
    std::string body;
    int http;
  };
  const Case cases[] = {
      {"a registry write", "/api/call/registry/CreateOrganization", "{}", 404},
      {"a method not offered", "/api/call/aggregator/PushReports", "{}", 404},
      {"a misspelt field", "/api/call/reporting/GetDraft", R"({"organisationCode":"14"})", 400},
      {"not JSON", "/api/call/reporting/GetDraft", "organizationCode=14", 400},
  };
  for (const Case& c : cases) {
    auto res = PostCall(c.path, c.body, admin, admin.csrf);
    ASSERT_TRUE(res) << c.what;
    EXPECT_EQ(res->status, c.http) << c.what << ": " << res->body;
  }
  EXPECT_EQ(fake_reporting_.calls(), 0);
  const std::vector<std::string> offered = backend_->person_calls().Offered();
  // 8 reporting, 7 aggregator, 20 competition and the 23 of the emulation service.
  EXPECT_EQ(offered.size(), 58u);
  EXPECT_EQ(std::count(offered.begin(), offered.end(), "aggregator/PushReports"), 0);
}

// The Cookie header that a Set-Cookie value sends back.
std::string CookieOf(const std::string& set_cookie) {
  return set_cookie.substr(0, set_cookie.find(';'));
}

TEST_F(DashboardHttpTest, ALoginOverTlsSetsASecureHttpOnlyStrictCookieHoldingNoToken) {
  StartAt(absl::Now());
  auto res = PostLogin(Token(v1::ROLE_VIEWER, "VUSTA"));
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  ASSERT_EQ(res->status, 200) << res->body;
  const std::string set_cookie = res->get_header_value("Set-Cookie");
  EXPECT_NE(set_cookie.find("; Secure"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("; HttpOnly"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("; SameSite=Strict"), std::string::npos) << set_cookie;
  const std::string id = CookieValue(CookieOf(set_cookie), kSessionCookie);
  EXPECT_EQ(id.size(), 43u) << set_cookie;
  EXPECT_EQ(kSigner.Verify(id, absl::Now()).status().code(), absl::StatusCode::kUnauthenticated);
  auto me = Client()->Get("/api/me", {{"Cookie", CookieOf(set_cookie)}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200) << me->body;
  // A token where the cookie belongs opens nothing.
  auto forged = Client()->Get(
      "/api/me", {{"Cookie", absl::StrCat(kSessionCookie, "=", Token(v1::ROLE_VIEWER, "VUSTA"))}});
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 401) << forged->body;
}

TEST_F(DashboardHttpTest, TheHttpsPortRefusesPlainHttpAndAnUntrustingClient) {
  StartAt(absl::Now());
  httplib::Client plain("127.0.0.1", port_);
  plain.set_read_timeout(10, 0);
  auto res = plain.Get("/healthz");
  EXPECT_FALSE(res && res->status == 200) << "plain HTTP answered on the HTTPS port";
  // A client that does not trust the suite's authority fails the handshake.
  httplib::SSLClient stranger("127.0.0.1", port_);
  stranger.enable_server_certificate_verification(true);
  stranger.set_ca_cert_path("/nonexistent/ca.crt");
  EXPECT_FALSE(stranger.Get("/healthz"));
  auto trusted = Client()->Get("/healthz");
  ASSERT_TRUE(trusted) << httplib::to_string(trusted.error());
  EXPECT_EQ(trusted->status, 200);
}

TEST_F(DashboardHttpTest, LoggingInAgainEndsTheSessionTheCookieReplaces) {
  StartAt(absl::Now());
  const std::string old_cookie = SessionCookie(v1::ROLE_VIEWER, "VUSTA");
  auto login = Client()->Post("/api/login", {{"Cookie", old_cookie}},
                              absl::StrCat("{\"token\":\"", Token(v1::ROLE_VIEWER, "VUSTA"), "\"}"),
                              "application/json");
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200) << login->body;
  auto old_me = Client()->Get("/api/me", {{"Cookie", old_cookie}});
  ASSERT_TRUE(old_me);
  EXPECT_EQ(old_me->status, 401);
  auto new_me =
      Client()->Get("/api/me", {{"Cookie", CookieOf(login->get_header_value("Set-Cookie"))}});
  ASSERT_TRUE(new_me);
  EXPECT_EQ(new_me->status, 200);
  EXPECT_EQ(sessions_.size(), 1u);
}

TEST_F(DashboardHttpTest, ALoggedOutCookieGets401) {
  StartAt(absl::Now());
  auto login = PostLogin(Token(v1::ROLE_VIEWER, "VUSTA"));
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200) << login->body;
  const httplib::Headers cookie = {{"Cookie", CookieOf(login->get_header_value("Set-Cookie"))}};
  auto before = Client()->Get("/api/me", cookie);
  ASSERT_TRUE(before);
  EXPECT_EQ(before->status, 200);
  auto logout = Client()->Post("/api/logout", cookie, "{}", "application/json");
  ASSERT_TRUE(logout);
  EXPECT_EQ(logout->status, 200);
  EXPECT_NE(logout->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  // The browser would drop the cookie; one that kept it is refused anyway.
  auto after = Client()->Get("/api/me", cookie);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 401) << after->body;
  EXPECT_EQ(Parse<v1::DashboardError>(after->body).code(), "UNAUTHENTICATED");
}

// A live-update stream of `cookie` read on its own thread until the server
// ends it; `hello` is notified once the stream has started.
class Stream {
 public:
  Stream(std::unique_ptr<httplib::SSLClient> client, const std::string& cookie)
      : client_(std::move(client)) {
    thread_ = std::thread([this, cookie] {
      httplib::Result result =
          client_->Get("/api/events", {{"Cookie", cookie}}, [this](const char* data, size_t size) {
            received_.append(data, size);
            if (!hello_.HasBeenNotified() && received_.find("event: hello") != std::string::npos) {
              hello_.Notify();
            }
            return true;
          });
      status_ = result ? result->status : 0;
      error_ = httplib::to_string(result.error());
      if (!hello_.HasBeenNotified()) hello_.Notify();  // refused: nothing to wait for
    });
  }
  ~Stream() { EndedByServer(); }

  void WaitForHello() { hello_.WaitForNotification(); }
  // Waits until the server ends the stream (or the client's 60 s read
  // timeout); true when the server ended it with 200.
  bool EndedByServer() {
    if (thread_.joinable()) thread_.join();
    return status_ == 200;
  }
  const std::string& error() const { return error_; }

 private:
  std::unique_ptr<httplib::SSLClient> client_;
  std::string received_;
  absl::Notification hello_;
  int status_ = 0;
  std::string error_;
  std::thread thread_;
};

TEST_F(DashboardHttpTest, LoggingOutClosesTheSessionsLiveStreams) {
  StartAt(absl::Now());
  const std::string cookie = SessionCookie(v1::ROLE_VIEWER, "VUSTA");
  Stream stream(Client(), cookie);
  stream.WaitForHello();
  auto logout = Client()->Post("/api/logout", {{"Cookie", cookie}}, "{}", "application/json");
  ASSERT_TRUE(logout);
  EXPECT_EQ(logout->status, 200);
  // The heartbeat is an hour away: only the logout can end it.
  EXPECT_TRUE(stream.EndedByServer()) << stream.error();
}

TEST_F(DashboardHttpTest, ASweptSessionsStreamIsClosed) {
  StartAt(absl::Now());
  const std::string cookie = SessionCookie(v1::ROLE_VIEWER, "VUSTA");
  Stream stream(Client(), cookie);
  stream.WaitForHello();
  api_->SweepSessions(absl::Now() + absl::Minutes(30));
  EXPECT_EQ(sessions_.size(), 1u) << "not expired yet";
  // Past the token's hour: the sweep removes the session and ends its stream.
  api_->SweepSessions(absl::Now() + absl::Hours(2));
  EXPECT_EQ(sessions_.size(), 0u);
  EXPECT_TRUE(stream.EndedByServer()) << stream.error();
  auto after = Client()->Get("/api/me", {{"Cookie", cookie}});
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 401);
}

TEST_F(DashboardHttpTest, TheFifthLiveStreamOfASessionGets429) {
  StartAt(absl::Now());
  const std::string cookie = SessionCookie(v1::ROLE_VIEWER, "VUSTA");
  std::vector<std::unique_ptr<Stream>> streams;
  for (int i = 0; i < 4; ++i) {
    streams.push_back(std::make_unique<Stream>(Client(), cookie));
    streams.back()->WaitForHello();
  }
  auto fifth = Client()->Get("/api/events", {{"Cookie", cookie}});
  ASSERT_TRUE(fifth);
  EXPECT_EQ(fifth->status, 429) << fifth->body;
  EXPECT_EQ(Parse<v1::DashboardError>(fifth->body).code(), "RESOURCE_EXHAUSTED");
  // Another session of the same person has its own.
  const std::string other_cookie = SessionCookie(v1::ROLE_VIEWER, "VUSTA");
  Stream other(Client(), other_cookie);
  other.WaitForHello();
  for (const std::string& c : {cookie, other_cookie}) {
    auto logout = Client()->Post("/api/logout", {{"Cookie", c}}, "{}", "application/json");
    ASSERT_TRUE(logout);
  }
  for (auto& stream : streams) EXPECT_TRUE(stream->EndedByServer()) << stream->error();
  EXPECT_TRUE(other.EndedByServer()) << other.error();
}

v1::ReportChange Change(int64_t seq, const std::string& org) {
  v1::ReportChange c;
  c.set_sequence(seq);
  c.set_organization_code(org);
  return c;
}

TEST(ViewCacheTest, OneBuildPerMoveOfTheFeedHoweverManyAskAtOnce) {
  ViewCache views(absl::Minutes(1), 8);
  absl::Notification release;
  std::atomic<int> calls{0};
  const auto slow_build = [&]() -> absl::StatusOr<std::string> {
    ++calls;
    release.WaitForNotification();
    return std::string("{\"v\":1}");
  };
  // Twenty viewers ask for the same view while its first build is slow:
  // one build answers them all.
  std::vector<std::thread> viewers;
  std::atomic<int> answered{0};
  for (int i = 0; i < 20; ++i) {
    viewers.emplace_back([&] {
      auto json = views.Get("board/2025H1", 7, true, slow_build);
      if (json.ok() && *json == "{\"v\":1}") ++answered;
    });
  }
  absl::SleepFor(absl::Milliseconds(200));
  release.Notify();
  for (auto& t : viewers) t.join();
  EXPECT_EQ(answered, 20);
  EXPECT_EQ(calls, 1);

  // Kept while the feed stands still; rebuilt when it moves; another view
  // is built on its own.
  const auto build = [&]() -> absl::StatusOr<std::string> {
    ++calls;
    return absl::StrCat("{\"calls\":", calls.load(), "}");
  };
  EXPECT_EQ(*views.Get("board/2025H1", 7, true, build), "{\"v\":1}");
  EXPECT_EQ(*views.Get("board/2025H1", 8, true, build), "{\"calls\":2}");
  EXPECT_EQ(*views.Get("totals/2025H1", 8, true, build), "{\"calls\":3}");
  // Before the feed has caught up nothing is kept.
  EXPECT_EQ(*views.Get("coverage/2025H1", 8, false, build), "{\"calls\":4}");
  EXPECT_EQ(*views.Get("coverage/2025H1", 8, false, build), "{\"calls\":5}");
  // A failed build is not kept: the next request builds again.
  EXPECT_FALSE(views
                   .Get("board/2025H2", 8, true,
                        []() -> absl::StatusOr<std::string> {
                          return absl::UnavailableError("aggregator down");
                        })
                   .ok());
  EXPECT_EQ(*views.Get("board/2025H2", 8, true, build), "{\"calls\":6}");
}

TEST(ViewCacheTest, WhileOneRequestRebuildsAViewTheOthersGetTheOneKept) {
  ViewCache views(absl::Minutes(1), 8);
  const auto first = []() -> absl::StatusOr<std::string> { return std::string("seq 7"); };
  ASSERT_EQ(*views.Get("board/2025H1", 7, true, first), "seq 7");
  // The feed moved: one request rebuilds, slowly...
  absl::Notification building, release;
  std::thread rebuilder([&] {
    auto json = views.Get("board/2025H1", 8, true, [&]() -> absl::StatusOr<std::string> {
      building.Notify();
      release.WaitForNotification();
      return std::string("seq 8");
    });
    EXPECT_EQ(*json, "seq 8");
  });
  building.WaitForNotification();
  // ... and another viewer meanwhile gets the board of sequence 7 at once,
  // without a build of its own.
  EXPECT_EQ(*views.Get("board/2025H1", 8, true,
                       []() -> absl::StatusOr<std::string> { return std::string("unwanted"); }),
            "seq 7");
  release.Notify();
  rebuilder.join();
  EXPECT_EQ(*views.Get("board/2025H1", 8, true,
                       []() -> absl::StatusOr<std::string> { return std::string("unwanted"); }),
            "seq 8");
  EXPECT_EQ(views.builds(), 2);
}

TEST(ViewCacheTest, AViewIsRebuiltAfterItsMaximumAgeEvenIfTheFeedStoodStill) {
  ViewCache views(absl::Milliseconds(50), 8);
  int calls = 0;
  const auto build = [&]() -> absl::StatusOr<std::string> { return absl::StrCat(++calls); };
  EXPECT_EQ(*views.Get("board/2025H1", 3, true, build), "1");
  EXPECT_EQ(*views.Get("board/2025H1", 3, true, build), "1");
  absl::SleepFor(absl::Milliseconds(80));
  EXPECT_EQ(*views.Get("board/2025H1", 3, true, build), "2");
}

TEST(ChangeFeedTest, WaitersWakeOnNewsAndSeeGapsWhenTheyFallBehind) {
  ChangeFeed feed(nullptr, /*keep=*/3);
  feed.Append({Change(1, "14"), Change(2, "20")});
  EXPECT_EQ(feed.head(), 2);
  auto batch = feed.WaitAfter(0, absl::ZeroDuration());
  ASSERT_EQ(batch.changes.size(), 2u);
  EXPECT_FALSE(batch.gap);

  std::thread later([&] {
    absl::SleepFor(absl::Milliseconds(50));
    feed.Append({Change(3, "14")});
  });
  batch = feed.WaitAfter(2, absl::Seconds(10));
  later.join();
  ASSERT_EQ(batch.changes.size(), 1u);
  EXPECT_EQ(batch.changes[0].sequence(), 3);

  feed.Append({Change(4, "01"), Change(5, "01")});  // 1 and 2 fall out
  EXPECT_TRUE(feed.WaitAfter(0, absl::ZeroDuration()).gap);
  EXPECT_FALSE(feed.WaitAfter(2, absl::ZeroDuration()).gap);
  // A repeated change is not appended twice.
  feed.Append({Change(5, "01")});
  EXPECT_EQ(feed.WaitAfter(4, absl::ZeroDuration()).changes.size(), 1u);
}

// A service behind the dashboard that is down is a 503 that names it, never
// an empty board or an empty province page.
TEST(BackendTest, AServiceThatIsDownIsUnavailableNamingIt) {
  auto nowhere = fed::OpenChannel("127.0.0.1:1");
  Backend backend(nowhere, nowhere, nowhere, nowhere);
  auto board = backend.Completeness("2025H1");
  ASSERT_FALSE(board.ok());
  EXPECT_EQ(board.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(board.status().message().find("aggregator unavailable"), absl::string_view::npos)
      << board.status();
  EXPECT_EQ(HttpStatusOf(board.status()), 503);
  auto profile = backend.Profile("14", 2025);
  ASSERT_FALSE(profile.ok());
  EXPECT_NE(profile.status().message().find("registry unavailable"), absl::string_view::npos)
      << profile.status();
  auto rankings = backend.Rankings("2025H1", 0);
  EXPECT_EQ(rankings.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace dashboard
