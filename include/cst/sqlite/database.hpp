// One SQLite connection with the file it belongs to, and statements that report errors naming
// that file ("state store 'acct.db': cannot commit: disk I/O error (sqlite code 10)").
// Shared by every SQLite file of cst: the audit journal, the state store, the paper exchange.
//
// Thread rules: a Database and its statements are used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cst/core/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace cst::sqlite {

struct Closer {
  void operator()(sqlite3* db) const;
};
struct Finalizer {
  void operator()(sqlite3_stmt* stmt) const;
};
using Handle = std::unique_ptr<sqlite3, Closer>;
using StmtHandle = std::unique_ptr<sqlite3_stmt, Finalizer>;

enum class OpenMode {
  kReadWriteCreate,  // creates the file if missing
  kReadWrite,        // the file must exist
  kReadOnly,         // the file must exist; never written
};

// "<label> '<path>': <what>: <sqlite message> (sqlite code N)"; corrupt or not-a-database files
// give ErrorCode::kCorruption, everything else kIo.
Error error_of(sqlite3* db, std::string_view label, const std::string& path, std::string_view what);

// Opens path. Modes that need an existing file say so, naming it, when it is missing.
Result<Handle> open_handle(const std::string& path, std::string_view label, OpenMode mode);

Result<StmtHandle> prepare_stmt(sqlite3* db, std::string_view label, const std::string& path, std::string_view sql);

// Runs one or more statements that return no rows.
Status exec_sql(sqlite3* db, std::string_view label, const std::string& path, const char* sql);

// The file a connection belongs to, shared with its statements for their error messages.
struct FileName {
  std::string path;
  std::string label;
};

// A prepared statement. Bind indexes start at 1, column indexes at 0 (as in SQLite).
class Statement {
 public:
  Statement() = default;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view text);
  Statement& bind_null(int index);
  // true: a row is ready to read; false: done. Errors name the file and the statement.
  Result<bool> step();
  // Steps a statement that returns no rows, then resets it.
  Status run();
  void reset();

  std::int64_t int64(int column) const;
  std::string_view text(int column) const;
  bool is_null(int column) const;

 private:
  friend class Database;
  Statement(StmtHandle stmt, sqlite3* db, std::shared_ptr<const FileName> name)
      : stmt_(std::move(stmt)), db_(db), name_(std::move(name)) {}
  StmtHandle stmt_;
  sqlite3* db_ = nullptr;
  std::shared_ptr<const FileName> name_;
};

class Database {
 public:
  static Result<Database> open(const std::string& path, std::string label, OpenMode mode);

  sqlite3* handle() const { return db_.get(); }
  const std::string& path() const { return name_->path; }
  const std::string& label() const { return name_->label; }

  Error error(std::string_view what) const;
  Result<Statement> prepare(std::string_view sql) const;
  Status exec(const char* sql) const;
  // Rows changed by the last INSERT/UPDATE/DELETE on this connection.
  std::int64_t changes() const;
  // The single integer a query returns (e.g. PRAGMA user_version); nullopt when it returns no row.
  Result<std::optional<std::int64_t>> query_int(std::string_view sql) const;

 private:
  Database(Handle db, std::string path, std::string label)
      : db_(std::move(db)), name_(std::make_shared<const FileName>(FileName{std::move(path), std::move(label)})) {}
  Handle db_;
  std::shared_ptr<const FileName> name_;
};

// BEGIN IMMEDIATE on construction; rolls back unless commit() succeeded. Writes that belong
// together (an order with its decision, a fill with the positions it changes) share one.
class Transaction {
 public:
  static Result<Transaction> begin(const Database& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();
  Status commit();

 private:
  explicit Transaction(const Database* db) : db_(db) {}
  const Database* db_;  // the Database must stay in place while a transaction is open
};

}  // namespace cst::sqlite
