// An Instrument fixes the units of its Price and Qty (price_decimals, qty_decimals), the grid
// orders must sit on (tick_size, lot_step), the smallest order (min_notional) and the fees.
// Every conversion between Price, Qty and Money goes through it, with named rounding.
#pragma once

#include <cstdint>
#include <string>

#include "cst/core/fixed_point.hpp"
#include "cst/core/ids.hpp"
#include "cst/core/result.hpp"

namespace cst {

// A fee rate in parts per million of notional (10 bps = 1000 ppm); negative = rebate.
struct FeeRate {
  std::int64_t ppm = 0;
  static constexpr FeeRate from_bps(std::int64_t bps) { return FeeRate{bps * 100}; }
  constexpr auto operator<=>(const FeeRate&) const = default;
};

struct Instrument {
  InstrumentId id{};
  std::string symbol;
  int price_decimals = 8;
  int qty_decimals = 8;
  Price tick_size = Price::from_raw(1);
  Qty lot_step = Qty::from_raw(1);
  Money min_notional{};
  FeeRate maker_fee{};
  FeeRate taker_fee{};

  // Checks that scales are in range and the grid is positive; names the bad field.
  Status validate() const;

  // price * qty in Money, rounded half-to-even to the Money unit; kOverflow past int64.
  Result<Money> notional(Price price, Qty qty) const;
  // Fee on |notional| at a rate, rounded up toward +infinity (a venue never charges less than the
  // exact fee). A negative rate gives a negative fee (rebate) whose size is rounded down, so a
  // rebate is never booked larger than the exact one.
  Result<Money> fee(Money notional, FeeRate rate) const;
  // The largest quantity on the lot grid whose exact notional at `price` does not exceed `budget`
  // (so notional() of it, however rounded, does not either).
  Result<Qty> qty_for_notional(Money budget, Price price) const;

  Price round_down_to_tick(Price p) const { return Price::from_raw(floor_to(p.raw, tick_size.raw)); }
  Price round_up_to_tick(Price p) const { return Price::from_raw(ceil_to(p.raw, tick_size.raw)); }
  Qty round_down_to_lot(Qty q) const { return Qty::from_raw(floor_to(q.raw, lot_step.raw)); }
  bool on_tick(Price p) const { return p.raw % tick_size.raw == 0; }
  bool on_lot(Qty q) const { return q.raw % lot_step.raw == 0; }

  Result<Price> parse_price(std::string_view text) const;
  Result<Qty> parse_qty(std::string_view text) const;
  std::string format(Price p) const { return format_decimal(p.raw, price_decimals); }
  std::string format(Qty q) const { return format_decimal(q.raw, qty_decimals); }
  double to_double(Price p) const { return cst::to_double(p.raw, price_decimals); }
  double to_double(Qty q) const { return cst::to_double(q.raw, qty_decimals); }

 private:
  static std::int64_t floor_to(std::int64_t v, std::int64_t step) {
    std::int64_t r = v % step;
    if (r < 0) r += step;
    return v - r;
  }
  // Not -floor_to(-v): negating INT64_MIN overflows.
  static std::int64_t ceil_to(std::int64_t v, std::int64_t step) {
    std::int64_t r = v % step;
    if (r > 0) r -= step;
    return v - r;
  }
};

}  // namespace cst
