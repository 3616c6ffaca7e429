#include "services/emulation/grpc_service.h"

namespace emulation {

#define EMULATION_DEFINE(Method, Request, Response)                                              \
  grpc::ServerUnaryReactor* EmulationGrpcService::Method(                                        \
      grpc::CallbackServerContext* ctx, const v1::Request* request, v1::Response* response) {    \
    return fed::ServeMethod(ctx, call_, #Method, logic_, &Emulation::Method, request, response); \
  }
EMULATION_METHODS(EMULATION_DEFINE)
#undef EMULATION_DEFINE

}  // namespace emulation
