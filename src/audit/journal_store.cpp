#include "cst/audit/journal_store.hpp"

#include <sqlite3.h>

#include <cstring>

namespace cst::audit {
namespace {

// Steps a statement that returns no rows and resets it, keeping the bindings' lifetime short.
bool step_done(sqlite3_stmt* stmt) {
  const int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  return rc == SQLITE_DONE;
}

const char* synchronous_pragma(JournalDurability d) {
  switch (d) {
    case JournalDurability::kNone: return "PRAGMA synchronous = OFF";
    case JournalDurability::kNormal: return "PRAGMA synchronous = NORMAL";
    case JournalDurability::kFull: return "PRAGMA synchronous = FULL";
  }
  return "PRAGMA synchronous = FULL";
}

Status enable_wal(sqlite3* db, const std::string& path) {
  auto stmt = prepare(db, path, "PRAGMA journal_mode = WAL");
  if (!stmt.ok()) return stmt.error();
  if (sqlite3_step(stmt->get()) != SQLITE_ROW) return sqlite_error(db, path, "cannot switch to WAL mode");
  const auto* mode = reinterpret_cast<const char*>(sqlite3_column_text(stmt->get(), 0));
  if (mode == nullptr || std::strcmp(mode, "wal") != 0)
    return make_error(ErrorCode::kIo, "audit journal '" + path + "': the file system does not allow WAL mode (got '" +
                                          std::string(mode ? mode : "?") + "')");
  return Status::Ok();
}

// A reopened journal continues its chain from the stored head, so the head must be the last row.
Status check_head_matches_last(const std::string& path, const JournalHead& head,
                               const std::optional<LastRecord>& last) {
  const std::uint64_t last_seq = last ? last->seq : 0;
  const Hash256 last_hash = last ? last->hash : kZeroHash;
  if (head.count == last_seq && head.hash == last_hash) return Status::Ok();
  return make_error(ErrorCode::kCorruption,
                    "audit journal '" + path + "': stored head (" + std::to_string(head.count) + " records, hash " +
                        to_hex(head.hash).substr(0, 16) + "...) does not match the last record (seq " +
                        std::to_string(last_seq) + ", hash " + to_hex(last_hash).substr(0, 16) +
                        "...); the file was truncated or edited. Refusing to continue its chain; run "
                        "`cst audit verify " +
                        path + "`");
}

}  // namespace

Result<std::unique_ptr<JournalStore>> JournalStore::open(const std::string& path, JournalDurability durability) {
  auto db = open_sqlite(path, OpenMode::kReadWriteCreate);
  if (!db.ok()) return db.error();
  std::unique_ptr<JournalStore> store(new JournalStore());
  store->path_ = path;
  store->db_ = std::move(*db);
  sqlite3* h = store->db_.get();

  // Inspect before changing anything, so a file that is not ours is left untouched.
  auto state = inspect_journal(h, path);
  if (!state.ok()) return state.error();
  Status s = Status::Ok();
  // 16 KiB pages: the journal only appends ~0.7 KB rows, and bigger pages cut the number of
  // WAL writes and checkpoint copies (measured: about 1.5x the throughput of 4 KiB pages).
  // The page size is fixed once WAL mode is on, so it is set first.
  if (*state == FileState::kEmpty) s = exec(h, path, "PRAGMA page_size = 16384");
  if (s.ok()) s = enable_wal(h, path);
  if (s.ok() && *state == FileState::kEmpty) s = create_schema(h, path);
  if (s.ok()) s = exec(h, path, synchronous_pragma(durability));
  if (!s.ok()) return s.error();

  auto head = read_head(h, path);
  if (!head.ok()) return head.error();
  auto last = read_last_record(h, path);
  if (!last.ok()) return last.error();
  s = check_head_matches_last(path, *head, *last);
  if (!s.ok()) return s.error();
  store->head_ = *head;
  store->last_time_ns_ = *last ? (*last)->time_ns : 0;

  s = store->prepare_statements();
  if (!s.ok()) return s.error();
  return store;
}

Status JournalStore::prepare_statements() {
  struct Item {
    SqliteStmt* stmt;
    const char* sql;
  };
  const Item items[] = {{&begin_, "BEGIN IMMEDIATE"},
                        {&commit_, "COMMIT"},
                        {&rollback_, "ROLLBACK"},
                        {&insert_, kInsertRecordSql},
                        {&advance_count_, kAdvanceHeadCountSql},
                        {&set_hash_, kSetHeadHashSql}};
  for (const Item& item : items) {
    auto stmt = prepare(db_.get(), path_, item.sql);
    if (!stmt.ok()) return stmt.error();
    *item.stmt = std::move(*stmt);
  }
  return Status::Ok();
}

Status JournalStore::commit(const PendingRecord* rows, std::size_t n) {
  if (n == 0) return Status::Ok();
  if (!step_done(begin_.get())) return sqlite_error(db_.get(), path_, "cannot begin a transaction");
  JournalHead next = head_;
  Status s = insert_rows(rows, n, &next);
  if (s.ok()) s = advance_head(next);
  if (s.ok() && !step_done(commit_.get())) s = sqlite_error(db_.get(), path_, "cannot commit a batch");
  if (!s.ok()) {
    // The transaction may already be gone (SQLite rolls back on some errors); nothing to report then.
    if (sqlite3_get_autocommit(db_.get()) == 0) step_done(rollback_.get());
    return s;
  }
  head_ = next;
  last_time_ns_ = rows[n - 1].time_ns;
  return Status::Ok();
}

Status JournalStore::insert_rows(const PendingRecord* rows, std::size_t n, JournalHead* head) {
  sqlite3_stmt* ins = insert_.get();
  for (std::size_t i = 0; i < n; ++i) {
    const PendingRecord& r = rows[i];
    const std::uint64_t seq = head->count + 1;
    auto hash = hasher_.hash(head->hash, seq, r.time_ns, r.kind, r.payload);
    if (!hash.ok()) return hash.error();
    sqlite3_bind_int64(ins, 1, static_cast<sqlite3_int64>(seq));
    sqlite3_bind_int64(ins, 2, r.time_ns);
    sqlite3_bind_text(ins, 3, r.kind.data(), static_cast<int>(r.kind.size()), SQLITE_STATIC);
    sqlite3_bind_text(ins, 4, r.payload.data(), static_cast<int>(r.payload.size()), SQLITE_STATIC);
    sqlite3_bind_blob(ins, 5, head->hash.data(), static_cast<int>(head->hash.size()), SQLITE_STATIC);
    sqlite3_bind_blob(ins, 6, hash->data(), static_cast<int>(hash->size()), SQLITE_STATIC);
    const bool ok = step_done(ins);
    sqlite3_clear_bindings(ins);
    if (!ok) return sqlite_error(db_.get(), path_, "cannot write record " + std::to_string(seq));
    head->count = seq;
    head->hash = *hash;
  }
  return Status::Ok();
}

Status JournalStore::advance_head(const JournalHead& next) {
  sqlite3_stmt* cnt = advance_count_.get();
  sqlite3_bind_int64(cnt, 1, static_cast<sqlite3_int64>(next.count));
  sqlite3_bind_int64(cnt, 2, static_cast<sqlite3_int64>(head_.count));
  if (!step_done(cnt)) return sqlite_error(db_.get(), path_, "cannot update the head");
  if (sqlite3_changes(db_.get()) != 1)
    return make_error(ErrorCode::kCorruption, "audit journal '" + path_ + "': the stored head moved from " +
                                                  std::to_string(head_.count) +
                                                  " records under this writer; another process writes this file");
  sqlite3_stmt* hash = set_hash_.get();
  sqlite3_bind_blob(hash, 1, next.hash.data(), static_cast<int>(next.hash.size()), SQLITE_STATIC);
  const bool ok = step_done(hash);
  sqlite3_clear_bindings(hash);
  if (!ok) return sqlite_error(db_.get(), path_, "cannot update the head hash");
  return Status::Ok();
}

}  // namespace cst::audit
