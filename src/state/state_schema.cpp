#include "cst/state/state_schema.hpp"

#include <string>

namespace cst::state_schema {
namespace {

// Migration i takes a file from version i to version i + 1 (index 0 creates version 1).
// Never edit a published step: add one.
constexpr const char* kSteps[] = {
    "CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE orders(client_order_id TEXT PRIMARY KEY NOT NULL, decision_id INTEGER NOT NULL,"
    " source TEXT NOT NULL, instrument INTEGER NOT NULL, side INTEGER NOT NULL, type INTEGER NOT NULL,"
    " qty INTEGER NOT NULL, limit_price INTEGER NOT NULL, post_only INTEGER NOT NULL, reduce_only INTEGER NOT NULL,"
    " reference_price INTEGER NOT NULL, status INTEGER NOT NULL, venue_order_id TEXT NOT NULL,"
    " filled INTEGER NOT NULL, fill_value TEXT NOT NULL, created_ns INTEGER NOT NULL, updated_ns INTEGER NOT NULL,"
    " uncertain INTEGER NOT NULL) WITHOUT ROWID;"
    // Recovery reads only the orders still working; terminal statuses are 4 and above.
    "CREATE INDEX orders_working ON orders(status) WHERE status < 4;"
    "CREATE TABLE order_events(seq INTEGER PRIMARY KEY, client_order_id TEXT NOT NULL, time_ns INTEGER NOT NULL,"
    " status INTEGER NOT NULL, qty INTEGER NOT NULL, price INTEGER NOT NULL, reason TEXT NOT NULL);"
    "CREATE TABLE fills(trade_id INTEGER PRIMARY KEY NOT NULL, client_order_id TEXT NOT NULL,"
    " instrument INTEGER NOT NULL, side INTEGER NOT NULL, qty INTEGER NOT NULL, price INTEGER NOT NULL,"
    " fee INTEGER NOT NULL, maker INTEGER NOT NULL, time_ns INTEGER NOT NULL);"
    "CREATE TABLE positions(instrument INTEGER PRIMARY KEY NOT NULL, qty INTEGER NOT NULL, cost INTEGER NOT NULL,"
    " mark INTEGER NOT NULL, realized_pnl INTEGER NOT NULL, fees INTEGER NOT NULL);"
    "CREATE TABLE account(id INTEGER PRIMARY KEY CHECK (id = 1), starting_cash INTEGER NOT NULL,"
    " cash INTEGER NOT NULL, fees INTEGER NOT NULL, start_of_day_equity INTEGER NOT NULL,"
    " equity_peak INTEGER NOT NULL, day INTEGER NOT NULL);"
    "CREATE TABLE controls(id INTEGER PRIMARY KEY CHECK (id = 1), trading_state INTEGER NOT NULL,"
    " reason TEXT NOT NULL, operator TEXT NOT NULL, since_ns INTEGER NOT NULL, safe_mode INTEGER NOT NULL,"
    " safe_reason TEXT NOT NULL, safe_since_ns INTEGER NOT NULL);"
    "INSERT INTO controls VALUES (1, 0, '', '', 0, 0, '', 0);"
    "CREATE TABLE operator_actions(seq INTEGER PRIMARY KEY, time_ns INTEGER NOT NULL, action INTEGER NOT NULL,"
    " reason TEXT NOT NULL, operator TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO meta VALUES ('magic', 'cst-state-store'), ('boot', 0), ('config_hash', '');",
    // v2: a resume carries its operator's Ed25519 signature and the controls' time it clears;
    // security events (lockdown triggers, threat level) outlive the process.
    "ALTER TABLE operator_actions ADD COLUMN signature TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE operator_actions ADD COLUMN clears_since_ns INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE security_events(seq INTEGER PRIMARY KEY, time_ns INTEGER NOT NULL, kind TEXT NOT NULL,"
    " detail TEXT NOT NULL, acknowledged INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX security_events_time ON security_events(time_ns);"
    // Orders held for multi-signature approval, and the operators' approvals of them.
    "CREATE TABLE held_orders(client_order_id TEXT PRIMARY KEY NOT NULL, side TEXT NOT NULL, qty INTEGER NOT NULL,"
    " price INTEGER NOT NULL, notional INTEGER NOT NULL, required INTEGER NOT NULL, since_ns INTEGER NOT NULL,"
    " expires_ns INTEGER NOT NULL, status TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE order_approvals(seq INTEGER PRIMARY KEY, client_order_id TEXT NOT NULL, operator TEXT NOT NULL,"
    " signature TEXT NOT NULL, time_ns INTEGER NOT NULL, done INTEGER NOT NULL DEFAULT 0);"
    // API key usage as the key manager counted it (cst keys list --state shows the last use).
    "CREATE TABLE key_usage(key_id TEXT PRIMARY KEY NOT NULL, venue TEXT NOT NULL, requests INTEGER NOT NULL,"
    " auth_failures INTEGER NOT NULL, first_use_ns INTEGER NOT NULL, last_use_ns INTEGER NOT NULL,"
    " endpoints TEXT NOT NULL, hours TEXT NOT NULL) WITHOUT ROWID;",
};
constexpr std::int64_t kStepCount = static_cast<std::int64_t>(sizeof kSteps / sizeof kSteps[0]);
static_assert(kStepCount == kVersion, "one migration step per schema version");

Error not_a_store(const sqlite::Database& db, const std::string& why) {
  return make_error(ErrorCode::kCorruption, "'" + db.path() + "' is not a cst state store (" + why + ")");
}

}  // namespace

Result<FileKind> inspect(const sqlite::Database& db) {
  // The first read of a file that is not SQLite (or is truncated) fails here.
  auto tables = db.query_int("SELECT count(*) FROM sqlite_schema");
  if (!tables.ok()) return tables.error();
  auto app_id = db.query_int("PRAGMA application_id");
  if (!app_id.ok()) return app_id.error();
  if (**tables == 0 && **app_id == 0) return FileKind::kEmpty;
  if (**app_id != kApplicationId)
    return not_a_store(db, "an SQLite database of another application, application_id " + std::to_string(**app_id));
  auto version = db.query_int("PRAGMA user_version");
  if (!version.ok()) return version.error();
  if (**version > kVersion)
    return make_error(ErrorCode::kUnsupported, "state store '" + db.path() + "' has schema version " +
                                                   std::to_string(**version) + ", newer than this build reads (" +
                                                   std::to_string(kVersion) + "); use a newer cst");
  if (**version < 1) return not_a_store(db, "schema version " + std::to_string(**version));
  auto magic = db.prepare("SELECT value FROM meta WHERE key = 'magic'");
  if (!magic.ok()) return not_a_store(db, "the meta table is missing");
  auto row = magic->step();
  if (!row.ok()) return row.error();
  if (!*row || magic->text(0) != kMagic) return not_a_store(db, "wrong magic in meta");
  return FileKind::kStateStore;
}

Status create_or_migrate(const sqlite::Database& db) {
  auto version = db.query_int("PRAGMA user_version");
  if (!version.ok()) return version.error();
  for (std::int64_t v = **version; v < kVersion; ++v) {
    auto tx = sqlite::Transaction::begin(db);
    if (!tx.ok()) return tx.error();
    Status s = db.exec(kSteps[v]);
    if (!s.ok()) return s;
    const std::string set = "PRAGMA application_id = " + std::to_string(kApplicationId) +
                            "; PRAGMA user_version = " + std::to_string(v + 1);
    s = db.exec(set.c_str());
    if (!s.ok()) return s;
    s = tx->commit();
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace cst::state_schema
