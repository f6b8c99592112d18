// EventBus: the bounded queue between components on different threads (feed thread -> engine
// loop, venue I/O -> engine loop). DESIGN.md section 6: 1000 events, bounded.
//
// What a full bus does is chosen per bus, by what its events are worth:
//   kBlock       audit and state events (orders, fills, balances). Losing one would leave the
//                engine's state wrong, so push() waits for room: a slow consumer slows its
//                producers down (backpressure) and nothing is ever dropped.
//   kDropOldest  market data. push() never waits: a full bus discards its oldest event and
//                counts it in dropped(). A stale quote is worth less than a fresh one, and a
//                feed thread that stalls falls behind the venue.
//
// Design: one mutex, two condition variables and a ring of `capacity` slots allocated by the
// constructor, so push and pop never allocate (for a T that does not allocate itself). Events
// between components come at thousands per second, not millions; an uncontended lock costs tens
// of nanoseconds, and it keeps blocking, dropping and close() simple to get right. The per-event
// hot paths (gateway, book, replay) do not go through a bus.
//
// Order: FIFO. One producer's events reach consumers in the order it pushed them; drop-oldest
// removes some but never reorders.
//
// Thread rules: any number of producers and consumers; every method may be called from any
// thread. The counters are atomics written under the lock, readable without it (from a
// monitoring thread, or a test); two of them read one after the other are a consistent pair
// only while nobody pushes or pops.
//
// Shutdown: after close() push() returns false without queuing, and consumers take what is
// left, then get nullopt instead of waiting.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace cst {

inline constexpr std::size_t kDefaultEventBusCapacity = 1000;  // DESIGN.md section 6

enum class OverflowPolicy : std::uint8_t {
  kBlock,       // push() waits for room; never drops (audit and state events)
  kDropOldest,  // push() discards the oldest queued event, counted in dropped() (market data)
};

template <class T>
class EventBus {
  // A throwing move could lose an event halfway between the caller and the ring.
  static_assert(std::is_nothrow_move_constructible_v<T>, "EventBus events must be nothrow move constructible");

 public:
  using Clock = std::chrono::steady_clock;

  // Throws std::invalid_argument if capacity is 0: a bus that can hold nothing is a
  // configuration bug, found at startup, not an overflow.
  explicit EventBus(OverflowPolicy policy, std::size_t capacity = kDefaultEventBusCapacity)
      : policy_(policy), slots_(checked(capacity)) {}
  EventBus(const EventBus&) = delete;
  EventBus& operator=(const EventBus&) = delete;

  // Queues `value` behind everything already queued. On a full bus, kBlock waits for room and
  // kDropOldest discards the front event first. Returns false, without queuing, only if the bus
  // is closed (before the call or while it waited).
  bool push(T value) {
    std::unique_lock lock(mu_);
    if (!closed_ && count_ == slots_.size()) make_room(lock);
    if (closed_) return false;
    slots_[wrap(head_ + count_)].emplace(std::move(value));
    set_count(count_ + 1);
    pushed_.fetch_add(1, std::memory_order_relaxed);
    if (count_ > high_water_.load(std::memory_order_relaxed)) high_water_.store(count_, std::memory_order_relaxed);
    const bool wake = waiting_consumers_.load(std::memory_order_relaxed) > 0;
    lock.unlock();
    if (wake) not_empty_.notify_one();
    return true;
  }

  // The front event, or nullopt at once if the bus is empty.
  std::optional<T> try_pop() {
    std::unique_lock lock(mu_);
    if (count_ == 0) return std::nullopt;
    return pop_front(lock);
  }

  // The front event, waiting for one until `deadline` (Clock::time_point::max() waits without
  // limit). nullopt if the deadline passes or the bus is closed and empty; a closed bus still
  // hands out what it holds. A deadline in the past never waits.
  std::optional<T> pop_until(Clock::time_point deadline) {
    std::unique_lock lock(mu_);
    if (count_ == 0 && !closed_) {
      waiting_consumers_.fetch_add(1, std::memory_order_relaxed);
      not_empty_.wait_until(lock, deadline, [&] { return count_ > 0 || closed_; });
      waiting_consumers_.fetch_sub(1, std::memory_order_relaxed);
    }
    if (count_ == 0) return std::nullopt;
    return pop_front(lock);
  }

