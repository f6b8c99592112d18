#include "cst/audit/record_queue.hpp"

#include <sys/mman.h>

#include <bit>
#include <new>
#include <type_traits>

namespace cst::audit {

namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
// Rings from this size up are rounded up to whole huge pages: one fault per 2 MB instead of
// one per 4 KiB page (which costs ~10 us each on a VM) is worth the unused tail.
constexpr std::size_t kHugePageFrom = kHugePage / 4;

std::size_t ring_capacity(std::size_t wanted) { return std::bit_ceil(wanted < 2 ? std::size_t{2} : wanted); }

}  // namespace

std::unique_ptr<RecordQueue::Cell[], RecordQueue::RingDeleter> RecordQueue::make_ring(std::size_t count) {
  RingDeleter deleter;
  deleter.bytes = count * sizeof(Cell);
  deleter.alignment = alignof(Cell);
  if (deleter.bytes >= kHugePageFrom) {
    // Whole huge pages, so the kernel can back the ring with them.
    deleter.alignment = kHugePage;
    deleter.bytes = (deleter.bytes + kHugePage - 1) / kHugePage * kHugePage;
  }
  void* block = ::operator new (deleter.bytes, std::align_val_t{deleter.alignment});
#ifdef MADV_HUGEPAGE
  if (deleter.alignment == kHugePage) (void)::madvise(block, deleter.bytes, MADV_HUGEPAGE);  // a hint only
#endif
  auto* cells = static_cast<Cell*>(block);
  // Constructing every cell writes the whole ring: the pre-touch described in the header.
  static_assert(std::is_nothrow_default_constructible_v<Cell>);
  for (std::size_t i = 0; i < count; ++i) new (&cells[i]) Cell();
  deleter.count = count;
  return std::unique_ptr<Cell[], RingDeleter>(cells, deleter);
}

void RecordQueue::RingDeleter::operator()(Cell* cells) const {
  for (std::size_t i = 0; i < count; ++i) cells[i].~Cell();
  ::operator delete (static_cast<void*>(cells),
                     std::align_val_t{alignment});  // unsized: clang 14 lacks sized deallocation by default
}

RecordQueue::RecordQueue(std::size_t capacity)
    : cells_(make_ring(ring_capacity(capacity))), mask_(ring_capacity(capacity) - 1) {
  for (std::uint64_t i = 0; i <= mask_; ++i) cells_[i].seq.store(i, std::memory_order_relaxed);
}

bool RecordQueue::claim(std::uint64_t* out) {
  std::uint64_t pos = enqueue_pos_.load(std::memory_order_relaxed);
  for (;;) {
    const Cell& cell = cells_[pos & mask_];
    const auto diff = static_cast<std::int64_t>(cell.seq.load(std::memory_order_acquire) - pos);
    if (diff == 0) {
      if (enqueue_pos_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
        *out = pos;
        return true;
      }
    } else if (diff < 0) {
      // The slot still holds the entry from one lap ago: the ring is full.
      if (!wait_for_space(pos)) return false;
      pos = enqueue_pos_.load(std::memory_order_relaxed);
    } else {
      pos = enqueue_pos_.load(std::memory_order_relaxed);
    }
  }
}

// Sleeps until the slot for `pos` is free, another producer took `pos`, or abort().
// Lost wake-ups are excluded the classic way: each side stores (seq_cst) then loads (seq_cst)
// the other's variable, so either the consumer sees this sleeper and notifies under the mutex,
// or this thread sees the freed slot. (Fences would do too, but ThreadSanitizer cannot see them.)
bool RecordQueue::wait_for_space(std::uint64_t pos) {
  std::unique_lock<std::mutex> lock(mu_);
  producers_sleeping_.fetch_add(1, std::memory_order_seq_cst);
  producer_cv_.wait(lock, [&] {
    if (aborted_.load(std::memory_order_acquire)) return true;
    if (enqueue_pos_.load(std::memory_order_relaxed) != pos) return true;
    const Cell& cell = cells_[pos & mask_];
    return static_cast<std::int64_t>(cell.seq.load(std::memory_order_seq_cst) - pos) >= 0;
  });
  producers_sleeping_.fetch_sub(1, std::memory_order_relaxed);
  return !aborted_.load(std::memory_order_acquire);
}

bool RecordQueue::front_published() const {
  return cells_[dequeue_pos_ & mask_].seq.load(std::memory_order_seq_cst) == dequeue_pos_ + 1;
}

void RecordQueue::wake_consumer_if_sleeping() {
  if (consumer_sleeping_.load(std::memory_order_seq_cst)) wake_consumer();
}

void RecordQueue::wake_consumer() {
  std::lock_guard<std::mutex> lock(mu_);
  consumer_cv_.notify_one();
}

void RecordQueue::wake_producers() {
  if (producers_sleeping_.load(std::memory_order_seq_cst) > 0) {
    std::lock_guard<std::mutex> lock(mu_);
    producer_cv_.notify_all();
  }
}

void RecordQueue::leave() {
  const std::uint64_t before = active_.fetch_sub(1, std::memory_order_acq_rel);
  if (before == (kClosedBit | 1)) {
    std::lock_guard<std::mutex> lock(mu_);
    closer_cv_.notify_all();
  }
}

void RecordQueue::close() {
  active_.fetch_or(kClosedBit, std::memory_order_acq_rel);
  std::unique_lock<std::mutex> lock(mu_);
  closer_cv_.wait(lock, [&] { return (active_.load(std::memory_order_acquire) & ~kClosedBit) == 0; });
}

void RecordQueue::abort() {
  aborted_.store(true, std::memory_order_release);
  std::lock_guard<std::mutex> lock(mu_);
  producer_cv_.notify_all();
  consumer_cv_.notify_all();
}

}  // namespace cst::audit
