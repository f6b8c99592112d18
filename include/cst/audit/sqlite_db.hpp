// Owning handles for SQLite connections and statements, and errors that name the journal file.
// Used by the journal writer and the verifier; thin wrappers over cst/sqlite/database.hpp.
//
// Thread rules: a connection and its statements are used by one thread at a time (the journal
// opens on the caller's thread, then hands both to its writer thread).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "cst/core/result.hpp"
#include "cst/sqlite/database.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace cst::audit {

struct SqliteCloser {
  void operator()(sqlite3* db) const;
};
struct SqliteFinalizer {
  void operator()(sqlite3_stmt* stmt) const;
};
using SqliteDb = std::unique_ptr<sqlite3, SqliteCloser>;
using SqliteStmt = std::unique_ptr<sqlite3_stmt, SqliteFinalizer>;

enum class OpenMode { kReadWriteCreate, kReadOnly };

// Opens path; read-only mode never creates the file, and its error says the file is missing.
Result<SqliteDb> open_sqlite(const std::string& path, OpenMode mode);

// An error "audit journal '<path>': <what>: <sqlite message> (sqlite code N)".
Error sqlite_error(sqlite3* db, const std::string& path, std::string_view what);

Result<SqliteStmt> prepare(sqlite3* db, const std::string& path, std::string_view sql);

// Runs one or more statements that return no rows.
Status exec(sqlite3* db, const std::string& path, const char* sql);

}  // namespace cst::audit
