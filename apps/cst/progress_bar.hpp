// A progress bar on stderr, shown only when stderr is a terminal and the run has lasted
// more than a second (so pipes, CI logs and short runs stay clean).
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace cst::cli {

class ProgressBar {
 public:
  ProgressBar() : enabled_(isatty(STDERR_FILENO) == 1), start_(std::chrono::steady_clock::now()) {}
  ~ProgressBar() { finish(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void update(std::uint64_t done, std::uint64_t total) {
    if (!enabled_ || total == 0) return;
    const auto elapsed = std::chrono::steady_clock::now() - start_;
    if (elapsed < std::chrono::seconds(1)) return;
    const int width = 40;
    const auto filled = static_cast<int>(static_cast<double>(done) / static_cast<double>(total) * width);
    (void)std::fprintf(stderr, "\r[%-*.*s] %3d%% %llu/%llu bars", width, filled,
                       "########################################", static_cast<int>(100 * done / total),
                       static_cast<unsigned long long>(done), static_cast<unsigned long long>(total));
    (void)std::fflush(stderr);
    shown_ = true;
  }
  void finish() {
    if (shown_) (void)std::fputc('\n', stderr);
    shown_ = false;
  }

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace cst::cli
