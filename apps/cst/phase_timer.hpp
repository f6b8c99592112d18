// Wall-clock time per phase of a command, printed to stderr when asked (--timings), so users
// can see where a run spends its time.
#pragma once

#include <chrono>
#include <cstdio>
#include <string_view>

namespace cst::cli {

class PhaseTimer {
 public:
  explicit PhaseTimer(bool enabled) : enabled_(enabled), last_(std::chrono::steady_clock::now()) {}

  // Ends the current phase under `name`.
  void phase(std::string_view name) {
    const auto now = std::chrono::steady_clock::now();
    if (enabled_) {
      const double ms = std::chrono::duration<double, std::milli>(now - last_).count();
      (void)std::fprintf(stderr, "timing: %-40.*s %10.1f ms\n", static_cast<int>(name.size()), name.data(), ms);
    }
    last_ = now;
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace cst::cli
