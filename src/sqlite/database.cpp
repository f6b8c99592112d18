#include "cst/sqlite/database.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <system_error>

namespace cst::sqlite {

void Closer::operator()(sqlite3* db) const { sqlite3_close_v2(db); }
void Finalizer::operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }

Error error_of(sqlite3* db, std::string_view label, const std::string& path, std::string_view what) {
  const int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
  const char* msg = db ? sqlite3_errmsg(db) : "no connection";
  const int primary = code & 0xff;
  const ErrorCode ec =
      (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) ? ErrorCode::kCorruption : ErrorCode::kIo;
  return make_error(ec, std::string(label) + " '" + path + "': " + std::string(what) + ": " + msg + " (sqlite code " +
                            std::to_string(code) + ")");
}

Result<Handle> open_handle(const std::string& path, std::string_view label, OpenMode mode) {
  if (mode != OpenMode::kReadWriteCreate) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
      return make_error(ErrorCode::kNotFound, std::string(label) + " '" + path + "' does not exist");
  }
  int flags = SQLITE_OPEN_READWRITE;
  if (mode == OpenMode::kReadOnly) flags = SQLITE_OPEN_READONLY;
  if (mode == OpenMode::kReadWriteCreate) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  Handle db(raw);
  if (rc != SQLITE_OK) return error_of(db.get(), label, path, "cannot open");
  sqlite3_extended_result_codes(db.get(), 1);
  // Another process (an operator command, a verifier, a backup) may hold a lock briefly; wait
  // rather than fail.
  sqlite3_busy_timeout(db.get(), 10'000);
  return db;
}

Result<StmtHandle> prepare_stmt(sqlite3* db, std::string_view label, const std::string& path, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc =
      sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  StmtHandle stmt(raw);
  if (rc != SQLITE_OK) return error_of(db, label, path, "cannot prepare '" + std::string(sql) + "'");
  return stmt;
}

Status exec_sql(sqlite3* db, std::string_view label, const std::string& path, const char* sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  sqlite3_free(err);  // sqlite3_errmsg still holds the message
  if (rc != SQLITE_OK) return error_of(db, label, path, std::string("cannot run '") + sql + "'");
  return Status::Ok();
}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_.get(), index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  // A default-constructed view has a null data pointer, which SQLite would bind as NULL; text
  // is text, empty or not.
  sqlite3_bind_text(stmt_.get(), index, text.data() != nullptr ? text.data() : "", static_cast<int>(text.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_.get(), index);
  return *this;
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = error_of(db_, name_->label, name_->path, std::string("cannot run '") + sqlite3_sql(stmt_.get()) + "'");
  sqlite3_reset(stmt_.get());
  return e;
}

Status Statement::run() {
  auto r = step();
  reset();
  if (!r.ok()) return r.error();
  return Status::Ok();
}

void Statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_.get(), column); }

std::string_view Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_.get(), column);
  const int n = sqlite3_column_bytes(stmt_.get(), column);
  if (p == nullptr) return {};
  return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)};  // SQLite text is bytes
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL; }

Result<Database> Database::open(const std::string& path, std::string label, OpenMode mode) {
  auto h = open_handle(path, label, mode);
  if (!h.ok()) return h.error();
  return Database(std::move(*h), path, std::move(label));
}

Error Database::error(std::string_view what) const { return error_of(db_.get(), label(), path(), what); }

Result<Statement> Database::prepare(std::string_view sql) const {
  auto s = prepare_stmt(db_.get(), label(), path(), sql);
  if (!s.ok()) return s.error();
  return Statement(std::move(*s), db_.get(), name_);
}

Status Database::exec(const char* sql) const { return exec_sql(db_.get(), label(), path(), sql); }

std::int64_t Database::changes() const { return sqlite3_changes64(db_.get()); }

Result<std::optional<std::int64_t>> Database::query_int(std::string_view sql) const {
  auto s = prepare(sql);
  if (!s.ok()) return s.error();
  auto row = s->step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{s->int64(0)};
}

Result<Transaction> Transaction::begin(const Database& db) {
  Status s = db.exec("BEGIN IMMEDIATE");
  if (!s.ok()) return s.error();
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_ != nullptr) (void)db_->exec("ROLLBACK");
}

Status Transaction::commit() {
  if (db_ == nullptr) return make_error(ErrorCode::kInvalidArgument, "transaction already ended");
  Status s = db_->exec("COMMIT");
  if (s.ok()) db_ = nullptr;  // on failure the destructor rolls back
  return s;
}

}  // namespace cst::sqlite
