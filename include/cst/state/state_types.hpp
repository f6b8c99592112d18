// What the state store keeps for an account, as plain values: orders (with the decision that
// approved them), fills, kill switch / lockdown / safe mode with their reasons, operator actions.
// Portfolio state is a PortfolioSnapshot (portfolio.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cst/core/fixed_point.hpp"
#include "cst/core/ids.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/orders/order.hpp"
#include "cst/portfolio/portfolio.hpp"
#include "cst/risk/risk_guard.hpp"

namespace cst {

struct StoredOrder {
  OrderSnapshot order;  // intent.source is the source that asked
  std::uint64_t decision_id = 0;
  Price reference;  // the price its worst-case cost was reserved at
  Timestamp created;
  // Sent (or maybe sent) but its fate at the venue is not known yet: recovery asks the venue
  // before any new order is allowed.
  bool uncertain = false;
};

struct StoredFill {
  std::uint64_t trade_id = 0;  // the venue's id: a fill is applied at most once
  ClientOrderId client_order_id;
  InstrumentId instrument;
  Side side = Side::kBuy;
  Qty qty;
  Price price;
  Money fee;
  bool maker = false;
  Timestamp time;
};

// Kill switch / lockdown and safe mode, with who set them and why. They survive restarts; only an
// explicit operator resume clears them.
struct Controls {
  TradingState trading_state = TradingState::kActive;
  std::string reason;
  std::string operator_name;
  Timestamp since;
  bool safe_mode = false;  // reduce-only after a reconciliation mismatch or drift
  std::string safe_reason;
  Timestamp safe_since;
};

enum class OperatorAction : std::uint8_t { kKill, kResume };
std::string_view to_string(OperatorAction a);

// A `cst kill` / `cst resume` written while a trading process runs; the process applies it,
// journals it and marks it done.
struct PendingAction {
  std::int64_t seq = 0;
  Timestamp time;
  OperatorAction action = OperatorAction::kKill;
  std::string reason;
  std::string operator_name;
  std::string signature;   // hex Ed25519 signature of a resume (security/operator_statements.hpp)
  Timestamp clears_since;  // the controls' `since` the resume was signed to clear
};

// A security event as stored (kinds are security_monitor.hpp's names).
struct StoredSecurityEvent {
  Timestamp time;
  std::string kind;
  std::string detail;
  bool acknowledged = false;
};

// An order held for operators' approvals (multi-signature), as `cst approve` sees it.
struct HeldOrderRow {
  std::string client_order_id;
  std::string side;        // "buy" | "sell"
  std::int64_t qty = 0;    // raw, instrument's qty decimals
  std::int64_t price = 0;  // raw reference price
  Money notional;
  int required = 0;    // approvals needed
  Timestamp since;     // wall clock
  Timestamp expires;   // wall clock
  std::string status;  // "held" | "released" | "expired"
};

struct OrderApprovalRow {
  std::int64_t seq = 0;
  std::string client_order_id;
  std::string operator_name;
  std::string signature;  // hex
  Timestamp time;
};

// One API key's usage totals (key manager), for `cst keys list --state`.
struct KeyUsageRow {
  std::string key_id;
  std::string venue;
  std::int64_t requests = 0;
  std::int64_t auth_failures = 0;
  Timestamp first_use;
  Timestamp last_use;
  std::string endpoints;  // "order.new=12,order.cancel=3"
  std::string hours;      // 24 counts, UTC hour 0 first, comma-separated
};

struct AccountSetup {
  std::string account;     // a name for people
  std::string instrument;  // symbol the account trades
  Money starting_cash;
  // The units of the stored raw prices and quantities; -1: not recorded (not checked).
  int price_decimals = -1;
  int qty_decimals = -1;
};

// What operator signatures name the account by ("sma_cross/BTC-USDT").
inline std::string account_key(const AccountSetup& s) { return s.account + "/" + s.instrument; }

// Everything recovery needs, read in one go.
struct LoadedState {
  AccountSetup setup;
  std::uint64_t boot = 0;                      // how many times a trading process has started
  std::optional<PortfolioSnapshot> portfolio;  // none before the first save
  Controls controls;
  std::vector<StoredOrder> open_orders;  // NEW, SUBMITTED, OPEN, PARTIALLY_FILLED
  std::vector<std::uint64_t> trade_ids;  // every fill applied, ascending
  std::uint64_t order_count = 0;
  std::string config_hash;         // of the configuration last in force
  std::string config_values;       // its values as a JSON object; empty before any
  Timestamp keys_journaled_until;  // vault key events up to here are in the journal
};

}  // namespace cst
