// The suite's services and their default ports, from deploy/topology.txt (the
// one place they are written; the build generates the table from it). Every
// default address in the code (a service's --listen, its --<name>_target
// flags, fedctl, fed-demo, the dashboard) comes from here.
//
// The table is constant data, so these may be called while static objects
// are initialised, e.g. for an ABSL_FLAG's default value.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace fed {

enum class ServiceKind { kGrpc, kHttp };

struct ServiceEndpoint {
  absl::string_view name;  // "aggregator"
  int port;                // its default port on 127.0.0.1
  ServiceKind kind;
};

// Every service in deploy/topology.txt, in its order (the start order).
absl::Span<const ServiceEndpoint> Services();

// The default port of the service `name` ("aggregator": 50053). An unknown
// name is a bug: the process aborts, naming it.
int DefaultPort(absl::string_view name);

// "127.0.0.1:<DefaultPort(name)>": where the service listens by default and
// where its callers look for it.
std::string DefaultAddress(absl::string_view name);

}  // namespace fed
