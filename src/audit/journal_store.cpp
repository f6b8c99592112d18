#include "cst/audit/journal_store.hpp"

#include <sqlite3.h>

#include <climits>
#include <cstring>

#include "cst/audit/wal_checkpointer.hpp"

namespace cst::audit {
namespace {

// Steps a statement that returns no rows and resets it, keeping the bindings' lifetime short.
bool step_done(sqlite3_stmt* stmt) {
  const int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  return rc == SQLITE_DONE;
}

// Runs a pragma that answers with one text row (journal_mode) and returns that text.
Result<std::string> pragma_text(sqlite3* db, const std::string& path, const char* sql) {
  auto stmt = prepare(db, path, sql);
  if (!stmt.ok()) return stmt.error();
  if (sqlite3_step(stmt->get()) != SQLITE_ROW) return sqlite_error(db, path, std::string("cannot run '") + sql + "'");
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt->get(), 0));
  return std::string(text ? text : "");
}

Status enable_wal(sqlite3* db, const std::string& path) {
  auto mode = pragma_text(db, path, "PRAGMA journal_mode = WAL");
  if (!mode.ok()) return mode.error();
  if (*mode != "wal")
    return make_error(ErrorCode::kIo,
                      "audit journal '" + path + "': the file system does not allow WAL mode (got '" + *mode + "')");
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

bool is_busy(sqlite3* db) {
  const int primary = sqlite3_extended_errcode(db) & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

}  // namespace

const char* synchronous_pragma(JournalDurability d) {
  switch (d) {
    case JournalDurability::kNone: return "PRAGMA synchronous = OFF";
    case JournalDurability::kNormal: return "PRAGMA synchronous = NORMAL";
    case JournalDurability::kFull: return "PRAGMA synchronous = FULL";
  }
  return "PRAGMA synchronous = FULL";
}

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
  // The page size is fixed once WAL mode is on, so it is set first. synchronous comes before
  // the schema, so creating a backtest's journal does not wait for fsyncs. WAL mode also
  // brings a sealed journal (rollback-journal mode, see finish_file) back for appending.
  Status s = Status::Ok();
  if (*state == FileState::kEmpty) {
    const int page_size = durability == JournalDurability::kFull ? kLatencyPageSize : kThroughputPageSize;
    s = exec(h, path, ("PRAGMA page_size = " + std::to_string(page_size)).c_str());
  }
  if (s.ok()) s = exec(h, path, synchronous_pragma(durability));
  if (s.ok()) s = exec(h, path, "PRAGMA temp_store = MEMORY");
  if (s.ok()) s = enable_wal(h, path);
  if (s.ok() && *state == FileState::kEmpty) s = create_schema(h, path);
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
  // Replaces SQLite's automatic checkpoint (which is a WAL hook too) for this connection.
  sqlite3_wal_hook(h, &JournalStore::on_wal_commit, store.get());
  auto checkpointer = WalCheckpointer::start(path, durability, kCheckpointFrames, kWalLimitFrames);
  if (!checkpointer.ok()) return checkpointer.error();
  store->checkpointer_ = std::move(*checkpointer);
  return store;
}

JournalStore::~JournalStore() {
  if (checkpointer_) checkpointer_->stop();
}

int JournalStore::on_wal_commit(void* store, sqlite3* /*db*/, const char* /*schema*/, int wal_frames) {
  static_cast<JournalStore*>(store)->wal_frames_ = wal_frames;
  return SQLITE_OK;
}

Status JournalStore::prepare_statements() {
  const std::string insert_one = insert_records_sql(1);
  const std::string insert_many = insert_records_sql(kRowsPerInsert);
  struct Item {
    SqliteStmt* stmt;
    const char* sql;
  };
  const Item items[] = {{&begin_, "BEGIN IMMEDIATE"},
                        {&commit_, "COMMIT"},
                        {&rollback_, "ROLLBACK"},
                        {&insert_one_, insert_one.c_str()},
                        {&insert_many_, insert_many.c_str()},
                        {&advance_count_, kAdvanceHeadCountSql},
                        {&set_hash_, kSetHeadHashSql}};
  for (const Item& item : items) {
    auto stmt = prepare(db_.get(), path_, item.sql);
    if (!stmt.ok()) return stmt.error();
    *item.stmt = std::move(*stmt);
  }
  return Status::Ok();
}

