// The push storm of the fault tests: 63 provinces push sixteen half-years
// each (1008 reports) as a province's system would, retrying what is not
// acknowledged, while a test breaks something (Storm's `fault`). Every
// acknowledged report must be stored exactly once, every report must arrive
// in the end, and the figures must count each once.
#pragma once

#include <atomic>
#include <cstdio>
#include <map>
#include <set>
#include <thread>

#include <pqxx/pqxx>

#include "absl/synchronization/mutex.h"
#include "services/common/client.h"
#include "services/common/db.h"
#include "tests/integration/suite_fixture.h"

namespace fedtest {

// Sixteen half-years from each of 63 provinces: 1008 reports.
inline const std::vector<std::string> kStormPeriods = {
    "2017H1", "2017H2", "2018H1", "2018H2", "2019H1", "2019H2", "2020H1", "2020H2",
    "2021H1", "2021H2", "2022H1", "2022H2", "2023H1", "2023H2", "2024H1", "2024H2"};

inline int StormWorkshops(const std::string& code, const std::string& period) {
  return (std::stoi(code) * 7 + static_cast<int>(period[5]) + period[3]) % 9 + 1;
}

class StormTest : public SuiteTest {
 protected:
  // One province's pusher, counting what it sent and what came back.
  void PushUntilAcknowledged(const std::string& code, absl::Time deadline) {
    Pushing counted;
    counted.workshops = [&](const std::string& period) { return StormWorkshops(code, period); };
    counted.on_sent = [this] { ++sent_; };
    counted.on_ack = [this, &code](const v1::PushAck& ack) {
      absl::MutexLock lock(&mu_);
      ++acks_;
      outcomes_[ack.outcome()]++;
      if (ack.outcome() == v1::PUSH_OUTCOME_STORED || ack.outcome() == v1::PUSH_OUTCOME_DUPLICATE) {
        acknowledged_.insert({code, ack.period()});
      }
    };
    broken_streams_ += SuiteTest::PushUntilAcknowledged(code, kStormPeriods, deadline, counted);
  }

  // Runs the 63 pushers; `fault` is called once a third of the reports have
  // been sent, while every stream is still writing (acknowledgements are
  // read only after a stream's last write, too late to time a fault by:
  // a fast aggregator has stored nearly everything by then).
  void Storm(const std::function<void()>& fault) {
    const auto codes = ProvinceCodes();
    const size_t total = codes.size() * kStormPeriods.size();
    const absl::Time deadline = absl::Now() + absl::Seconds(150);
    std::vector<std::thread> pushers;
    for (const auto& code : codes) {
      pushers.emplace_back([this, code, deadline] { PushUntilAcknowledged(code, deadline); });
    }
    while (absl::Now() < deadline && sent_.load() < static_cast<int>(total / 3)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    fault();
    for (auto& t : pushers) t.join();
    absl::MutexLock lock(&mu_);
    ASSERT_EQ(acknowledged_.size(), total) << "not every report arrived";
  }

  // `figures_from`: the aggregator whose figures are checked (default: the
  // one the suite started).
  void ExpectEveryReportStoredOnceAndCountedOnce(const std::string& figures_from = "") {
    pqxx::connection conn(db_->url());
    pqxx::work txn(conn);
    const std::string periods = fed::PgTextArray(kStormPeriods);
    EXPECT_EQ(txn.exec_params1("SELECT count(*) FROM aggregator.report_revisions"
                               " WHERE period = ANY($1::text[])",
                               periods)[0]
                  .as<int>(),
              static_cast<int>(ProvinceCodes().size() * kStormPeriods.size()));
    EXPECT_EQ(txn.exec_params1("SELECT count(*) FROM aggregator.changes"
                               " WHERE event = 'received' AND period = ANY($1::text[])",
                               periods)[0]
                  .as<int>(),
              static_cast<int>(ProvinceCodes().size() * kStormPeriods.size()));
    // The aggregator's running figures match a recount of what was sent.
    auto stub = v1::AggregatorService::NewStub(
        fed::OpenChannel(figures_from.empty() ? aggregator_address_ : figures_from));
    for (const auto& period : kStormPeriods) {
      int expected = 0;
      for (const auto& code : ProvinceCodes()) expected += StormWorkshops(code, period);
      v1::TotalsRequest req;
      req.set_period(period);
      req.add_indicator_codes("workshops");
      req.set_include_submitted(true);
      v1::TotalsResponse out;
      auto ctx = As(v1::ROLE_VIEWER, "VUSTA");
      ASSERT_TRUE(stub->GetTotals(ctx.get(), req, &out).ok());
      EXPECT_EQ(out.totals(0).value(), expected) << period;
      EXPECT_EQ(out.totals(0).reporting_organizations(), 63) << period;
    }
  }

  // Pushes `code`'s report for `period` (a period of its own, outside the
  // storm's) on a new short stream every 100 ms until it is stored: how long
  // after `since` a push was first accepted.
  absl::Duration FirstAcceptedPushAfter(absl::Time since, const std::string& code,
                                        const std::string& period) {
    Pushing once;
    once.stream_deadline = absl::Seconds(2);
    while (absl::Now() < since + absl::Seconds(120)) {
      bool stored = false;
      once.on_ack = [&](const v1::PushAck& ack) {
        stored = stored || ack.outcome() == v1::PUSH_OUTCOME_STORED ||
                 ack.outcome() == v1::PUSH_OUTCOME_DUPLICATE;
      };
      SuiteTest::PushUntilAcknowledged(code, {period}, absl::Now() + absl::Milliseconds(50), once);
      if (stored) return absl::Now() - since;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return absl::InfiniteDuration();
  }

  std::atomic<int> broken_streams_{0};
  std::atomic<int> sent_{0};
  absl::Mutex mu_;
  std::set<std::pair<std::string, std::string>> acknowledged_ ABSL_GUARDED_BY(mu_);
  std::map<int, int> outcomes_ ABSL_GUARDED_BY(mu_);
  int acks_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace fedtest
