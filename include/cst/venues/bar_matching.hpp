// Bar matching: the rules by which a working order trades on one OHLC bar. SimVenue (backtests)
// and PaperExchange (paper trading) both match with these functions, so a strategy sees the
// same fills in both modes (DESIGN.md invariant 4).
//
// Market orders trade at the bar's open (or its close, when matched at the close) made worse
// by the fill knobs. A limit trades when the bar trades through it: a buy if the bar opens at
// or below the limit (at the open, the better price) or its low goes strictly below the limit
// (at the limit); sells mirror that; at the close a limit trades at the close if the close is
// at or through it. Fees: taker for market orders and for limits marketable on arrival, maker
// for resting limits. The fill knobs of DESIGN.md section 6 are all off by default; the only
// random draw (partial fills) comes from a seeded Rng the caller owns.
//
// Everything here is a pure function of its arguments (and the Rng), with exact fixed-point
// arithmetic: no floating point touches a price, a quantity or a fee.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "cst/core/fixed_point.hpp"
#include "cst/core/instrument.hpp"
#include "cst/core/result.hpp"
#include "cst/core/rng.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/market/market_event.hpp"
#include "cst/orders/order_intent.hpp"

namespace cst {

// The paper fill knobs (DESIGN.md section 6), deterministic given `seed`.
struct FillModel {
  std::int64_t slippage_bps = 0;  // market orders pay this much worse than the reference
  std::int64_t spread_bps = 0;    // full spread; market orders pay half of it
  double partial_probability = 0.0;
  double partial_ratio = 0.5;  // share of the remaining quantity filled when partial
  Duration latency{};          // an order reaches the book this long after it is sent
  std::uint64_t seed = 1;
};

// The knobs a venue can trade with: slippage_bps and spread_bps >= 0 with the costs of a market
// order below its whole price (2 * slippage_bps + spread_bps < 20'000 half-bps), both shares
// (partial_probability, partial_ratio) numbers in [0, 1] (not NaN), latency 0 to 1 day. Others
// overflow the price arithmetic, fill more than an order has left, or make a double-to-integer
// conversion undefined. kInvalidArgument naming the knob and its value.
Status check_fill_model(const FillModel& model);

// Where on the bar an order is matched.
enum class MatchPoint : std::uint8_t { kOpen, kClose };

// What matching needs to know about a working order.
struct MatchTerms {
  Side side = Side::kBuy;
  OrderType type = OrderType::kMarket;
  Price limit;           // kLimit only
  bool resting = false;  // a limit that was not marketable on arrival: a maker when it trades
};

// A price at which an order trades on a bar, and whether it trades as maker.
struct BarTrade {
  Price price;
  bool maker = false;
};

// A limit crosses the book on arrival when it is at or through the last close.
inline bool marketable_on_arrival(Side side, Price limit, Price last_close) {
  return side == Side::kBuy ? limit >= last_close : limit <= last_close;
}

// The trade an order gets on `bar` at `point`, or nullopt when the bar does not reach it.
// Market orders include the knobs' slippage and spread (apply_costs).
std::optional<BarTrade> trade_on_bar(const MatchTerms& order, const Bar& bar, MatchPoint point,
                                     const Instrument& instrument, const FillModel& model);

// `reference` made worse by slippage plus half the spread (in half-bps, so an odd spread is
// exact), then rounded to the tick away from the trader's favour. Unchanged when both are 0.
Price apply_costs(Price reference, Side side, const FillModel& model, const Instrument& instrument);

// The quantity that fills now: all of `remaining`, or, when the partial-fill knob fires, its
// partial_ratio share rounded down to the lot (at least one lot, never more than remaining).
// Draws from `rng` only when partial_probability > 0.
Qty partial_quantity(Qty remaining, const FillModel& model, const Instrument& instrument, Rng& rng);

// The fee of one fill at the maker or taker rate (Instrument::fee rounding); kOverflow if the
// notional leaves int64.
Result<Money> fill_fee(const Instrument& instrument, Price price, Qty qty, bool maker);

// Spot settlement at fill time: a buy needs notional + fee within `cash`; a sell needs `held`
// to cover qty unless shorting is allowed. False if the notional overflows.
bool can_settle(const Instrument& instrument, Side side, Qty qty, Price price, Money fee, Money cash, Qty held,
                bool allow_short);

// The reason an exchange gives when a fill cannot settle.
inline std::string_view unsettled_reason(Side side) {
  return side == Side::kBuy ? "insufficient_funds_at_fill" : "insufficient_position_at_fill";
}

}  // namespace cst
