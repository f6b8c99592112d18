// The state store's file format and its migrations.
//
// One SQLite file per account (WAL). PRAGMA application_id = 0x43535453 ("CSTS") tells it from
// other SQLite files; PRAGMA user_version is the schema version. A file of an older version is
// migrated forward in one transaction per step when a trading process opens it; a newer one is
// refused (a newer cst wrote it, and an older one must not guess at it). Tables:
//   meta(key, value)            magic, account, instrument, starting_cash, price_decimals,
//                               qty_decimals (units of every raw amount), boot, config_hash
//   orders(client_order_id ...) one row per order ever decided and approved; status as integer
//   order_events(seq ...)       every state change of every order, append-only
//   fills(trade_id ...)         primary key = the venue's trade id: a fill is stored at most once
//   positions(instrument ...)   average-cost positions (portfolio.hpp)
//   account(id = 1 ...)         cash, fees, start-of-day equity, equity peak, UTC day
//   controls(id = 1 ...)        kill switch / lockdown and safe mode with reasons
//   operator_actions(seq ...)   kill/resume written by operators for the running process
// Money, prices and quantities are stored as their raw fixed-point integers.
#pragma once

#include <cstdint>

#include "cst/core/result.hpp"
#include "cst/sqlite/database.hpp"

namespace cst::state_schema {

inline constexpr std::int64_t kVersion = 2;
inline constexpr std::int32_t kApplicationId = 0x43535453;
inline constexpr const char* kMagic = "cst-state-store";

enum class FileKind { kEmpty, kStateStore };

// kEmpty: a database without tables (just created). Errors name the file: not SQLite, another
// application's database, a newer schema, missing tables.
Result<FileKind> inspect(const sqlite::Database& db);
// Creates the current schema on an empty file, or migrates an older one, in transactions.
Status create_or_migrate(const sqlite::Database& db);

}  // namespace cst::state_schema
