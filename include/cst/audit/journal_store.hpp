// JournalStore: the journal file as seen by its one writer. It opens or creates the file
// (checking that a reopened file's stored head matches its last record), and commits batches
// of formatted records, hashing each onto the chain, in one transaction with the new head.
//
// Thread rules: owned and used by the AuditJournal's writer thread (opened on the caller's
// thread before the writer starts).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "cst/audit/audit_journal.hpp"
#include "cst/audit/hash_chain.hpp"
#include "cst/audit/journal_schema.hpp"
#include "cst/audit/sqlite_db.hpp"

namespace cst::audit {

// One record, formatted and waiting for its transaction. The strings are reused from batch
// to batch, so a warm writer does not allocate for them.
struct PendingRecord {
  std::int64_t time_ns = 0;
  std::string kind;
  std::string payload;
};

class JournalStore {
 public:
  static Result<std::unique_ptr<JournalStore>> open(const std::string& path, JournalDurability durability);

  JournalStore(const JournalStore&) = delete;
  JournalStore& operator=(const JournalStore&) = delete;

  // Writes rows[0..n) as seq head.count+1 ... in one transaction with the new head. On error
  // the transaction is rolled back and head() is unchanged.
  Status commit(const PendingRecord* rows, std::size_t n);

  const JournalHead& head() const { return head_; }
  // Time of the last record (0 for an empty journal); the seal reuses it.
  std::int64_t last_time_ns() const { return last_time_ns_; }

 private:
  JournalStore() = default;
  Status prepare_statements();
  Status insert_rows(const PendingRecord* rows, std::size_t n, JournalHead* head);
  Status advance_head(const JournalHead& next);

  std::string path_;
  SqliteDb db_;
  SqliteStmt begin_, commit_, rollback_, insert_, advance_count_, set_hash_;
  RecordHasher hasher_;
  JournalHead head_;
  std::int64_t last_time_ns_ = 0;
};

}  // namespace cst::audit
