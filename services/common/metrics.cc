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

// The metrics of one method, looked up once per method and code.
struct MethodMetrics {
  prometheus::Histogram* latency = nullptr;
  absl::flat_hash_map<int, prometheus::Counter*> by_code;
};

absl::Mutex methods_mu;
absl::flat_hash_map<std::string, MethodMetrics>& Methods()
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(methods_mu) {
  static auto* methods = new absl::flat_hash_map<std::string, MethodMetrics>();
  return *methods;
}

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
  prometheus::Histogram* latency = nullptr;
  prometheus::Counter* counter = nullptr;
  {
    absl::MutexLock lock(&methods_mu);
    MethodMetrics& m = Methods()[method];
    if (m.latency == nullptr) {
      m.latency = &Histogram("fed_rpc_duration_seconds", "Latency of unary calls, by method.",
                             LatencyBuckets(), {{"method", std::string(method)}});
    }
    prometheus::Counter*& by_code = m.by_code[static_cast<int>(code)];
    if (by_code == nullptr) {
      by_code =
          &Counter("fed_rpc_total", "Unary calls, by method and status code.",
                   {{"method", std::string(method)}, {"code", absl::StatusCodeToString(code)}});
    }
    latency = m.latency;
    counter = by_code;
  }
  latency->Observe(absl::ToDoubleSeconds(elapsed));
  counter->Increment();
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
