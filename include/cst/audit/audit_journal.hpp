// AuditJournal: the write-ahead, hash-chained record of every gateway decision, order event and
// operator action (DESIGN.md invariant 3). One SQLite file per journal (journal_schema.hpp);
// each record's hash covers the previous record's hash (hash_chain.hpp), so verify_journal()
// (journal_verify.hpp) finds any edited, removed or reordered record.
//
// Who does what. Producers (the gateway, the order manager, operators) call append(); it copies
// the record into a bounded, preallocated queue (record_queue.hpp) and returns. Two writer
// threads owned by the journal (journal_writer.hpp) take records in queue order, assign seq
// 1, 2, 3, ..., format the JSON (record_format.hpp) and hash, and commit batches in one
// transaction each together with the new head in `meta`. A journal reopened later continues
// the same chain.
//
// Group commit. A batch is committed when it has max_batch records, when flush() or close()
// asks for any of its records (at once: a flush never waits for the linger), or when `linger`
// has passed since its first record. So a fast producer gets transactions of max_batch
// records, a slow one (a backtest deciding a few times per thousand bars) about one per
// linger period, and paper/live, which flush before each order, one per order.
//
// The file. While open, the journal is in WAL mode (-wal and -shm files beside it). close()
// folds the WAL back and leaves one self-contained file (unless another connection has it
// open at that moment); reopening it for appending switches back to WAL.
//
// What callers may rely on:
//   - Nothing is dropped: a full queue blocks the producer until the writer frees space.
//   - Appending a DecisionRecord or OrderEventRecord does not allocate and takes no lock while
//     the queue has room. A NoteRecord is moved in (its strings were allocated by the caller).
//   - Each producer's records keep their order; seq follows queue order.
//   - flush() returns once everything appended before the call is committed, and durable as
//     far as `durability` promises. Paper and live call it before an order leaves the process.
//   - Without flush(), a record is committed at most about `linger` after the writer took it.
//   - If the writer fails (disk full, file taken away), it stops for good: appends return at
//     once without journaling, and flush(), close() and health() report the first error.
//     Appends made after close() are not journaled either and make health() fail.
//   - The journal has no clock of its own: the seal written by close() carries the time of the
//     last record, so identical input gives a byte-identical file and head hash.
//
// Thread rules: append() from any number of threads. flush(), health(), head_hash_hex(),
// records_written() and commits() from any thread. close() once from one thread, with no
// append racing it that must be journaled (an append racing close() is either journaled
// before the seal or refused, never written after it). The destructor calls close().
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "cst/audit/records.hpp"
#include "cst/core/result.hpp"

namespace cst {

enum class JournalDurability : std::uint8_t {
  kNone,    // synchronous=OFF: a crash of the machine may lose recent batches (backtests)
  kNormal,  // synchronous=NORMAL with WAL: survives a process crash, not a power cut
  kFull,    // synchronous=FULL: every batch commit is fsynced (paper and live)
};

struct JournalOptions {
  // Entries; rounded up to a power of two. The whole ring (~270 bytes an entry) is allocated
  // and written when the journal opens, so that an append never takes a page fault on the
  // decision path. The default (~17 MB) absorbs a long burst without blocking the producer,
  // which live trading wants; pre-touching it costs a few ms at open with transparent huge
  // pages and ~100 ms without (record_queue.hpp). Backtests and tests that open many journals
  // should use a few thousand: 4096 entries (~1 MB) take ~0.4 ms, and a producer that outruns
  // the writer just blocks earlier.
  std::size_t queue_capacity = 65536;
  std::size_t max_batch = 4096;  // records per transaction at most
  // Group commit: how long the writer may hold a record, waiting for others to share its
  // transaction. 0 commits whatever the writer finds at once. 0 .. 24 hours.
  std::chrono::microseconds linger = std::chrono::milliseconds(2);
  JournalDurability durability = JournalDurability::kFull;
};

class AuditJournal {
 public:
  // Creates the journal at path, or reopens it and continues its chain. Refuses, naming the
  // file, one that is not a cst journal, has a newer format version, or whose stored head does
  // not match its last record (someone truncated or edited it: run `cst audit verify`).
  static Result<std::unique_ptr<AuditJournal>> open(const std::string& path, const JournalOptions& options);

  ~AuditJournal();
  AuditJournal(const AuditJournal&) = delete;
  AuditJournal& operator=(const AuditJournal&) = delete;

  void append(const DecisionRecord& record);
  void append(const OrderEventRecord& record);
  void append(NoteRecord record);

  // Blocks until all records appended before this call are committed; the writer's error if it
  // failed.
  Status flush();
  // Appends the seal (kind "journal_close", payload {"records":N}), flushes and stops the
  // writer. Later calls return the first call's result.
  Status close();
  // OK while the writer works and every append was accepted.
  Status health() const;

  // Hash of the last committed record, 64 hex characters (all zeros for an empty journal).
  // Call after flush() to see the hash of your own records.
  std::string head_hash_hex() const;
  // Records in the journal file, including those of earlier sessions and seals.
  std::uint64_t records_written() const;
  // Transactions the writer committed since open() (each holds one batch of records).
  std::uint64_t commits() const;
  const std::string& path() const;

 private:
  struct Impl;
  explicit AuditJournal(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cst