Status JournalStore::commit(const RecordBatch& batch) {
  if (batch.empty()) return Status::Ok();
  Status checkpointed = checkpointer_->status();
  if (!checkpointed.ok()) return checkpointed;
  if (batch[0].seq != head_.count + 1 || batch[0].prev_hash != head_.hash)
    return make_error(ErrorCode::kCorruption, "audit journal '" + path_ + "': batch starting at seq " +
                                                  std::to_string(batch[0].seq) + " does not continue the head at " +
                                                  std::to_string(head_.count) + " (writer bug)");
  if (!step_done(begin_.get())) return sqlite_error(db_.get(), path_, "cannot begin a transaction");
  JournalHead next{batch.back().seq, batch.back().hash};
  Status s = insert_rows(batch);
  if (s.ok()) s = advance_head(next);
  if (s.ok() && !step_done(commit_.get())) s = sqlite_error(db_.get(), path_, "cannot commit a batch");
  if (!s.ok()) {
    // The transaction may already be gone (SQLite rolls back on some errors); nothing to report then.
    if (sqlite3_get_autocommit(db_.get()) == 0) step_done(rollback_.get());
    return s;
  }
  head_ = next;
  last_time_ns_ = batch.back().time_ns;
  checkpointer_->after_commit(wal_frames_);  // may wait, if the WAL outgrew the checkpointer
  return Status::Ok();
}

Status JournalStore::bind_row(sqlite3_stmt* stmt, int first_param, const RecordBatch& batch, const BatchRow& row) {
  const std::string_view kind = batch.kind(row);
  const std::string_view payload = batch.payload(row);
  if (payload.size() > static_cast<std::size_t>(INT_MAX) || kind.size() > static_cast<std::size_t>(INT_MAX))
    return make_error(ErrorCode::kInvalidArgument,
                      "audit journal '" + path_ + "': record " + std::to_string(row.seq) + " is too large");
  // SQLITE_STATIC: the batch outlives the statement step that reads these bytes.
  int rc = sqlite3_bind_int64(stmt, first_param, static_cast<sqlite3_int64>(row.seq));
  rc |= sqlite3_bind_int64(stmt, first_param + 1, row.time_ns);
  rc |= sqlite3_bind_text(stmt, first_param + 2, kind.data(), static_cast<int>(kind.size()), SQLITE_STATIC);
  rc |= sqlite3_bind_text(stmt, first_param + 3, payload.data(), static_cast<int>(payload.size()), SQLITE_STATIC);
  rc |= sqlite3_bind_blob(stmt, first_param + 4, row.prev_hash.data(), static_cast<int>(row.prev_hash.size()),
                          SQLITE_STATIC);
  rc |= sqlite3_bind_blob(stmt, first_param + 5, row.hash.data(), static_cast<int>(row.hash.size()), SQLITE_STATIC);
  if (rc != SQLITE_OK) return sqlite_error(db_.get(), path_, "cannot bind record " + std::to_string(row.seq));
  return Status::Ok();
}

// kRowsPerInsert rows per statement while that many remain, then one by one.
Status JournalStore::insert_rows(const RecordBatch& batch) {
  std::size_t i = 0;
  while (i < batch.size()) {
    const bool many = batch.size() - i >= static_cast<std::size_t>(kRowsPerInsert);
    sqlite3_stmt* stmt = many ? insert_many_.get() : insert_one_.get();
    const std::size_t rows = many ? static_cast<std::size_t>(kRowsPerInsert) : 1;
    for (std::size_t r = 0; r < rows; ++r) {
      Status s = bind_row(stmt, static_cast<int>(r) * kColumnsPerRow + 1, batch, batch[i + r]);
      if (!s.ok()) return s;
    }
    const bool ok = step_done(stmt);
    if (!ok) return sqlite_error(db_.get(), path_, "cannot write record " + std::to_string(batch[i].seq));
    i += rows;
  }
  // No statement keeps pointers into the batch, which is reused for the next one.
  sqlite3_clear_bindings(insert_many_.get());
  sqlite3_clear_bindings(insert_one_.get());
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

Status JournalStore::finish_file() {
  checkpointer_->stop();  // closes its connection, which would keep the file in WAL mode
  Status background = checkpointer_->status();
  if (!background.ok()) return background;
  sqlite3* h = db_.get();
  // Do not wait for other connections: whoever else has the file open keeps it in WAL mode.
  sqlite3_busy_timeout(h, 0);
  int log_frames = 0;
  int checkpointed = 0;
  const int rc = sqlite3_wal_checkpoint_v2(h, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log_frames, &checkpointed);
  if (rc != SQLITE_OK) {
    if (is_busy(h)) return Status::Ok();
    return sqlite_error(h, path_, "cannot checkpoint the WAL into the journal");
  }
  auto mode = pragma_text(h, path_, "PRAGMA journal_mode = DELETE");
  if (!mode.ok()) {
    if (is_busy(h)) return Status::Ok();
    return mode.error();
  }
  return Status::Ok();
}

}  // namespace cst::audit
