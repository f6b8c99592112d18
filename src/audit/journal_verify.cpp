#include "cst/audit/journal_verify.hpp"

#include <sqlite3.h>

#include <cstring>

#include "cst/audit/hash_chain.hpp"
#include "cst/audit/journal_schema.hpp"
#include "cst/audit/record_format.hpp"
#include "cst/audit/sqlite_db.hpp"

namespace cst {

using audit::Hash256;

namespace {

// A read-only connection to a file that is a journal this build can read, inside a read
// transaction so that meta and records come from one snapshot.
Result<audit::SqliteDb> open_for_reading(const std::string& path) {
  auto db = audit::open_sqlite(path, audit::OpenMode::kReadOnly);
  if (!db.ok()) return db.error();
  auto state = audit::inspect_journal(db->get(), path);
  if (!state.ok()) return state.error();
  if (*state == audit::FileState::kEmpty)
    return make_error(ErrorCode::kCorruption, "'" + path + "' is not a cst audit journal (an empty database)");
  Status s = audit::exec(db->get(), path, "BEGIN");
  if (!s.ok()) return s.error();
  return db;
}

std::string_view text_column(sqlite3_stmt* stmt, int col) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
  return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, col))) : std::string_view();
}

bool hash_column(sqlite3_stmt* stmt, int col, Hash256* out) {
  if (sqlite3_column_type(stmt, col) != SQLITE_BLOB || sqlite3_column_bytes(stmt, col) != 32) return false;
  std::memcpy(out->data(), sqlite3_column_blob(stmt, col), out->size());
  return true;
}

// Walks the rows in seq order and records the first break in the chain.
class ChainChecker {
 public:
  explicit ChainChecker(VerifyReport* report) : report_(report) {}

  // Checks one row (columns as in kSelectRecordsSql); after the first problem it only counts.
  void check(sqlite3_stmt* row) {
    ++report_->records;
    const auto seq = sqlite3_column_int64(row, 0);
    // Types first: reading a column as text converts it, after which its type is undefined.
    const bool types_ok = sqlite3_column_type(row, 1) == SQLITE_INTEGER && sqlite3_column_type(row, 2) == SQLITE_TEXT &&
                          sqlite3_column_type(row, 3) == SQLITE_TEXT;
    const std::string_view kind = text_column(row, 2);
    const std::string_view payload = text_column(row, 3);
    // Whether the file ends with a seal is told even when the chain broke earlier.
    sealed_ = kind == audit::kKindJournalClose && seq > 0 && payload == seal_payload(static_cast<std::uint64_t>(seq));
    if (broken()) return;
    if (seq != static_cast<std::int64_t>(expected_)) {
      return seq > static_cast<std::int64_t>(expected_)
                 ? flag(expected_, "record " + std::to_string(expected_) + " is missing: the next record is seq " +
                                       std::to_string(seq) + " (records were deleted)")
                 : flag(expected_, "unexpected seq " + std::to_string(seq) + " before seq 1 (a record was inserted)");
    }
    Hash256 prev{}, stored{};
    if (!types_ok || !hash_column(row, 4, &prev) || !hash_column(row, 5, &stored))
      return flag(expected_, "record " + std::to_string(seq) + " has a column of the wrong type or size (edited)");
    if (prev != running_)
      return flag(expected_, "record " + std::to_string(seq) + ": prev_hash does not match the hash of record " +
                                 std::to_string(seq - 1) + " (records were reordered, or one before it was replaced)");
    auto recomputed = hasher_.hash(prev, expected_, sqlite3_column_int64(row, 1), kind, payload);
    if (!recomputed.ok()) return flag(expected_, recomputed.error().message);
    if (*recomputed != stored)
      return flag(expected_, "record " + std::to_string(seq) +
                                 ": hash does not match its contents (time, kind or payload was edited)");
    running_ = stored;
    report_->head_hash_hex = audit::to_hex(stored);
    ++expected_;
  }

  // After the last row: the stored head must name exactly the last record.
  void check_head(const Result<audit::JournalHead>& head) {
    report_->sealed = sealed_;
    if (broken()) return;
    const std::uint64_t last = expected_ - 1;
    if (!head.ok()) return flag(last + 1, head.error().message);
    if (head->count > last)
      return flag(last + 1, "the journal ends at seq " + std::to_string(last) + " but its head says " +
                                std::to_string(head->count) + " records: the last " +
                                std::to_string(head->count - last) + " were removed (truncated)");
    if (head->count < last)
      return flag(head->count + 1, "the head says " + std::to_string(head->count) +
                                       " records but the journal continues to seq " + std::to_string(last) +
                                       ": records were added after the head, or the head was edited");
    if (head->hash != running_)
      return flag(last == 0 ? 1 : last,
                  "the stored head hash does not match record " + std::to_string(last) + ": the head was edited");
  }

  bool broken() const { return report_->first_bad_seq != 0; }

 private:
  void flag(std::uint64_t seq, std::string problem) {
    report_->first_bad_seq = seq;
    report_->problem = std::move(problem);
  }
  const std::string& seal_payload(std::uint64_t seq) {
    audit::format_seal_payload(seq, &seal_);
    return seal_;
  }

  VerifyReport* report_;
  audit::RecordHasher hasher_;
  Hash256 running_ = audit::kZeroHash;
  std::uint64_t expected_ = 1;
  bool sealed_ = false;
  std::string seal_;
};

}  // namespace

Result<VerifyReport> verify_journal(const std::string& path) {
  auto db = open_for_reading(path);
  if (!db.ok()) return db.error();
  VerifyReport report;
  report.head_hash_hex = audit::to_hex(audit::kZeroHash);
  auto head = audit::read_head(db->get(), path);
  auto stmt = audit::prepare(db->get(), path, audit::kSelectRecordsSql);
  if (!stmt.ok()) return stmt.error();
  ChainChecker checker(&report);
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(stmt->get())) == SQLITE_ROW) checker.check(stmt->get());
  if (rc != SQLITE_DONE) return audit::sqlite_error(db->get(), path, "cannot read the records");
  checker.check_head(head);
  report.ok = !checker.broken();
  return report;
}

Status for_each_record(const std::string& path, const std::function<bool(const JournalRecordView&)>& fn) {
  auto db = open_for_reading(path);
  if (!db.ok()) return db.error();
  auto stmt = audit::prepare(db->get(), path, "SELECT seq, time_ns, kind, payload FROM records ORDER BY seq");
  if (!stmt.ok()) return stmt.error();
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(stmt->get())) == SQLITE_ROW) {
    JournalRecordView view;
    view.seq = static_cast<std::uint64_t>(sqlite3_column_int64(stmt->get(), 0));
    view.time_ns = sqlite3_column_int64(stmt->get(), 1);
    view.kind = text_column(stmt->get(), 2);
    view.payload = text_column(stmt->get(), 3);
    if (!fn(view)) return Status::Ok();
  }
  if (rc != SQLITE_DONE) return audit::sqlite_error(db->get(), path, "cannot read the records");
  return Status::Ok();
}

}  // namespace cst
