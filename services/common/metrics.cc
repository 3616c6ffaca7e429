#include "services/common/metrics.h"

#include <map>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace fed::metrics {
namespace {

struct State {
  absl::Mutex mu;
  std::string service ABSL_GUARDED_BY(mu) = "unknown";
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  // Families by name: prometheus-cpp refuses a second family of one name.
  std::map<std::string, prometheus::Family<prometheus::Counter>*> counters ABSL_GUARDED_BY(mu);
  std::map<std::string, prometheus::Family<prometheus::Gauge>*> gauges ABSL_GUARDED_BY(mu);
  std::map<std::string, prometheus::Family<prometheus::Histogram>*> histograms ABSL_GUARDED_BY(mu);
};

State& Global() {
  static State* state = new State();  // never destroyed: metrics outlive every thread
  return *state;
}

prometheus::Labels WithService(State& s, const prometheus::Labels& labels)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu) {
  prometheus::Labels all = labels;
  all["service"] = s.service;
  return all;
}

// The series of one method (or route), looked up once per name and code:
// every call or request afterwards finds them under a shared lock, so the
// hot path never takes the registry's locks.
struct Series {
  prometheus::Histogram* latency = nullptr;
  absl::flat_hash_map<std::string, prometheus::Counter*> by_code;
};

// One family pair: a count by name and code, and a latency by name.
class SeriesCache {
 public:
  SeriesCache(std::string counter, std::string counter_help, std::string histogram,
              std::string histogram_help, std::string label)
      : counter_(std::move(counter)),
        counter_help_(std::move(counter_help)),
        histogram_(std::move(histogram)),
        histogram_help_(std::move(histogram_help)),
        label_(std::move(label)) {}

  void Record(absl::string_view name, const std::string& code, absl::Duration elapsed) {
    prometheus::Histogram* latency = nullptr;
    prometheus::Counter* counter = nullptr;
    {
      absl::ReaderMutexLock lock(&mu_);
      if (auto it = series_.find(name); it != series_.end()) {
        latency = it->second.latency;
        if (auto c = it->second.by_code.find(code); c != it->second.by_code.end())
          counter = c->second;
      }
    }
    if (counter == nullptr) {
      absl::MutexLock lock(&mu_);
      Series& s = series_[name];
      if (s.latency == nullptr) {
        s.latency = &Histogram(histogram_, histogram_help_, LatencyBuckets(),
                               {{label_, std::string(name)}});
      }
      prometheus::Counter*& by_code = s.by_code[code];
      if (by_code == nullptr) {
        by_code = &Counter(counter_, counter_help_, {{label_, std::string(name)}, {"code", code}});
      }
      latency = s.latency;
      counter = by_code;
    }
    latency->Observe(absl::ToDoubleSeconds(elapsed));
    counter->Increment();
  }

 private:
  const std::string counter_, counter_help_, histogram_, histogram_help_, label_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Series> series_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

void SetService(std::string name) {
  State& s = Global();
  absl::MutexLock lock(&s.mu);
  s.service = std::move(name);
}

prometheus::Registry& Registry() { return *Global().registry; }

prometheus::Counter& Counter(const std::string& name, const std::string& help,
                             const prometheus::Labels& labels) {
  State& s = Global();
  absl::MutexLock lock(&s.mu);
  auto& family = s.counters[name];
  if (family == nullptr) {
    family = &prometheus::BuildCounter().Name(name).Help(help).Register(*s.registry);
  }
  return family->Add(WithService(s, labels));
}

prometheus::Gauge& Gauge(const std::string& name, const std::string& help,
                         const prometheus::Labels& labels) {
  State& s = Global();
  absl::MutexLock lock(&s.mu);
  auto& family = s.gauges[name];
  if (family == nullptr) {
    family = &prometheus::BuildGauge().Name(name).Help(help).Register(*s.registry);
  }
  return family->Add(WithService(s, labels));
}

prometheus::Histogram& Histogram(const std::string& name, const std::string& help,
                                 const prometheus::Histogram::BucketBoundaries& buckets,
                                 const prometheus::Labels& labels) {
  State& s = Global();
  absl::MutexLock lock(&s.mu);
  auto& family = s.histograms[name];
  if (family == nullptr) {
    family = &prometheus::BuildHistogram().Name(name).Help(help).Register(*s.registry);
  }
  return family->Add(WithService(s, labels), buckets);
}

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *buckets;
}

void RecordCall(absl::string_view method, absl::StatusCode code, absl::Duration elapsed) {
  static auto* calls =
      new SeriesCache("fed_rpc_total", "Unary calls, by method and status code.",
                      "fed_rpc_duration_seconds", "Latency of unary calls, by method.", "method");
  calls->Record(method, absl::StatusCodeToString(code), elapsed);
}

void RecordHttpRequest(absl::string_view route, int status, absl::Duration elapsed) {
  static auto* requests =
      new SeriesCache("fed_http_requests_total", "HTTP requests, by route and status.",
                      "fed_http_request_duration_seconds",
                      "Time to answer an HTTP request (a live-update stream: its life).", "route");
  requests->Record(route, std::to_string(status), elapsed);
}

absl::StatusOr<std::unique_ptr<prometheus::Exposer>> Serve(const std::string& listen) {
  try {
    auto exposer = std::make_unique<prometheus::Exposer>(listen, 1);
    exposer->RegisterCollectable(Global().registry);
    return exposer;
  } catch (const std::exception& e) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot serve metrics on ", listen, ": ", e.what()));
  }
}

}  // namespace fed::metrics
