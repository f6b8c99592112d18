// One instrument's position with average-cost accounting.
//
// qty is signed (short < 0). cost is the signed notional of the open quantity at its average
// entry price (long > 0, short < 0). Reducing a position releases cost pro rata, rounded
// half-to-even to the Money unit, and realizes the difference to the exit notional.
#pragma once

#include "cst/core/fixed_point.hpp"

namespace cst {

struct Position {
  Qty qty;
  Money cost;          // signed entry notional of the open quantity
  Price mark;          // last mark price (zero before the first mark)
  Money market_value;  // signed qty * mark
  Money realized_pnl;  // before fees
  Money fees;

  bool is_flat() const { return qty.raw == 0; }
  Money unrealized_pnl() const { return market_value - cost; }
};

}  // namespace cst
