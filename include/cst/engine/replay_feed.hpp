// ReplayFeed: paper trading's market data source. A thread hands recorded bars to the engine at
// their wall-clock time (speed times faster than recorded) through an EventBus: paced, the bus
// drops the oldest bars if the engine falls behind (counted in dropped()); unpaced (speed 0) it
// never drops and the engine sets the pace. Stops when the bars end or the engine closes the bus.
#pragma once

#include <condition_variable>
#include <mutex>
#include <span>
#include <thread>

#include "cst/core/timestamp.hpp"
#include "cst/engine/event_bus.hpp"
#include "cst/market/market_event.hpp"

namespace cst {

class ReplayFeed {
 public:
  ReplayFeed(std::span<const Bar> bars, double speed, Duration interval)
      : bus_(speed > 0 ? OverflowPolicy::kDropOldest : OverflowPolicy::kBlock),
        bars_(bars),
        speed_(speed),
        interval_(interval) {
    thread_ = std::thread([this] { run(); });
  }
  ~ReplayFeed() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();  // a paced feed may be waiting a long time for its next bar
    bus_.close();
    thread_.join();
  }
  EventBus<Bar>& bus() { return bus_; }

 private:
  void run() {
    const auto start = std::chrono::steady_clock::now();
    for (const Bar& bar : bars_) {
      if (speed_ > 0) {
        // A bar is complete at its close: time + interval after the first bar's open.
        const auto data_ns = static_cast<double>(bar.time.ns - bars_.front().time.ns + interval_.ns);
        const auto due = start + std::chrono::nanoseconds(static_cast<std::int64_t>(data_ns / speed_));
        std::unique_lock<std::mutex> lock(mutex_);
        if (wake_.wait_until(lock, due, [this] { return stopping_; })) return;
      }
      if (!bus_.push(bar)) return;  // closed: the engine stopped
    }
    bus_.close();
  }

  EventBus<Bar> bus_;
  std::span<const Bar> bars_;
  double speed_;
  Duration interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace cst
