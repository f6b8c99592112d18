// What every engine mode does around strategy code (DESIGN.md section 8: error isolation): a
// strategy that throws is stopped and reported once, and the engine goes on; and strategy
// timers fire in time order once the clock reaches them.
#pragma once

#include <algorithm>
#include <exception>
#include <string>
#include <vector>

#include "cst/core/timestamp.hpp"

namespace cst {

// Runs call() unless the strategy was stopped; an exception stops it and hands the reason to
// on_stop. Calls nest (on_fill inside on_bar), and only the call that caught the exception
// reports it, so a stop is reported once.
template <class F, class OnStop>
void call_strategy(bool& stopped, F&& call, OnStop&& on_stop) {
  if (stopped) return;
  try {
    call();
  } catch (const std::exception& e) {
    stopped = true;
    on_stop(std::string(e.what()));
  } catch (...) {
    stopped = true;
    on_stop(std::string("unknown exception"));
  }
}

// Timers a strategy set; take_due hands out those at or before `now`, earliest first.
class TimerQueue {
 public:
  void add(Timestamp at) { timers_.push_back(at); }
  std::vector<Timestamp> take_due(Timestamp now) {
    if (timers_.empty()) return {};
    std::sort(timers_.begin(), timers_.end());
    std::vector<Timestamp> due;
    std::size_t n = 0;
    while (n < timers_.size() && timers_[n] <= now) due.push_back(timers_[n++]);
    timers_.erase(timers_.begin(), timers_.begin() + static_cast<std::ptrdiff_t>(n));
    return due;
  }

 private:
  std::vector<Timestamp> timers_;
};

}  // namespace cst
