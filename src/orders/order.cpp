#include "cst/orders/order.hpp"

#include <utility>

namespace cst {

Order::Order(const OrderIntent& intent, Qty approved_qty, Price approved_price, Timestamp time)
    : client_order_id_(intent.client_order_id),
      instrument_(intent.instrument),
      side_(intent.side),
      type_(intent.type),
      qty_(approved_qty),
      limit_price_(approved_price),
      post_only_(intent.post_only),
      reduce_only_(intent.reduce_only) {
  events_.push_back(OrderEvent{time, OrderStatus::kNew, Qty{}, Price{}, {}});
}

Status Order::transition(Timestamp t, OrderStatus to, Qty qty, Price price, std::string reason) {
  if (!is_legal_transition(status_, to)) {
    return make_error(ErrorCode::kIllegalTransition, "order " + client_order_id_.str() + ": " +
                                                         std::string(to_string(status_)) + " -> " +
                                                         std::string(to_string(to)) + " is not allowed");
  }
  // Append first: if the allocation throws, the order is left exactly as it was.
  events_.push_back(OrderEvent{t, to, qty, price, std::move(reason)});
  status_ = to;
  return Status::Ok();
}

Status Order::submit(Timestamp t) { return transition(t, OrderStatus::kSubmitted, {}, {}, {}); }

Status Order::accept(Timestamp t, const VenueOrderId& venue_id) {
  Status s = transition(t, OrderStatus::kOpen, {}, {}, {});
  if (s.ok()) venue_order_id_ = venue_id;
  return s;
}

Status Order::fill(Timestamp t, Qty qty, Price price) {
  if (qty.raw <= 0) return make_error(ErrorCode::kInvalidArgument, "order " + client_order_id_.str() + ": fill quantity must be positive");
  if (price.raw <= 0) return make_error(ErrorCode::kInvalidArgument, "order " + client_order_id_.str() + ": fill price must be positive");
  if (qty > remaining_qty())
    return make_error(ErrorCode::kInvalidArgument, "order " + client_order_id_.str() + ": fill exceeds remaining quantity");
  const OrderStatus to = (qty == remaining_qty()) ? OrderStatus::kFilled : OrderStatus::kPartiallyFilled;
  Status s = transition(t, to, qty, price, {});
  if (!s.ok()) return s;
  filled_ += qty;
  fill_value_ += static_cast<int128>(price.raw) * qty.raw;
  return s;
}

Status Order::cancel(Timestamp t, std::string reason) {
  return transition(t, OrderStatus::kCancelled, {}, {}, std::move(reason));
}
Status Order::reject(Timestamp t, std::string reason) {
  return transition(t, OrderStatus::kRejected, {}, {}, std::move(reason));
}
Status Order::fail(Timestamp t, std::string reason) {
  return transition(t, OrderStatus::kError, {}, {}, std::move(reason));
}

Price Order::avg_fill_price() const {
  if (filled_.raw == 0) return Price{};
  return Price::from_raw(static_cast<std::int64_t>(divide_rounded(fill_value_, filled_.raw, Rounding::kHalfEven)));
}

}  // namespace cst
