// PaperExchange: an in-process exchange for paper trading that keeps its own book in its own
// SQLite file, separate from the trader's state. It plays the remote side.
//
// The trading process may be killed at any instant and restarted: whatever the exchange has
// committed (orders, fills, balances, the last bar it matched, its random state) is still
// there, and the trader recovers by asking (query, open_orders, fills_after, balances).
// Reports it queued but had not handed out (take_reports) live in memory only and are lost
// with the process, like messages on a dropped WebSocket.
//
// Matching is SimVenue's FillTiming::kNextOpen, through the same bar_matching.hpp rules: an
// order placed at t is matched from the first bar with bar.time >= t + latency. Each bar is one
// transaction; a bar at or before last_bar_time() is ignored, so a restarted feed that replays
// bars never matches one twice. Same file, same bars, same calls: same fills, across any number
// of close/reopen cycles (the fill knobs' Rng continues from the file).
//
// Durability: WAL with synchronous=NORMAL. A commit survives the process being killed (the OS
// holds the written WAL), not a power cut or OS crash, which may lose the last commits. That is
// what a paper exchange needs; it is not an exchange of record.
//
// On reopen the file's own rules win: the fill model, fees, tick/lot grid and allow_short
// recorded when it was created (an exchange does not change its rules because a client
// restarted). The config must name the same instrument symbol and units.
//
// Thread rules: one thread at a time; one PaperExchange per file at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cst/core/fixed_point.hpp"
#include "cst/core/ids.hpp"
#include "cst/core/instrument.hpp"
#include "cst/core/result.hpp"
#include "cst/core/rng.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/market/market_event.hpp"
#include "cst/orders/order_intent.hpp"
#include "cst/venues/bar_matching.hpp"
#include "cst/venues/venue.hpp"
#include "cst/venues/venue_session.hpp"

namespace cst {

struct PaperExchangeConfig {
  Instrument instrument;
  Money starting_cash;
  Qty starting_base;
  FillModel model;
  bool allow_short = false;
};

// An order as it goes over the wire.
struct NewOrder {
  ClientOrderId client_order_id;
  Side side = Side::kBuy;
  OrderType type = OrderType::kMarket;
  Qty qty;
  Price limit_price;  // kLimit only
  bool post_only = false;
};

// What the exchange has committed besides its orders, fills and balances (its meta table).
struct PaperExchangeProgress {
  std::optional<Timestamp> last_bar;  // the last bar matched; nullopt before the first
  Price last_close;                   // its close: the price post-only and maker checks use
  Rng::State rng;
  std::uint64_t next_order_seq = 1;  // venue order id "PX-<n>"
  std::uint64_t next_trade_id = 1;
  std::uint64_t orders_received = 0;
  std::uint64_t duplicate_submissions = 0;
};

class PaperExchangeStore;

class PaperExchange {
 public:
  // Creates the file (balances = starting values; the instrument and fill model recorded) or
  // reopens it and continues. Refuses, naming the file: not a paper-exchange file (including an
  // existing empty one), a newer format version, a damaged file, a different instrument symbol
  // or units than the config. A refused file is never written.
  static Result<std::unique_ptr<PaperExchange>> open(const std::string& path, const PaperExchangeConfig& config);

  ~PaperExchange();
  PaperExchange(const PaperExchange&) = delete;
  PaperExchange& operator=(const PaperExchange&) = delete;

  // The order is committed to the file before this returns and an ack (kAccepted, venue order
  // id "PX-<n>") is queued. A client order id seen before, in any state, is refused with
  // kDuplicate and counted (Binance: -2010 "Duplicate order sent"). An invalid order (qty <= 0,
  // off the lot or tick grid, a limit without a positive price, post-only market, a post-only
  // limit that would cross the last close) is stored as kRejected and a kRejected report is
  // queued; the returned VenueOrder says so. Other errors are storage failures.
  Result<VenueOrder> place(const NewOrder& order, Timestamp now);
  // Cancels a working order and queues a kCancelled report; kNotFound unless it is working.
  Status cancel(const ClientOrderId& id, Timestamp now, std::string_view reason);
  // Cancels every working order (cancel-on-disconnect, dead man's switch) and queues their
  // reports. Returns how many; 0 if the file could not be written (then none is cancelled).
  std::size_t cancel_all(Timestamp now, std::string_view reason);

  Result<std::optional<VenueOrder>> query(const ClientOrderId& id) const;
  Result<std::vector<VenueOrder>> open_orders() const;                       // oldest first
  Result<std::vector<VenueFill>> fills_after(std::uint64_t trade_id) const;  // ascending trade_id
  Result<VenueBalances> balances() const;

  // Matches working orders against one bar (see the header comment), in one transaction with
  // the fills, balances, order states, last bar time and Rng state. A fill the account cannot
  // settle rejects the order (or cancels its rest after a partial fill), as SimVenue does.
  // On error nothing of the bar is kept and no report is queued.
  Status on_bar(const Bar& bar);
  // The time of the last bar matched; INT64_MIN before the first.
  Timestamp last_bar_time() const;

  // Queued reports in the order they happened; in memory only.
  std::vector<ExecutionReport> take_reports();
  std::uint64_t duplicate_submissions() const;  // persisted
  std::uint64_t orders_received() const;        // persisted: every place() that reached the exchange

  // Divergence drills for reconciliation tests and demos; none queues a report.
  // A fill the trader never hears about: the order must be working and qty within its rest.
  Result<VenueFill> inject_fill(const ClientOrderId& id, Qty qty, Price price, Timestamp t);
  // An order someone else placed on the account (not counted in orders_received).
  Result<VenueOrder> inject_order(const NewOrder& order, Timestamp t);
  // A deposit or withdrawal, or an exchange-side correction.
  Status adjust_balance(Money cash_delta, Qty base_delta);

  const std::string& path() const;
  // The rules in force: the file's, which on reopen may differ from the config passed in.
  const PaperExchangeConfig& config() const;
  const PaperExchangeProgress& progress() const { return progress_; }

 private:
  explicit PaperExchange(std::unique_ptr<PaperExchangeStore> store, PaperExchangeProgress progress);

  // Stores a new order (or counts a duplicate when `counted`) in one transaction.
  Result<VenueOrder> store_new_order(const NewOrder& order, Timestamp now, bool counted);
  // Why the exchange refuses the order, or nullptr if it is valid.
  const char* rejection_reason(const NewOrder& order) const;
  void queue(ExecKind kind, const VenueOrder& order, Timestamp when, std::string_view reason);

  std::unique_ptr<PaperExchangeStore> store_;
  PaperExchangeProgress progress_;  // as last committed
  std::vector<ExecutionReport> reports_;
};

}  // namespace cst
