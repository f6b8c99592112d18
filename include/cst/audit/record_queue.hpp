// The bounded queue between the threads that append audit records and the journal's writer.
//
// Many producers, one consumer. The ring is allocated once (capacity rounded up to a power of
// two) and every slot holds a JournalEntry by value, so pushing a DecisionRecord or an
// OrderEventRecord copies it into the ring without allocating. Producers claim positions with
// one compare-and-swap (D. Vyukov's bounded queue); a producer's records keep its order, and
// the consumer sees positions strictly in claim order.
//
// Nothing is ever dropped: when the ring is full a producer sleeps until the consumer frees a
// slot. The mutex and condition variables are touched only to sleep or to wake a sleeper, so
// a push into a queue with room takes no lock.
//
// The ring is written in full when it is made (every cell constructed), so that no push ever
// takes a page fault on its first lap: a decision path that appends must not stall in the
// kernel. That costs time at construction, proportional to the capacity (~270 bytes a cell:
// 65536 cells are ~17 MB). A ring of 512 KiB or more is rounded up to whole 2 MiB pages and,
// on Linux, asks for transparent huge pages: 512 times fewer faults to pre-touch it (measured
// on a 2-core VM: 65536 cells in ~3 ms instead of ~100 ms, 4096 cells in ~0.4 ms instead of ~4).
//
// Two ways to stop: close() refuses new pushes and waits until pushes already inside have
// landed (so nothing slips in after the journal's seal); abort() (writer failure) makes every
// push, including ones asleep on a full ring, return false at once.
//
// Thread rules: push() from any thread; drain()/wait_for_entry() from the one consumer only;
// close()/abort() from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <variant>

#include "cst/audit/records.hpp"

namespace cst::audit {

// Asks the writer for the journal's seal record (kind journal_close).
struct SealRequest {};

using JournalEntry = std::variant<DecisionRecord, OrderEventRecord, NoteRecord, SealRequest>;

class RecordQueue {
 public:
  explicit RecordQueue(std::size_t capacity);
  RecordQueue(const RecordQueue&) = delete;
  RecordQueue& operator=(const RecordQueue&) = delete;

  std::size_t capacity() const { return mask_ + 1; }

  // Claims the next position (sleeping while the ring is full), lets fill(JournalEntry&) write
  // the slot, and publishes it. False, without calling fill, once closed or aborted.
  template <class Fill>
  bool push(Fill&& fill) {
    return push_impl(std::forward<Fill>(fill), /*ignore_close=*/false);
  }
  // The same, but also after close(): only the journal's own seal goes in this way.
  template <class Fill>
  bool push_after_close(Fill&& fill) {
    return push_impl(std::forward<Fill>(fill), /*ignore_close=*/true);
  }

  // Positions claimed so far; every position below it is published or about to be.
  std::uint64_t claimed() const { return enqueue_pos_.load(std::memory_order_acquire); }

  // Consumer: hands up to `max` published entries, in position order, to fn(JournalEntry&),
  // freeing each slot after fn returns. Returns how many it handed over.
  template <class Fn>
  std::size_t drain(std::size_t max, Fn&& fn) {
    std::size_t n = 0;
    while (n < max) {
      Cell& cell = cells_[dequeue_pos_ & mask_];
      if (cell.seq.load(std::memory_order_acquire) != dequeue_pos_ + 1) break;
      fn(cell.entry);
      // seq_cst (not just release) pairs with the sleeping-producer check in wake_producers().
      cell.seq.store(dequeue_pos_ + mask_ + 1, std::memory_order_seq_cst);
      ++dequeue_pos_;
      ++n;
    }
    if (n > 0) wake_producers();
    return n;
  }

  // Consumer: sleeps until the next entry is published or stop() returns true. stop must be
  // made true by a caller that then calls wake_consumer().
  template <class Stop>
  void wait_for_entry(Stop&& stop) {
    std::unique_lock<std::mutex> lock(mu_);
    consumer_sleeping_.store(true, std::memory_order_seq_cst);
    consumer_cv_.wait(lock, [&] { return front_published() || stop(); });
    consumer_sleeping_.store(false, std::memory_order_relaxed);
  }
  // The same, but returns at `deadline` at the latest.
  template <class Stop>
  void wait_for_entry_until(std::chrono::steady_clock::time_point deadline, Stop&& stop) {
    std::unique_lock<std::mutex> lock(mu_);
    consumer_sleeping_.store(true, std::memory_order_seq_cst);
    consumer_cv_.wait_until(lock, deadline, [&] { return front_published() || stop(); });
    consumer_sleeping_.store(false, std::memory_order_relaxed);
  }
  // Wakes the consumer from wait_for_entry*() so that it evaluates its stop predicate again;
  // whoever changed what the predicate reads calls this afterwards.
  void wake_consumer();

  // Refuses new pushes and returns once no push is in progress.
  void close();
  // Makes all pushes, current and future, return false.
  void abort();

 private:
  struct Cell {
    std::atomic<std::uint64_t> seq{0};
    JournalEntry entry;
  };
  static constexpr std::uint64_t kClosedBit = std::uint64_t{1} << 63;

  template <class Fill>
  bool push_impl(Fill&& fill, bool ignore_close) {
    const std::uint64_t state = active_.fetch_add(1, std::memory_order_acq_rel);
    bool ok = false;
    if ((ignore_close || (state & kClosedBit) == 0) && !aborted_.load(std::memory_order_acquire)) {
      std::uint64_t pos = 0;
      if (claim(&pos)) {
        Cell& cell = cells_[pos & mask_];
        fill(cell.entry);
        cell.seq.store(pos + 1, std::memory_order_seq_cst);  // pairs with wait_for_entry()
        wake_consumer_if_sleeping();
        ok = true;
      }
    }
    leave();
    return ok;
  }

  bool claim(std::uint64_t* pos);
  bool wait_for_space(std::uint64_t pos);
  bool front_published() const;
  void wake_consumer_if_sleeping();
  void wake_producers();
  void leave();

  // Destroys the cells and frees the ring's aligned block.
  struct RingDeleter {
    std::size_t count = 0;
    std::size_t bytes = 0;
    std::size_t alignment = 0;
    void operator()(Cell* cells) const;
  };
  static std::unique_ptr<Cell[], RingDeleter> make_ring(std::size_t count);

  std::unique_ptr<Cell[], RingDeleter> cells_;
  std::uint64_t mask_;
  alignas(64) std::atomic<std::uint64_t> enqueue_pos_{0};
  alignas(64) std::uint64_t dequeue_pos_ = 0;         // consumer only
  alignas(64) std::atomic<std::uint64_t> active_{0};  // pushes in progress | kClosedBit
  alignas(64) std::atomic<bool> aborted_{false};      // below: read by all, written rarely
  std::atomic<bool> consumer_sleeping_{false};
  std::atomic<int> producers_sleeping_{0};
  std::mutex mu_;
  std::condition_variable consumer_cv_;
  std::condition_variable producer_cv_;
  std::condition_variable closer_cv_;
};

}  // namespace cst::audit
