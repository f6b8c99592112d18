// The paper exchange's SQLite file: its schema, the checks that refuse a foreign or newer file,
// and typed reads and writes. Private to the venues module; PaperExchange decides what to
// write and groups the writes into transactions.
//
// Schema, format 'cst-paper-exchange' version 1 (application_id 0x43535058, "CSPX"):
//   meta(key TEXT PRIMARY KEY, value)
//       format, version, symbol, price_decimals, qty_decimals, tick_size, lot_step,
//       min_notional, maker_fee_ppm, taker_fee_ppm, allow_short, slippage_bps, spread_bps,
//       partial_probability, partial_ratio (shortest round-trip decimal text), latency_ns, seed,
//       starting_cash, starting_base: the rules recorded when the file was created;
//       has_last_bar, last_bar_ns, last_close, rng_0..rng_3, rng_spare (text), rng_has_spare,
//       next_order_seq, next_trade_id, orders_received, duplicate_submissions: PaperExchangeProgress.
//   orders(client_order_id TEXT PRIMARY KEY, seq UNIQUE, venue_order_id, side 'buy'|'sell',
//          type 'market'|'limit', qty, limit_price, post_only, filled, status (to_string of
//          VenueOrderStatus), created_ns, active_from_ns, resting, reason)
//   fills(trade_id INTEGER PRIMARY KEY, client_order_id, side, qty, price, fee, maker, time_ns)
//   balances(asset TEXT PRIMARY KEY, amount): 'cash' (Money raw), 'base' (Qty raw)
// Fixed-point values are stored as their raw int64, in the units of the recorded instrument.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cst/core/result.hpp"
#include "cst/sqlite/database.hpp"
#include "cst/venues/paper_exchange.hpp"
#include "cst/venues/venue_session.hpp"

namespace cst {

inline constexpr const char* kPaperExchangeFormat = "cst-paper-exchange";
inline constexpr std::int64_t kPaperExchangeVersion = 1;
inline constexpr std::int64_t kPaperExchangeApplicationId = 0x43535058;

// Shortest decimal text that reads back as the same double (the knobs, the Rng's spare normal):
// exact, and readable in the sqlite3 shell.
std::string round_trip_text(double v);
Result<double> parse_round_trip(std::string_view text);

// An order with what only the exchange needs to match it.
struct ExchangeOrder {
  VenueOrder order;
  std::uint64_t seq = 0;  // arrival order: working orders are matched oldest first
  Timestamp active_from;  // created + latency: the first bar time it may trade at
  bool resting = false;   // a limit not marketable on arrival: maker when it trades
};

class PaperExchangeStore {
 public:
  // Creates or opens (see PaperExchange::open); refuses without writing a file that is not a
  // paper exchange of this format, is damaged, or trades another instrument.
  static Result<std::unique_ptr<PaperExchangeStore>> open(const std::string& path, const PaperExchangeConfig& config);

  const std::string& path() const { return db_.path(); }
  const PaperExchangeConfig& config() const { return config_; }

  Result<sqlite::Transaction> begin() const { return sqlite::Transaction::begin(db_); }

  Result<PaperExchangeProgress> read_progress();
  Status write_progress(const PaperExchangeProgress& progress);

  Result<std::optional<ExchangeOrder>> find_order(const ClientOrderId& id);
  Result<std::vector<ExchangeOrder>> working_orders();  // oldest first
  Status insert_order(const ExchangeOrder& order);
  Status update_order(const ExchangeOrder& order);  // filled, status and reason

  Status insert_fill(const VenueFill& fill);
  Result<std::vector<VenueFill>> fills_after(std::uint64_t trade_id);

  Result<VenueBalances> read_balances();
  Status write_balances(const VenueBalances& balances);

  // A message naming the file: "paper exchange '<path>': <what>".
  Error error(ErrorCode code, const std::string& what) const;

 private:
  PaperExchangeStore(sqlite::Database db, PaperExchangeConfig config)
      : db_(std::move(db)), config_(std::move(config)) {}

  Status prepare_statements();
  Status use_wal();
  Status create(const PaperExchangeConfig& config);
  Status check_format();
  Status load_config(const PaperExchangeConfig& requested);
  Result<std::int64_t> meta_int(const char* key);
  Result<std::string> meta_text(const char* key);
  Status set_meta(const char* key, std::int64_t value);
  Status set_meta(const char* key, const std::string& value);
  Result<ExchangeOrder> order_from_row(const sqlite::Statement& row) const;

  sqlite::Database db_;
  PaperExchangeConfig config_;  // the rules recorded in the file
  sqlite::Statement get_meta_, set_meta_, find_order_, working_orders_, insert_order_, update_order_;
  sqlite::Statement insert_fill_, fills_after_, read_balances_, write_balance_;
};

}  // namespace cst
