// How big an order a strategy asks for: a fixed quantity, or a share of current equity
// (rounded down to the lot, leaving room for the taker fee).
#pragma once

#include <string_view>

#include "cst/core/fixed_point.hpp"
#include "cst/core/instrument.hpp"
#include "cst/core/result.hpp"

namespace cst {

struct Sizing {
  enum class Kind { kFixedQty, kPercentOfEquity } kind = Kind::kFixedQty;
  std::string text = "1";       // as the user wrote it ("1000", "10%")
  std::int64_t percent_bp = 0;  // for kPercentOfEquity, in basis points

  // "1000" (quantity in instrument units) or "10%" / "2.5%" of equity (at most two decimals).
  static Result<Sizing> parse(std::string_view text);
  // The order quantity at `price` for an account with `equity`. A fixed quantity with more
  // decimals than the instrument's, or off its lot grid, is an error (never rounded).
  Result<Qty> quantity(const Instrument& instrument, Money equity, Price price) const;
};

}  // namespace cst
