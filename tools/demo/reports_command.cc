// `fed-demo reports`: loads the demo report history (demo_reports.h) into
// the aggregator through its public API only, as the provinces and the
// national office would: reports go in on PushReports streams as role
// `service`, reviews are AcceptReport / ReturnReport calls as
// `national_reviewer`. Running it again changes nothing: the aggregator
// answers DUPLICATE for revisions it has, and the acknowledgements say where
// each report stands, so decisions already taken are not taken again.
#include <iostream>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "services/common/dates.h"
#include "tools/demo/commands.h"
#include "tools/demo/demo_reports.h"
#include "tools/fedctl/aggregator_client.h"
#include "tools/fedctl/credentials.h"
#include "tools/fedctl/sheet.h"

namespace fedctl::demo {
namespace {

namespace v1 = federation::v1;
using Stub = AggregatorClient::Stub;

constexpr int64_t kDefaultStreamSize = 300;
constexpr int kPushAttempts = 3;
// Long enough for a slow first load; minted tokens never outlive it by much.
constexpr absl::Duration kDemoTokenLifetime = absl::Minutes(30);
constexpr char kResubmissionAccepted[] = "Báo cáo đã được bổ sung, chỉnh sửa theo yêu cầu.";

using Key = std::pair<std::string, std::string>;  // (organisation, period)

struct Standing {
  v1::ReportState state = v1::REPORT_STATE_UNSPECIFIED;
  int32_t latest_revision = 0;
};

struct Tally {
  int sent = 0;
  int streams = 0;
  std::map<v1::PushOutcome, int> outcomes;
  int accepted = 0;
  int returned = 0;
  int already_decided = 0;
  int awaiting_review = 0;
  std::vector<std::string> refusals;  // the first few, for the error message
  absl::Duration pushing;             // time spent in push streams
  absl::Duration reviewing;           // and in review calls
};

std::string RefOf(const v1::Report& report) {
  return absl::StrCat(report.organization_code(), "/", report.period(), "/r", report.revision());
}

class ReportLoader {
 public:
  ReportLoader(AggregatorClient pusher, AggregatorClient reviewer, size_t stream_size)
      : pusher_(std::move(pusher)), reviewer_(std::move(reviewer)), stream_size_(stream_size) {}

  absl::Status Load(const ReportHistory& history);
  const std::string& doing() const { return doing_; }
  const Tally& tally() const { return tally_; }

 private:
  absl::Status Push(const std::vector<const v1::Report*>& reports);
  absl::Status PushStream(const std::vector<const v1::Report*>& reports);
  absl::Status Review(const v1::Report& report, bool accept, const std::string& comment);

