// Shared fixtures for portfolio, risk and gateway tests: one instrument with easy arithmetic,
// money in whole units, intents and account states built in one line, and (through
// support/temp_dir.hpp) a temporary directory that removes itself.
//
// The test instrument TEST-USD: price_decimals 2, tick 0.05 (raw 5); qty_decimals 3, lot 0.010
// (raw 10); min notional 10 USD; taker fee 10 bps, maker 2 bps. Money has 8 decimals, so
// notional money raw = price_raw * qty_raw * 10^(8 - 2 - 3) = price_raw * qty_raw * 1000
// (always exact). Example: 100.00 × 1.000 = 10000 * 1000 * 1000 = 10^10 raw = 100 USD.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "cst/core/fixed_point.hpp"
#include "cst/core/ids.hpp"
#include "cst/core/instrument.hpp"
#include "cst/orders/order_intent.hpp"
#include "cst/risk/account_state.hpp"
#include "support/temp_dir.hpp"

namespace cst::test {

inline constexpr std::int64_t kUsd = 100'000'000;  // Money raw per 1 USD

inline Money usd(std::int64_t whole) { return Money::from_raw(whole * kUsd); }
// Price in cents of the test instrument (price_decimals 2): cents(10000) = 100.00.
inline Price cents(std::int64_t raw) { return Price::from_raw(raw); }
// Quantity in thousandths of a unit (qty_decimals 3): milli(1000) = 1.000, one lot = milli(10).
inline Qty milli(std::int64_t raw) { return Qty::from_raw(raw); }
inline Qty units(std::int64_t whole) { return Qty::from_raw(whole * 1000); }

inline Instrument test_instrument(std::uint32_t id = 1, std::string symbol = "TEST-USD") {
  Instrument inst;
  inst.id = InstrumentId{id};
  inst.symbol = std::move(symbol);
  inst.price_decimals = 2;
  inst.qty_decimals = 3;
  inst.tick_size = Price::from_raw(5);
  inst.lot_step = Qty::from_raw(10);
  inst.min_notional = usd(10);
  inst.taker_fee = FeeRate::from_bps(10);
  inst.maker_fee = FeeRate::from_bps(2);
  return inst;
}

inline ClientOrderId coid(std::string_view text) { return *ClientOrderId::parse(text); }
inline SourceId source(std::string_view text) { return *SourceId::parse(text); }

inline OrderIntent market_order(Side side, Qty qty, std::string_view id = "o-1", std::uint32_t instrument = 1) {
  OrderIntent o;
  o.client_order_id = coid(id);
  o.account = AccountId{1};
  o.instrument = InstrumentId{instrument};
  o.source = source("test");
  o.side = side;
  o.type = OrderType::kMarket;
  o.qty = qty;
  return o;
}

inline OrderIntent limit_order(Side side, Qty qty, Price limit, std::string_view id = "o-1",
                               std::uint32_t instrument = 1) {
  OrderIntent o = market_order(side, qty, id, instrument);
  o.type = OrderType::kLimit;
  o.limit_price = limit;
  return o;
}

// A flat account: all equity in cash, nothing open, no loss today, at its peak.
inline AccountState flat_account(Money equity) {
  AccountState a;
  a.equity = equity;
  a.cash = equity;
  a.start_of_day_equity = equity;
  a.equity_peak = equity;
  return a;
}

}  // namespace cst::test
