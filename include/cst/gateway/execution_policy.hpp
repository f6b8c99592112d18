// ExecutionPolicy: the market-facing half of the pre-trade gateway (DESIGN.md section 5).
//
// Per order, against the current market snapshot: stale data, spread, top-of-book depth,
// recent volume, price collar, max order notional and quantity, post-only crossing, a
// message-rate throttle per instrument and per account, and a repeated-order throttle. Each
// check has its own reason code and is off when its setting is zero. Book-based checks
// (spread, depth) apply only when the snapshot has a book; bar-only backtests have none.
// Single-threaded; state is preallocated per instrument, no allocation per decision.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "cst/core/instrument.hpp"
#include "cst/core/reason_code.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/market/market_event.hpp"
#include "cst/orders/order_intent.hpp"

namespace cst {

struct ExecutionPolicyConfig {
  Duration max_data_age{};          // older snapshot → kStaleMarketData (0 = off)
  std::int64_t max_spread_bps = 0;  // (ask - bid) / mid
  Money min_top_depth{};            // notional at the touch on the side we take
  Qty min_recent_volume{};          // in the instrument's units
  std::int64_t collar_bps = 0;      // |limit - reference| / reference
  Money max_order_notional{};
  Qty max_order_qty{};
  int max_orders_per_window = 0;  // per instrument, also applied ×4 per account
  Duration throttle_window = Duration::from_seconds(1);
  int max_repeats = 0;  // identical orders (side, qty, price) in a row within the window
  Duration repeat_window = Duration::from_seconds(60);
};

struct PolicyCheck {
  ReasonCode reason = ReasonCode::kNone;  // first failing check, kNone if all passed
  std::uint64_t reasons_mask = 0;
};

class ExecutionPolicy {
 public:
  static constexpr int kMaxThrottle = 64;

  explicit ExecutionPolicy(ExecutionPolicyConfig config);

  // Checks one order at time `now`; `reference` is the price the order is valued at.
  PolicyCheck check(const OrderIntent& intent, const Instrument& instrument, const MarketSnapshot& market,
                    Price reference, Timestamp now) const;
  // Records an order that was approved and will be sent (feeds the throttles).
  void record_sent(const OrderIntent& intent, Qty qty, Timestamp now);

  const ExecutionPolicyConfig& config() const { return config_; }

 private:
  struct SendHistory {
    std::array<std::int64_t, kMaxThrottle> times{};  // ring of recent send times (ns)
    int count = 0;
    int head = 0;
    void push(std::int64_t t);
    // Time of the n-th most recent send (n = 1 is the latest); requires n <= count.
    std::int64_t nth_latest(int n) const;
  };
  struct LastOrder {
    Side side = Side::kBuy;
    std::int64_t qty = 0;
    std::int64_t price = 0;
    std::int64_t time = 0;
    int repeats = 0;
  };
  SendHistory& history(InstrumentId id);
  bool throttled(const SendHistory& h, int limit, Timestamp now) const;

  ExecutionPolicyConfig config_;
  std::vector<SendHistory> per_instrument_;
  std::vector<LastOrder> last_order_;
  SendHistory account_;
};

}  // namespace cst