  // Moves up to `max` queued events, front first, to the back of `out`, without waiting.
  // Returns how many. `out` grows under the lock: give it capacity beforehand to keep the
  // engine loop free of allocation.
  std::size_t drain(std::vector<T>& out, std::size_t max) {
    std::unique_lock lock(mu_);
    const std::size_t n = std::min(max, count_);
    for (std::size_t i = 0; i < n; ++i) {
      out.push_back(std::move(*slots_[head_]));
      discard_front();
    }
    popped_.fetch_add(n, std::memory_order_relaxed);
    const bool wake = n > 0 && waiting_producers_.load(std::memory_order_relaxed) > 0;
    lock.unlock();
    if (wake) not_full_.notify_all();
    return n;
  }

  // Refuses pushes from now on and wakes every waiting producer (its push returns false) and
  // consumer. Events already queued stay to be popped. Idempotent.
  void close() {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    not_full_.notify_all();
    not_empty_.notify_all();
  }
  bool closed() const {
    std::lock_guard lock(mu_);
    return closed_;
  }

  OverflowPolicy policy() const { return policy_; }
  std::size_t capacity() const { return slots_.size(); }
  std::size_t size() const { return size_.load(std::memory_order_relaxed); }
  // Events queued, including ones later discarded by kDropOldest.
  std::uint64_t pushed() const { return pushed_.load(std::memory_order_relaxed); }
  std::uint64_t popped() const { return popped_.load(std::memory_order_relaxed); }
  // Events discarded by kDropOldest to make room; always 0 for kBlock.
  std::uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  // Pushes that found the bus full and had to wait (kBlock): how often backpressure bit.
  std::uint64_t blocked_pushes() const { return blocked_pushes_.load(std::memory_order_relaxed); }
  // The longest the queue has been.
  std::size_t high_water() const { return high_water_.load(std::memory_order_relaxed); }
  // Producers waiting for room right now; consumers waiting for an event right now.
  std::size_t waiting_producers() const { return waiting_producers_.load(std::memory_order_relaxed); }
  std::size_t waiting_consumers() const { return waiting_consumers_.load(std::memory_order_relaxed); }

 private:
  static std::size_t checked(std::size_t capacity) {
    if (capacity == 0) throw std::invalid_argument("EventBus capacity must be at least 1 event");
    return capacity;
  }
  // Ring index of `i` < 2 * capacity, without a division.
  std::size_t wrap(std::size_t i) const { return i < slots_.size() ? i : i - slots_.size(); }
  void set_count(std::size_t n) {
    count_ = n;
    size_.store(n, std::memory_order_relaxed);
  }
  void discard_front() {
    slots_[head_].reset();
    head_ = wrap(head_ + 1);
    set_count(count_ - 1);
  }

  // Called on a full, open bus; returns with room, or closed.
  void make_room(std::unique_lock<std::mutex>& lock) {
    if (policy_ == OverflowPolicy::kDropOldest) {
      discard_front();
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    blocked_pushes_.fetch_add(1, std::memory_order_relaxed);
    waiting_producers_.fetch_add(1, std::memory_order_relaxed);
    not_full_.wait(lock, [&] { return count_ < slots_.size() || closed_; });
    waiting_producers_.fetch_sub(1, std::memory_order_relaxed);
  }

  // Takes the front event of a non-empty bus, then lets one waiting producer use the room.
  std::optional<T> pop_front(std::unique_lock<std::mutex>& lock) {
    std::optional<T> event(std::move(*slots_[head_]));
    discard_front();
    popped_.fetch_add(1, std::memory_order_relaxed);
    const bool wake = waiting_producers_.load(std::memory_order_relaxed) > 0;
    lock.unlock();
    if (wake) not_full_.notify_one();
    return event;
  }

  const OverflowPolicy policy_;
  mutable std::mutex mu_;
  std::condition_variable not_full_;   // producers wait here (kBlock)
  std::condition_variable not_empty_;  // consumers wait here
  std::vector<std::optional<T>> slots_;
  std::size_t head_ = 0;   // slot of the front event
  std::size_t count_ = 0;  // events queued; size_ mirrors it for readers without the lock
  bool closed_ = false;

  std::atomic<std::size_t> size_{0};
  std::atomic<std::uint64_t> pushed_{0};
  std::atomic<std::uint64_t> popped_{0};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> blocked_pushes_{0};
  std::atomic<std::size_t> high_water_{0};
  std::atomic<std::size_t> waiting_producers_{0};
  std::atomic<std::size_t> waiting_consumers_{0};
};

}  // namespace cst
