// The process's Prometheus metrics (Debian's prometheus-cpp), served as text
// on /metrics of --metrics_listen. One registry per process; every metric
// carries the label service="<name>" so that one scrape configuration reads
// every process alike. What is measured:
//   fed_rpc_total{method,code}          unary calls by outcome (unary.h's LogCall)
//   fed_rpc_duration_seconds{method}    their latency
//   fed_http_requests_total{route,code} and fed_http_request_duration_seconds{route}
//                                       the same for the dashboard's HTTP requests
//   fed_db_pool_wait_seconds            time to lease a PostgreSQL connection
//   fed_db_connections_in_use           connections leased now
// and each service's own (the aggregator's intake queue and batches, the
// followers' feed lag, the reporting service's outbox backlog per province).
#pragma once

#include <memory>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace fed::metrics {

// The label every metric of this process carries; set once, before any
// metric is made (RunService does it with the service's name).
void SetService(std::string name);

prometheus::Registry& Registry();

// A metric of a family, made on first use and the same object afterwards
// (keep the reference: looking it up again takes a lock). `labels` are
// added to the service label.
prometheus::Counter& Counter(const std::string& name, const std::string& help,
                             const prometheus::Labels& labels = {});
prometheus::Gauge& Gauge(const std::string& name, const std::string& help,
                         const prometheus::Labels& labels = {});
prometheus::Histogram& Histogram(const std::string& name, const std::string& help,
                                 const prometheus::Histogram::BucketBoundaries& buckets,
                                 const prometheus::Labels& labels = {});

// Seconds, from a quarter of a millisecond to ten seconds.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets();

// One unary call: its method, outcome and latency.
void RecordCall(absl::string_view method, absl::StatusCode code, absl::Duration elapsed);
// One HTTP request (the dashboard): its route, HTTP status and time.
void RecordHttpRequest(absl::string_view route, int status, absl::Duration elapsed);

// Serves Registry() as text on http://<listen>/metrics (plain HTTP: give a
// loopback or private address). FAILED_PRECONDITION when it cannot bind.
absl::StatusOr<std::unique_ptr<prometheus::Exposer>> Serve(const std::string& listen);

}  // namespace fed::metrics
