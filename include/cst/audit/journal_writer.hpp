// JournalWriter: the journal's two writer threads and the group commit between them.
//
//   producers ──► RecordQueue ──► formatter ──(RecordBatch)──► committer ──► SQLite file
//
// The formatter drains the queue in order and turns each entry into the next record of the
// chain (seq, canonical JSON, hash: RecordChainer) in the batch it is filling. It hands the
// batch to the committer as soon as one of these holds:
//   - the batch has max_batch records;
//   - a flush() (close() flushes too) waits for any record not yet handed over: a flush never
//     waits for the linger;
//   - `linger` has passed since the batch got its first record. A slow producer (a backtest
//     that decides a few times per thousand bars) thus gets one transaction per linger period,
//     not one per record.
// The committer writes each batch in one transaction with the new head. Formatting and hashing
// (~1 µs a record) overlap with SQLite's inserts on another core. Three batches rotate (filling,
// ready, committing); while the committer is busy the filling batch keeps growing up to
// max_batch, so a slow disk (kFull) gets bigger transactions rather than more of them.
// One shortcut: a batch that a flush() waits for, found while the committer is idle, is
// committed by the formatter itself (the store is used by one thread at a time, under the
// hand-over lock). That is the paper/live path, append-flush-send, which would otherwise pay
// for waking a second thread on every order.
//
// The first failure (SQLite, OpenSSL, an exception) stops both threads for good, aborts the
// queue so that producers never block on it, and is what status() and flush() report.
//
// Thread rules: start(), stop() and finish_file() from the thread that owns the journal, in
// that order; flush(), status(), head() and commits() from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cst/audit/audit_journal.hpp"
#include "cst/audit/journal_store.hpp"
#include "cst/audit/record_batch.hpp"
#include "cst/audit/record_queue.hpp"

namespace cst::audit {

class JournalWriter {
 public:
  // Continues the chain at store->head(); the queue must outlive the writer.
  JournalWriter(std::unique_ptr<JournalStore> store, RecordQueue& queue, const JournalOptions& options,
                std::string path);
  ~JournalWriter();  // stop()
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  Status start();
  // Hands over, at once, every record before queue position `position` and returns once they
  // are committed; the writer's error if it failed.
  Status flush(std::uint64_t position);
  // Ends both threads: any batch in hand is committed first. Call after the last flush().
  void stop();
  // After stop(), if status() is OK: folds the WAL into the file (JournalStore::finish_file).
  Status finish_file();

  Status status() const;
  // The last committed record (count and hash).
  JournalHead head() const;
  // Transactions committed since start().
  std::uint64_t commits() const;

 private:
  using Clock = std::chrono::steady_clock;

  void guarded(void (JournalWriter::*loop)(), const char* thread_name);
  void format_loop();
  void commit_loop();
  bool commit_here(RecordBatch* filling);
  bool commit_batch(const RecordBatch& batch);
  bool hand_off(RecordBatch** filling);
  void wait_for_slot();
  void finish_formatting();
  void fail(Status s);

  const std::string path_;
  const std::size_t max_batch_;
  const Clock::duration linger_;
  std::unique_ptr<JournalStore> store_;  // used by whichever thread set committing_
  RecordQueue& queue_;
  RecordChainer chainer_;  // the formatter's
  std::vector<std::unique_ptr<RecordBatch>> batches_;
  std::thread formatter_;
  std::thread committer_;

  std::atomic<bool> stop_{false};
  std::atomic<bool> failed_{false};
  std::atomic<std::uint64_t> flush_target_{0};  // queue positions some flush() waits for
  std::uint64_t handed_off_ = 0;                // the formatter's: positions given to the committer

  std::mutex handoff_mu_;             // guards the five fields below
  std::condition_variable ready_cv_;  // the committer waits for a ready batch
  std::condition_variable slot_cv_;   // the formatter, with a full batch, waits for the slot
  RecordBatch* ready_ = nullptr;
  std::vector<RecordBatch*> free_;
  bool formatter_done_ = false;
  bool committing_ = false;                    // a thread is using the store
  std::atomic<bool> slot_free_{true};          // ready_ == nullptr, readable without the lock
  std::atomic<bool> waiting_for_slot_{false};  // the formatter sleeps on the queue for the slot

  mutable std::mutex mu_;  // guards the fields below
  std::condition_variable progress_;
  std::uint64_t committed_ = 0;  // queue positions committed since start()
  std::uint64_t commits_ = 0;
  JournalHead head_;
  Status error_;
};

}  // namespace cst::audit
