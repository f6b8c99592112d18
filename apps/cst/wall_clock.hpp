// The operator commands' clock: the real time of day (the engine's clock is injected instead).
#pragma once

#include <chrono>

#include "cst/core/timestamp.hpp"

namespace cst::cli {

inline Timestamp wall_now() {
  return Timestamp{
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count()};
}

// "2026-12-02T13:40:27Z": seconds are enough for people.
inline std::string format_seconds(Timestamp t) { return format_iso8601(t).substr(0, 19) + "Z"; }

}  // namespace cst::cli