  AggregatorClient pusher_;
  AggregatorClient reviewer_;
  size_t stream_size_;
  std::map<Key, Standing> standing_;
  Tally tally_;
  std::string doing_;
};

absl::Status ReportLoader::Load(const ReportHistory& history) {
  // 1. Every first revision.
  std::vector<const v1::Report*> firsts;
  for (const auto& planned : history.reports) firsts.push_back(&planned.first);
  if (auto s = Push(firsts); !s.ok()) return s;

  // 2. The national office reviews them.
  for (const auto& planned : history.reports) {
    const v1::Report& first = planned.first;
    const Standing& now = standing_[{first.organization_code(), first.period()}];
    const bool untouched = now.state == v1::REPORT_STATE_SUBMITTED && now.latest_revision == 1;
    if (planned.review == ReviewPlan::kLeaveSubmitted) {
      if (untouched) ++tally_.awaiting_review;
      continue;
    }
    if (!untouched) {
      ++tally_.already_decided;
      continue;
    }
    const bool accept = planned.review == ReviewPlan::kAccept;
    if (auto s = Review(first, accept, accept ? "" : planned.return_comment); !s.ok()) return s;
  }

  // 3. Returned reports come back as revision 2 ...
  std::vector<const PlannedReport*> resubmitted;
  std::vector<const v1::Report*> seconds;
  for (const auto& planned : history.reports) {
    if (planned.second.revision() == 0) continue;
    const Standing& now = standing_[{planned.first.organization_code(), planned.first.period()}];
    if (now.state == v1::REPORT_STATE_RETURNED || now.latest_revision >= 2) {
      resubmitted.push_back(&planned);
      seconds.push_back(&planned.second);
    }
  }
  if (auto s = Push(seconds); !s.ok()) return s;

  // 4. ... and most of those are accepted.
  for (const PlannedReport* planned : resubmitted) {
    const v1::Report& second = planned->second;
    const Standing& now = standing_[{second.organization_code(), second.period()}];
    const bool untouched = now.state == v1::REPORT_STATE_SUBMITTED && now.latest_revision == 2;
    if (planned->review != ReviewPlan::kReturnThenAccept) {
      if (untouched) ++tally_.awaiting_review;
      continue;
    }
    if (!untouched) {
      ++tally_.already_decided;
      continue;
    }
    if (auto s = Review(second, true, kResubmissionAccepted); !s.ok()) return s;
  }
  doing_.clear();
  return absl::OkStatus();
}

absl::Status ReportLoader::Push(const std::vector<const v1::Report*>& reports) {
  for (size_t start = 0; start < reports.size(); start += stream_size_) {
    const size_t end = std::min(reports.size(), start + stream_size_);
    std::vector<const v1::Report*> chunk(reports.begin() + start, reports.begin() + end);
    if (auto s = PushStream(chunk); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// One stream; reports left without an acknowledgement (the stream broke) are
// sent again on a new one, which is safe because pushes are idempotent.
absl::Status ReportLoader::PushStream(const std::vector<const v1::Report*>& reports) {
  std::map<std::string, const v1::Report*> waiting;
  for (const v1::Report* report : reports) waiting[RefOf(*report)] = report;
  absl::Status last = absl::OkStatus();
  for (int attempt = 1; attempt <= kPushAttempts && !waiting.empty(); ++attempt) {
    std::vector<v1::PushedReport> pushed;
    for (const auto& [ref, report] : waiting) {
      v1::PushedReport& p = pushed.emplace_back();
      p.set_client_ref(ref);
      *p.mutable_report() = *report;
    }
    doing_ =
        absl::StrCat("pushing ", pushed.size(), " reports (", pushed.front().client_ref(), " ...)");
    std::vector<v1::PushAck> acks;
    const absl::Time started = absl::Now();
    last = pusher_.Push(pushed, &acks);
    tally_.pushing += absl::Now() - started;
    ++tally_.streams;
    tally_.sent += static_cast<int>(pushed.size());
    for (const auto& ack : acks) {
      if (waiting.erase(ack.client_ref()) == 0) continue;  // not ours, or twice
      ++tally_.outcomes[ack.outcome()];
      standing_[{ack.organization_code(), ack.period()}] = {ack.state(), ack.latest_revision()};
      if (ack.outcome() != v1::PUSH_OUTCOME_STORED && ack.outcome() != v1::PUSH_OUTCOME_DUPLICATE &&
          tally_.refusals.size() < 5) {
        std::string why = absl::StrCat(ack.client_ref(), ": ", PushOutcomeLabel(ack.outcome()));
        for (const auto& v : ack.violations())
          absl::StrAppend(&why, "; ", v.field(), ": ", v.description());
        tally_.refusals.push_back(why);
      }
    }
    if (!last.ok() && last.code() != absl::StatusCode::kUnavailable &&
        last.code() != absl::StatusCode::kDeadlineExceeded &&
        last.code() != absl::StatusCode::kAborted) {
      return last;  // not worth retrying (unauthenticated, denied, ...)
    }
  }
  if (!waiting.empty()) {
    return last.ok() ? absl::UnavailableError(
                           absl::StrCat(waiting.size(), " reports were never acknowledged"))
                     : last;
  }
  return absl::OkStatus();
}

absl::Status ReportLoader::Review(const v1::Report& report, bool accept,
                                  const std::string& comment) {
  doing_ = absl::StrCat(accept ? "accepting " : "returning ", RefOf(report));
  v1::ReviewRequest request;
  request.set_organization_code(report.organization_code());
  request.set_period(report.period());
  request.set_revision(report.revision());
  request.set_comment(comment);
  v1::Report decided;
  const absl::Time started = absl::Now();
  absl::Status status =
      reviewer_.Call(accept ? &Stub::AcceptReport : &Stub::ReturnReport, request, &decided);
  tally_.reviewing += absl::Now() - started;
  if (!status.ok()) return status;
  ++(accept ? tally_.accepted : tally_.returned);
  standing_[{report.organization_code(), report.period()}] = {decided.state(), report.revision()};
  return absl::OkStatus();
}

// What the history holds, per period: the plan the load carries out.
void PrintPlan(std::ostream& out, const ReportHistory& history) {
  struct Row {
    int reports = 0, late = 0, returned = 0, resubmitted = 0, awaiting = 0, missing = 0;
  };
  std::map<std::string, Row> rows;
  for (const auto& planned : history.reports) {
    Row& row = rows[planned.first.period()];
    ++row.reports;
    if (planned.late) ++row.late;
    if (planned.review != ReviewPlan::kAccept && planned.review != ReviewPlan::kLeaveSubmitted)
      ++row.returned;
    if (planned.second.revision() != 0) ++row.resubmitted;
    if (planned.review == ReviewPlan::kLeaveSubmitted ||
        planned.review == ReviewPlan::kReturnThenResubmit) {
      ++row.awaiting;
    }
  }
  for (const auto& [org, period] : history.missing) ++rows[period].missing;
  Sheet sheet(
      {"period", "reports", "late", "returned", "resubmitted", "awaiting review", "missing"});
  for (const auto& [period, row] : rows) {
    sheet.AddRow({period, absl::StrCat(row.reports), absl::StrCat(row.late),
                  absl::StrCat(row.returned), absl::StrCat(row.resubmitted),
                  absl::StrCat(row.awaiting), absl::StrCat(row.missing)});
  }
  sheet.PrintTable(out);
}

int RunDemoReports(const Invocation& invocation) {
  const int64_t stream_size = invocation.GetCount("stream-size", kDefaultStreamSize);
  if (stream_size < 1 || stream_size > 5000) throw UsageError("--stream-size must be 1 to 5000");
  std::vector<ProvinceRow> rows = ProvinceRowsOf(invocation);
  const ReportHistory history = GenerateReportHistory(rows, fed::Today());
  if (invocation.Switch("dry-run")) {
    PrintPlan(std::cout, history);
    return 0;
  }

  // Two identities: the provinces' systems push (service), the national
  // office reviews (national_reviewer). Both are minted, so the issuer key is needed.
  auto issuer = LoadTokenIssuer(invocation.global());
  if (!issuer.ok()) {
    throw UsageError(
        absl::StrCat("fed-demo reports mints tokens for roles national_admin (whose stated "
                     "submission times count) and national_reviewer: ",
                     issuer.status().message()));
  }
  const std::string user = CurrentUser();
  const std::string target = AggregatorTarget(invocation);
  auto channel = fed::OpenChannel(target);
  AggregatorClient pusher(channel, MintToken(*issuer, absl::StrCat("fedctl-demo-push@", user),
                                             "VUSTA", v1::ROLE_NATIONAL_ADMIN, kDemoTokenLifetime));
  AggregatorClient reviewer(channel,
                            MintToken(*issuer, absl::StrCat("fedctl-demo-review@", user), "VUSTA",
                                      v1::ROLE_NATIONAL_REVIEWER, kDemoTokenLifetime));

  PrintPlan(std::cout, history);
  const absl::Time started = absl::Now();
  ReportLoader loader(std::move(pusher), std::move(reviewer), static_cast<size_t>(stream_size));
  absl::Status status = loader.Load(history);
  const double seconds = absl::ToDoubleSeconds(absl::Now() - started);

  const Tally& t = loader.tally();
  int revisions = 0;
  for (const auto& planned : history.reports)
    revisions += 1 + (planned.second.revision() != 0 ? 1 : 0);
  int refused = 0;
  for (const auto& [outcome, count] : t.outcomes) {
    if (outcome != v1::PUSH_OUTCOME_STORED && outcome != v1::PUSH_OUTCOME_DUPLICATE)
      refused += count;
  }
  auto outcome = [&](v1::PushOutcome o) {
    auto it = t.outcomes.find(o);
    return it == t.outcomes.end() ? 0 : it->second;
  };
  std::ostream& out = status.ok() && refused == 0 ? std::cout : std::cerr;
  out << "\n";
  PrintFields(out, {{"aggregator", target},
                    {"planned",
                     absl::StrCat(history.reports.size(), " reports, ", revisions, " revisions; ",
                                  history.missing.size(), " (organisation, period) left missing")},
                    {"pushed", absl::StrCat(t.sent, " revisions in ", t.streams, " streams")},
                    {"stored", absl::StrCat(outcome(v1::PUSH_OUTCOME_STORED))},
                    {"duplicates", absl::StrCat(outcome(v1::PUSH_OUTCOME_DUPLICATE))},
                    {"refused", absl::StrCat(refused)},
                    {"accepted", absl::StrCat(t.accepted)},
                    {"returned", absl::StrCat(t.returned)},
                    {"already decided", absl::StrCat(t.already_decided)},
                    {"awaiting review", absl::StrCat(t.awaiting_review)},
                    {"missing", absl::StrCat(history.missing.size())},
                    {"time", absl::StrFormat("%.1f s (pushing %.1f s, reviewing %.1f s)", seconds,
                                             absl::ToDoubleSeconds(t.pushing),
                                             absl::ToDoubleSeconds(t.reviewing))}});
  for (const auto& refusal : t.refusals) std::cerr << "refused: " << refusal << "\n";
  if (!status.ok()) return ReportRpcError(loader.doing(), status);
  return refused == 0 ? 0 : 1;
}

}  // namespace

CommandSpec ReportsCommand() {
  CommandSpec command = Command("reports",
                                "Load the demo report history (2019H1-2025H2, reviewed) into the "
                                "aggregator; safe to run again.",
                                RunDemoReports);
  WithProvincesCsvOption(command)
      .Option("stream-size", "N",
              absl::StrCat("reports per PushReports stream (default ", kDefaultStreamSize, ")"))
      .Switch("dry-run", "print what would be loaded, per period, and contact nothing");
  WithAggregatorOption(command);
  return command;
}

}  // namespace fedctl::demo
