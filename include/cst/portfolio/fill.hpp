// A fill as the portfolio applies it: one execution of one order.
#pragma once

#include "cst/core/fixed_point.hpp"
#include "cst/core/ids.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/market/market_event.hpp"

namespace cst {

struct Fill {
  Timestamp time;
  ClientOrderId client_order_id;
  InstrumentId instrument{};
  Side side = Side::kBuy;
  Qty qty;      // positive
  Price price;  // positive
  Money fee;    // charged to cash; negative for a rebate
  bool maker = false;
};

}  // namespace cst
