#include "cst/audit/journal_schema.hpp"

#include <sqlite3.h>

#include <cstring>

namespace cst::audit {
namespace {

Error not_a_journal(const std::string& path, const std::string& why) {
  return make_error(ErrorCode::kCorruption, "'" + path + "' is not a cst audit journal (" + why + ")");
}

// Runs a query that returns one integer; errors name the file.
Result<std::int64_t> query_int(sqlite3* db, const std::string& path, const char* sql) {
  auto stmt = prepare(db, path, sql);
  if (!stmt.ok()) return stmt.error();
  if (sqlite3_step(stmt->get()) != SQLITE_ROW) return sqlite_error(db, path, std::string("cannot run '") + sql + "'");
  return static_cast<std::int64_t>(sqlite3_column_int64(stmt->get(), 0));
}

Result<bool> has_table(sqlite3* db, const std::string& path, const char* name) {
  auto stmt = prepare(db, path, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1");
  if (!stmt.ok()) return stmt.error();
  sqlite3_bind_text(stmt->get(), 1, name, -1, SQLITE_STATIC);
  if (sqlite3_step(stmt->get()) != SQLITE_ROW) return sqlite_error(db, path, "cannot read the schema");
  return sqlite3_column_int64(stmt->get(), 0) > 0;
}

// One meta value as a prepared statement positioned on its row (or done if the key is absent).
Result<SqliteStmt> meta_value(sqlite3* db, const std::string& path, const char* key) {
  auto stmt = prepare(db, path, "SELECT value FROM meta WHERE key = ?1");
  if (!stmt.ok()) return stmt.error();
  sqlite3_bind_text(stmt->get(), 1, key, -1, SQLITE_STATIC);
  const int rc = sqlite3_step(stmt->get());
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sqlite_error(db, path, "cannot read meta");
  if (rc == SQLITE_DONE) return make_error(ErrorCode::kNotFound, key);
  return stmt;
}

Result<Hash256> hash_from_column(sqlite3_stmt* stmt, int col) {
  if (sqlite3_column_type(stmt, col) != SQLITE_BLOB || sqlite3_column_bytes(stmt, col) != 32)
    return make_error(ErrorCode::kCorruption, "not a 32-byte hash");
  Hash256 h{};
  std::memcpy(h.data(), sqlite3_column_blob(stmt, col), h.size());
  return h;
}

}  // namespace

std::string insert_records_sql(int rows) {
  std::string sql = "INSERT OR ROLLBACK INTO records(seq, time_ns, kind, payload, prev_hash, hash) VALUES";
  for (int i = 0; i < rows; ++i) sql += i == 0 ? "(?,?,?,?,?,?)" : ",(?,?,?,?,?,?)";
  return sql;
}

Result<FileState> inspect_journal(sqlite3* db, const std::string& path) {
  // The first read of a file that is not SQLite fails here with SQLITE_NOTADB.
  auto tables = query_int(db, path, "SELECT count(*) FROM sqlite_schema");
  if (!tables.ok()) {
    if ((sqlite3_errcode(db) & 0xff) == SQLITE_NOTADB) return not_a_journal(path, "not an SQLite database");
    return tables.error();
  }
  auto app_id = query_int(db, path, "PRAGMA application_id");
  if (!app_id.ok()) return app_id.error();
  if (*tables == 0 && *app_id == 0) return FileState::kEmpty;
  if (*app_id != kJournalApplicationId)
    return not_a_journal(path, "an SQLite database of another application, application_id " + std::to_string(*app_id));
  auto meta = has_table(db, path, "meta");
  if (!meta.ok()) return meta.error();
  auto records = has_table(db, path, "records");
  if (!records.ok()) return records.error();
  if (!*meta || !*records) return not_a_journal(path, "the meta or records table is missing");

  auto magic = meta_value(db, path, "magic");
  if (!magic.ok()) return not_a_journal(path, "meta has no magic");
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(magic->get(), 0));
  if (text == nullptr || std::strcmp(text, kJournalMagic) != 0) return not_a_journal(path, "wrong magic in meta");

  auto version = meta_value(db, path, "format_version");
  if (!version.ok()) return not_a_journal(path, "meta has no format_version");
  const std::int64_t v = sqlite3_column_int64(version->get(), 0);
  if (v > kJournalFormatVersion)
    return make_error(ErrorCode::kUnsupported, "audit journal '" + path + "' has format version " + std::to_string(v) +
                                                   ", newer than this build reads (" +
                                                   std::to_string(kJournalFormatVersion) + "); use a newer cst");
  if (v < 1) return not_a_journal(path, "format_version " + std::to_string(v));
  return FileState::kJournal;
}

Status create_schema(sqlite3* db, const std::string& path) {
  static const std::string sql =
      "BEGIN IMMEDIATE;"
      "PRAGMA application_id = " +
      std::to_string(kJournalApplicationId) +
      ";"
      "CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value NOT NULL) WITHOUT ROWID;"
      "CREATE TABLE records(seq INTEGER PRIMARY KEY NOT NULL, time_ns INTEGER NOT NULL, kind TEXT NOT NULL,"
      " payload TEXT NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL);"
      "INSERT INTO meta(key, value) VALUES ('magic', '" +
      std::string(kJournalMagic) +
      "'),"
      " ('format_version', " +
      std::to_string(kJournalFormatVersion) +
      "), ('head_count', 0),"
      " ('head_hash', zeroblob(32));"
      "COMMIT;";
  Status s = exec(db, path, sql.c_str());
  if (!s.ok()) {
    (void)exec(db, path, "ROLLBACK");
    return s;
  }
  return Status::Ok();
}

Result<JournalHead> read_head(sqlite3* db, const std::string& path) {
  JournalHead head;
  auto count = meta_value(db, path, "head_count");
  if (!count.ok() || sqlite3_column_type(count->get(), 0) != SQLITE_INTEGER ||
      sqlite3_column_int64(count->get(), 0) < 0)
    return make_error(ErrorCode::kCorruption, "audit journal '" + path + "': meta head_count is missing or damaged");
  head.count = static_cast<std::uint64_t>(sqlite3_column_int64(count->get(), 0));
  auto hash = meta_value(db, path, "head_hash");
  if (!hash.ok()) return make_error(ErrorCode::kCorruption, "audit journal '" + path + "': meta head_hash is missing");
  auto h = hash_from_column(hash->get(), 0);
  if (!h.ok())
    return make_error(ErrorCode::kCorruption, "audit journal '" + path + "': meta head_hash is not 32 bytes");
  head.hash = *h;
  return head;
}

Result<std::optional<LastRecord>> read_last_record(sqlite3* db, const std::string& path) {
  auto stmt = prepare(db, path, "SELECT seq, time_ns, hash FROM records ORDER BY seq DESC LIMIT 1");
  if (!stmt.ok()) return stmt.error();
  const int rc = sqlite3_step(stmt->get());
  if (rc == SQLITE_DONE) return std::optional<LastRecord>{};
  if (rc != SQLITE_ROW) return sqlite_error(db, path, "cannot read the last record");
  LastRecord last;
  last.seq = static_cast<std::uint64_t>(sqlite3_column_int64(stmt->get(), 0));
  last.time_ns = sqlite3_column_int64(stmt->get(), 1);
  auto h = hash_from_column(stmt->get(), 2);
  if (!h.ok())
    return make_error(ErrorCode::kCorruption,
                      "audit journal '" + path + "': record " + std::to_string(last.seq) + " has a damaged hash");
  last.hash = *h;
  return std::optional<LastRecord>{last};
}

}  // namespace cst::audit
