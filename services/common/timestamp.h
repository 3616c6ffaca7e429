// Moments as google.protobuf.Timestamp, written one way everywhere: from the
// microseconds PostgreSQL gives (extract(epoch ...) * 1000000) or from an
// absl::Time.
#pragma once

#include <cstdint>

#include <google/protobuf/timestamp.pb.h>

#include "absl/time/time.h"

namespace fed {

inline void SetTimestamp(int64_t micros, google::protobuf::Timestamp* ts) {
  ts->set_seconds(micros / 1000000);
  ts->set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
}

inline void SetTimestamp(absl::Time t, google::protobuf::Timestamp* ts) {
  SetTimestamp(absl::ToUnixMicros(t), ts);
}

}  // namespace fed
