#include "cst/audit/sqlite_db.hpp"

namespace cst::audit {
namespace {
constexpr std::string_view kLabel = "audit journal";
}

void SqliteCloser::operator()(sqlite3* db) const { sqlite::Closer{}(db); }
void SqliteFinalizer::operator()(sqlite3_stmt* stmt) const { sqlite::Finalizer{}(stmt); }

Error sqlite_error(sqlite3* db, const std::string& path, std::string_view what) {
  return sqlite::error_of(db, kLabel, path, what);
}

Result<SqliteDb> open_sqlite(const std::string& path, OpenMode mode) {
  auto h = sqlite::open_handle(
      path, kLabel, mode == OpenMode::kReadOnly ? sqlite::OpenMode::kReadOnly : sqlite::OpenMode::kReadWriteCreate);
  if (!h.ok()) return h.error();
  return SqliteDb(h->release());
}

Result<SqliteStmt> prepare(sqlite3* db, const std::string& path, std::string_view sql) {
  auto s = sqlite::prepare_stmt(db, kLabel, path, sql);
  if (!s.ok()) return s.error();
  return SqliteStmt(s->release());
}

Status exec(sqlite3* db, const std::string& path, const char* sql) { return sqlite::exec_sql(db, kLabel, path, sql); }

}  // namespace cst::audit
