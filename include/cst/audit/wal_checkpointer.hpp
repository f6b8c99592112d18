// WalCheckpointer: copies the journal's WAL back into its file on a thread of its own, so that
// no commit waits for a checkpoint.
//
// Why. SQLite's automatic checkpoint runs inside the commit that takes the WAL past 1000
// frames: the writer stops to copy ~16-32 MB and, with kNormal or kFull, to fsync the WAL and
// the file. Measured on a 2-vCPU VM with the writer flat out, that made up ~0.3 us of the
// ~1.35 us of SQLite CPU per record and, with kNormal, left the writer waiting on the disk for
// more than half of its time (BENCHMARKS.md, audit journal).
//
// How. The journal's store turns SQLite's automatic checkpoint off (sqlite3_wal_hook) and
// reports the WAL's size after each commit. Once `threshold` frames were appended since the
// last pass, the thread runs a PASSIVE checkpoint on its own connection: it never blocks the
// writer or a reader, and copies every frame that no reader still needs. The WAL starts over
// from its beginning only when a pass has copied all of it before the writer's next
// transaction, which a writer that keeps committing while passes run may never allow; so once
// the WAL holds more than `limit` frames, after_commit() waits for the pass it starts (which
// then copies everything) and the next transaction starts the WAL over. That bounds the WAL,
// and is back-pressure on a writer faster than the disk. A checkpoint syncs as the journal's
// durability says.
//
// The file ends the same either way: pages are written where SQLite's own checkpoint would
// write them, and the journal's clean close still folds whatever is left (JournalStore::
// finish_file), after stop().
//
// Thread rules: after_commit() and status() from the journal's writer (one thread at a time);
// stop() from the thread that owns the journal, with no after_commit() racing it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cst/audit/audit_journal.hpp"
#include "cst/audit/sqlite_db.hpp"
#include "cst/core/result.hpp"

namespace cst::audit {

class WalCheckpointer {
 public:
  // Opens a second connection to the journal at path (already in WAL mode) and starts the
  // thread. threshold and limit are in WAL frames (one frame per page written).
  static Result<std::unique_ptr<WalCheckpointer>> start(const std::string& path, JournalDurability durability,
                                                        int threshold, int limit);
  ~WalCheckpointer();  // stop()
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // After each commit, with the number of frames the WAL holds now.
  void after_commit(int wal_frames);
  // OK unless a checkpoint failed (an I/O error); the journal then fails like for any other.
  Status status() const;
  // Ends the thread after its current pass and closes its connection. Idempotent.
  void stop();

  // Passes run so far (tests and benchmarks).
  std::uint64_t passes() const;

 private:
  WalCheckpointer(std::string path, SqliteDb db, int threshold, int limit);
  void run();
  void fail(Status s);

  const std::string path_;
  SqliteDb db_;  // the thread's
  const int threshold_;
  const int limit_;
  std::thread thread_;

  mutable std::mutex mu_;         // guards everything below
  std::condition_variable wake_;  // the thread waits for frames
  std::condition_variable done_;  // a writer over the limit waits for a pass
  int last_frames_ = 0;           // the WAL's size at the last commit
  std::int64_t appended_ = 0;     // frames appended since the last pass started
  bool over_limit_ = false;       // a writer waits for a pass
  std::uint64_t started_ = 0;     // passes started
  std::uint64_t finished_ = 0;    // passes finished
  bool stopping_ = false;
  Status error_;
};

}  // namespace cst::audit
