#include "cst/audit/sqlite_db.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <system_error>

namespace cst::audit {

void SqliteCloser::operator()(sqlite3* db) const { sqlite3_close_v2(db); }
void SqliteFinalizer::operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }

Error sqlite_error(sqlite3* db, const std::string& path, std::string_view what) {
  const int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
  const char* msg = db ? sqlite3_errmsg(db) : "no connection";
  const int primary = code & 0xff;
  const ErrorCode ec =
      (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) ? ErrorCode::kCorruption : ErrorCode::kIo;
  return make_error(ec, "audit journal '" + path + "': " + std::string(what) + ": " + msg + " (sqlite code " +
                            std::to_string(code) + ")");
}

Result<SqliteDb> open_sqlite(const std::string& path, OpenMode mode) {
  if (mode == OpenMode::kReadOnly) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
      return make_error(ErrorCode::kNotFound, "audit journal '" + path + "' does not exist");
  }
  const int flags = mode == OpenMode::kReadOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  SqliteDb db(raw);
  if (rc != SQLITE_OK) return sqlite_error(db.get(), path, "cannot open");
  sqlite3_extended_result_codes(db.get(), 1);
  // Another process (a verifier, a backup) may hold a lock briefly; wait rather than fail.
  sqlite3_busy_timeout(db.get(), 10'000);
  return db;
}

Result<SqliteStmt> prepare(sqlite3* db, const std::string& path, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc =
      sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  SqliteStmt stmt(raw);
  if (rc != SQLITE_OK) return sqlite_error(db, path, "cannot prepare '" + std::string(sql) + "'");
  return stmt;
}

Status exec(sqlite3* db, const std::string& path, const char* sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  sqlite3_free(err);  // sqlite3_errmsg still holds the message
  if (rc != SQLITE_OK) return sqlite_error(db, path, std::string("cannot run '") + sql + "'");
  return Status::Ok();
}

}  // namespace cst::audit
