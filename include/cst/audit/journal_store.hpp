// JournalStore: the journal file as seen by its one writer. It opens or creates the file
// (checking that a reopened file's stored head matches its last record), commits batches of
// chained records (record_batch.hpp) in one transaction with the new head, and on a clean
// close folds the WAL back into the file so that a sealed journal is one self-contained file.
// While it is open, a WalCheckpointer (wal_checkpointer.hpp) copies the WAL into the file on
// a thread of its own, instead of SQLite doing it inside a commit.
//
// Thread rules: opened on the caller's thread, then used by the journal's writer threads
// (journal_writer.hpp), then, after they ended, by close() for finish_file(): always one
// thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "cst/audit/audit_journal.hpp"
#include "cst/audit/journal_schema.hpp"
#include "cst/audit/record_batch.hpp"
#include "cst/audit/sqlite_db.hpp"

namespace cst::audit {

class WalCheckpointer;

// The `PRAGMA synchronous` of a durability (audit_journal.hpp).
const char* synchronous_pragma(JournalDurability durability);

// WAL frames (pages written) between checkpoint passes, as SQLite's automatic checkpoint
// (1000); and the WAL size at which a commit waits for the checkpointer to catch up.
inline constexpr int kCheckpointFrames = 1000;
inline constexpr int kWalLimitFrames = 4 * kCheckpointFrames;

class JournalStore {
 public:
  static Result<std::unique_ptr<JournalStore>> open(const std::string& path, JournalDurability durability);

  ~JournalStore();  // stops the checkpointer, then closes the file
  JournalStore(const JournalStore&) = delete;
  JournalStore& operator=(const JournalStore&) = delete;

  // Writes the batch's rows, which must continue the chain at head(), in one transaction
  // with the new head. On error the transaction is rolled back and head() is unchanged. A
  // checkpoint that failed since the last commit fails this one, before anything is written.
  Status commit(const RecordBatch& batch);

  // For a clean close: checkpoints the WAL into the file, truncates it and switches the file
  // to rollback-journal mode, so no -wal or -shm file is left. If another connection has the
  // file open (a reader, a second writer) the file is left as it is, in WAL mode, which is
  // just as valid; the next writer's clean close folds it. Errors only for I/O failures.
  // Stops the checkpointer first.
  Status finish_file();

  const JournalHead& head() const { return head_; }
  // Time of the last record (0 for an empty journal); the seal reuses it.
  std::int64_t last_time_ns() const { return last_time_ns_; }

 private:
  JournalStore() = default;
  Status prepare_statements();
  Status insert_rows(const RecordBatch& batch);
  Status bind_row(sqlite3_stmt* stmt, int first_param, const RecordBatch& batch, const BatchRow& row);
  Status advance_head(const JournalHead& next);
  static int on_wal_commit(void* store, sqlite3* db, const char* schema, int wal_frames);

  std::string path_;
  SqliteDb db_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // after db_: stopped before it closes
  int wal_frames_ = 0;                             // the WAL's size after the last commit
  SqliteStmt begin_, commit_, rollback_, insert_one_, insert_many_, advance_count_, set_hash_;
  JournalHead head_;
  std::int64_t last_time_ns_ = 0;
};

}  // namespace cst::audit
