// OrderIntent: what a strategy (or an operator) wants. It is only a request: nothing can be
// sent to a venue until the ExecutionGateway turns it into an ApprovedOrder.
#pragma once

#include <cstdint>

#include "cst/core/fixed_point.hpp"
#include "cst/core/ids.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/market/market_event.hpp"

namespace cst {

enum class OrderType : std::uint8_t { kMarket, kLimit };
inline constexpr const char* to_string(OrderType t) { return t == OrderType::kMarket ? "market" : "limit"; }

struct SourceTag {};
// Who asked: a strategy instance name, "operator", "guardian".
using SourceId = InlineId<SourceTag, 24>;

struct OrderIntent {
  ClientOrderId client_order_id;
  AccountId account{};
  InstrumentId instrument{};
  SourceId source;
  Side side = Side::kBuy;
  OrderType type = OrderType::kMarket;
  Qty qty;
  Price limit_price;         // only for kLimit
  bool post_only = false;    // must rest on the book as maker
  bool reduce_only = false;  // may only shrink an existing position
  Timestamp time;            // when the intent was created (clock time)
};

// A request to cancel; cancels are always allowed, but still pass (and are journaled by) the gateway.
struct CancelIntent {
  ClientOrderId client_order_id;
  AccountId account{};
  InstrumentId instrument{};
  SourceId source;
  Timestamp time;
};

}  // namespace cst
