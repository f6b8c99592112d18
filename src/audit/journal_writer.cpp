#include "cst/audit/journal_writer.hpp"

#include <pthread.h>

#include <algorithm>
#include <exception>
#include <system_error>
#include <utility>

namespace cst::audit {
namespace {

// One batch committing, one ready, one filling.
constexpr int kBatches = 3;

}  // namespace

JournalWriter::JournalWriter(std::unique_ptr<JournalStore> store, RecordQueue& queue, const JournalOptions& options,
                             std::string path)
    : path_(std::move(path)),
      max_batch_(std::min(options.max_batch, queue.capacity())),
      linger_(std::chrono::duration_cast<Clock::duration>(options.linger)),
      store_(std::move(store)),
      queue_(queue),
      chainer_(store_->head(), store_->last_time_ns()),
      head_(store_->head()) {
  for (int i = 0; i < kBatches; ++i) {
    batches_.push_back(std::make_unique<RecordBatch>(max_batch_));
    free_.push_back(batches_.back().get());
  }
}

JournalWriter::~JournalWriter() { stop(); }

Status JournalWriter::start() {
  try {
    committer_ = std::thread([this] { guarded(&JournalWriter::commit_loop, "cst-audit-sql"); });
    formatter_ = std::thread([this] { guarded(&JournalWriter::format_loop, "cst-audit-fmt"); });
  } catch (const std::system_error& e) {
    fail(make_error(ErrorCode::kIo, "audit journal '" + path_ + "': cannot start the writer threads: " + e.what()));
    stop();
    return status();
  }
  return Status::Ok();
}

// No exception may leave a thread; one that escapes (out of memory) stops the journal like any
// other writer failure.
void JournalWriter::guarded(void (JournalWriter::*loop)(), const char* thread_name) {
#ifdef __linux__
  (void)pthread_setname_np(pthread_self(), thread_name);  // for top, perf and debuggers
#else
  (void)thread_name;
#endif
  try {
    (this->*loop)();
  } catch (const std::exception& e) {
    fail(make_error(ErrorCode::kIo, "audit journal '" + path_ + "': writer stopped: " + e.what()));
  } catch (...) {
    fail(make_error(ErrorCode::kIo, "audit journal '" + path_ + "': writer stopped by an unknown exception"));
  }
}

// The group-commit rules of the header, top to bottom: drain, hand over when due, else sleep
// until something can change that.
void JournalWriter::format_loop() {
  RecordBatch* filling = nullptr;
  {
    std::lock_guard<std::mutex> lock(handoff_mu_);
    filling = free_.back();
    free_.pop_back();
  }
  Clock::time_point first_at;  // when `filling` got its first record
  Status chained = Status::Ok();
  for (;;) {
    if (failed_.load(std::memory_order_acquire)) return;
    // Read before draining: every position below the target is then drained in this pass
    // (if published and the batch has room), so a flush after N appends gets one batch.
    const std::uint64_t target = flush_target_.load(std::memory_order_acquire);
    const bool stopping = stop_.load(std::memory_order_acquire);
    const std::size_t before = filling->size();
    const std::size_t drained = queue_.drain(max_batch_ - before, [&](JournalEntry& entry) {
      if (chained.ok()) chained = chainer_.add(entry, filling);
    });
    if (!chained.ok()) return fail(std::move(chained));
    if (filling->empty()) {
      if (stopping) return finish_formatting();
      queue_.wait_for_entry([&] { return stop_.load() || failed_.load(); });
      continue;
    }
    if (before == 0) first_at = Clock::now();
    const bool full = filling->size() >= max_batch_;
    const bool flush_waits = target > handed_off_;
    const bool due = full || flush_waits || stopping || Clock::now() - first_at >= linger_;
    if (due && flush_waits && !full && commit_here(filling)) continue;
    if (due && hand_off(&filling)) continue;
    if (drained > 0 && !full) continue;  // records are coming in: take them before sleeping
    if (full) {
      wait_for_slot();
    } else if (due) {  // the committer is busy: wait for it, taking new records meanwhile
      waiting_for_slot_.store(true);
      queue_.wait_for_entry([&] { return slot_free_.load() || failed_.load(); });
      waiting_for_slot_.store(false);
    } else {
      queue_.wait_for_entry_until(first_at + linger_,
                                  [&] { return stop_.load() || failed_.load() || flush_target_.load() > handed_off_; });
    }
  }
}

// The write-ahead path of paper and live (append, flush, send) commits batches of a record
// or two that someone waits for. If the committer is idle, committing them on this thread
// saves a thread hand-over per order; batches for throughput still go to the committer.
// False if the committer has work, so the batch must queue behind it.
bool JournalWriter::commit_here(RecordBatch* filling) {
  {
    std::lock_guard<std::mutex> lock(handoff_mu_);
    if (ready_ != nullptr || committing_) return false;
    committing_ = true;  // the store is this thread's until the commit is done
  }
  handed_off_ += filling->size();
  (void)commit_batch(*filling);  // a failure stops the loop at its top
  filling->clear();
  std::lock_guard<std::mutex> lock(handoff_mu_);
  committing_ = false;
  return true;
}

// Commits one batch and tells flush() waiters; false (after fail()) if the store failed.
bool JournalWriter::commit_batch(const RecordBatch& batch) {
  Status s = store_->commit(batch);
  if (!s.ok()) {
    fail(std::move(s));
    return false;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    committed_ += batch.size();
    ++commits_;
    head_ = store_->head();
  }
  progress_.notify_all();
  return true;
}

bool JournalWriter::hand_off(RecordBatch** filling) {
  const std::size_t records = (*filling)->size();
  {
    std::lock_guard<std::mutex> lock(handoff_mu_);
    if (ready_ != nullptr) return false;
    ready_ = *filling;
    *filling = free_.back();  // never empty here: of three batches one fills, one may commit
    free_.pop_back();
    slot_free_.store(false);
  }
  handed_off_ += records;
  ready_cv_.notify_one();
  return true;
}

void JournalWriter::wait_for_slot() {
  std::unique_lock<std::mutex> lock(handoff_mu_);
  slot_cv_.wait(lock, [&] { return ready_ == nullptr || failed_.load(); });
}

void JournalWriter::finish_formatting() {
  {
    std::lock_guard<std::mutex> lock(handoff_mu_);
    formatter_done_ = true;
  }
  ready_cv_.notify_one();
}

void JournalWriter::commit_loop() {
  for (;;) {
    RecordBatch* batch = nullptr;
    {
      std::unique_lock<std::mutex> lock(handoff_mu_);
      ready_cv_.wait(lock, [&] { return ready_ != nullptr || formatter_done_ || failed_.load(); });
      if (failed_.load() || ready_ == nullptr) return;
      batch = std::exchange(ready_, nullptr);
      slot_free_.store(true);
      committing_ = true;
    }
    // The formatter may wait for the slot: with a full batch, or for new records meanwhile
    // (stores and loads seq_cst on both sides, so one of them sees the other).
    slot_cv_.notify_one();
    if (waiting_for_slot_.load()) queue_.wake_consumer();

    if (!commit_batch(*batch)) return;
    batch->clear();
    std::lock_guard<std::mutex> lock(handoff_mu_);
    committing_ = false;
    free_.push_back(batch);
  }
}

Status JournalWriter::flush(std::uint64_t position) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (failed_.load()) return error_;
    if (committed_ >= position) return Status::Ok();
  }
  std::uint64_t current = flush_target_.load();
  while (current < position && !flush_target_.compare_exchange_weak(current, position)) {
  }
  queue_.wake_consumer();  // a formatter lingering over its batch hands it over now
  std::unique_lock<std::mutex> lock(mu_);
  progress_.wait(lock, [&] { return committed_ >= position || failed_.load(); });
  if (failed_.load()) return error_;
  return Status::Ok();
}

void JournalWriter::stop() {
  stop_.store(true);
  queue_.wake_consumer();
  if (formatter_.joinable()) formatter_.join();
  if (committer_.joinable()) {
    // A formatter that never started cannot say it is done.
    finish_formatting();
    committer_.join();
  }
}

Status JournalWriter::finish_file() { return store_->finish_file(); }

void JournalWriter::fail(Status s) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!failed_.load()) {
      error_ = std::move(s);
      failed_.store(true);
    }
  }
  queue_.abort();  // wakes producers asleep on a full queue, and the formatter
  {
    // Waiters check failed_ under this lock: taking it orders their check before the notify.
    std::lock_guard<std::mutex> lock(handoff_mu_);
  }
  ready_cv_.notify_all();
  slot_cv_.notify_all();
  progress_.notify_all();
}

Status JournalWriter::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failed_.load() ? error_ : Status::Ok();
}

JournalHead JournalWriter::head() const {
  std::lock_guard<std::mutex> lock(mu_);
  return head_;
}

std::uint64_t JournalWriter::commits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return commits_;
}

}  // namespace cst::audit
