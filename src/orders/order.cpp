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

Result<Order> Order::restore(const OrderSnapshot& s) {
  const std::string id = s.intent.client_order_id.str();
  auto bad = [&](const char* why) { return make_error(ErrorCode::kCorruption, "order " + id + ": " + why); };
  if (s.intent.client_order_id.empty()) return make_error(ErrorCode::kCorruption, "order without a client order id");
  if (s.intent.qty.raw <= 0) return bad("quantity is not positive");
  if (s.filled.raw < 0 || s.filled > s.intent.qty) return bad("filled quantity outside 0..quantity");
  if ((s.filled.raw == 0) != (s.fill_value == 0)) return bad("fill value does not match the filled quantity");
  if (s.fill_value < 0) return bad("negative fill value");
  const bool full = s.filled == s.intent.qty;
  if (s.status == OrderStatus::kFilled && !full) return bad("FILLED with quantity left");
  if (s.status == OrderStatus::kPartiallyFilled && (full || s.filled.raw == 0))
    return bad("PARTIALLY_FILLED without a partial fill");
  if ((s.status == OrderStatus::kNew || s.status == OrderStatus::kSubmitted || s.status == OrderStatus::kOpen ||
       s.status == OrderStatus::kRejected) &&
      s.filled.raw != 0)
    return bad("fills in a state that cannot have any");
  Order o(s.intent, s.intent.qty, s.intent.limit_price, s.updated);
  o.status_ = s.status;
  o.venue_order_id_ = s.venue_order_id;
  o.filled_ = s.filled;
  o.fill_value_ = s.fill_value;
  o.events_.back() = OrderEvent{s.updated, s.status, Qty{}, Price{}, "restored"};
  return o;
}

OrderSnapshot Order::snapshot() const {
  OrderSnapshot s;
  s.intent.client_order_id = client_order_id_;
  s.intent.instrument = instrument_;
  s.intent.side = side_;
  s.intent.type = type_;
  s.intent.qty = qty_;
  s.intent.limit_price = limit_price_;
  s.intent.post_only = post_only_;
  s.intent.reduce_only = reduce_only_;
  s.status = status_;
  s.venue_order_id = venue_order_id_;
  s.filled = filled_;
  s.fill_value = fill_value_;
  s.updated = events_.empty() ? Timestamp{} : events_.back().time;
  return s;
}

Status Order::submit(Timestamp t) { return transition(t, OrderStatus::kSubmitted, {}, {}, {}); }

Status Order::accept(Timestamp t, const VenueOrderId& venue_id) {
  Status s = transition(t, OrderStatus::kOpen, {}, {}, {});
  if (s.ok()) venue_order_id_ = venue_id;
  return s;
}

Status Order::fill(Timestamp t, Qty qty, Price price) {
  if (qty.raw <= 0)
    return make_error(ErrorCode::kInvalidArgument,
                      "order " + client_order_id_.str() + ": fill quantity must be positive");
  if (price.raw <= 0)
    return make_error(ErrorCode::kInvalidArgument, "order " + client_order_id_.str() + ": fill price must be positive");
  if (qty > remaining_qty())
    return make_error(ErrorCode::kInvalidArgument,
                      "order " + client_order_id_.str() + ": fill exceeds remaining quantity");
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
