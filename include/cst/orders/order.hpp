// Order: one order's state, fills and append-only event history. Every change goes through
// a method that checks the state machine (order_state.hpp); an illegal change returns an
// error and leaves the order untouched.
#pragma once

#include <string>
#include <vector>

#include "cst/core/fixed_point.hpp"
#include "cst/core/ids.hpp"
#include "cst/core/result.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/orders/order_intent.hpp"
#include "cst/orders/order_state.hpp"

namespace cst {

struct OrderEvent {
  Timestamp time;
  OrderStatus status;  // status after the event
  Qty qty;             // fill quantity for fills, else zero
  Price price;         // fill price for fills, else zero
  std::string reason;  // why (reject/cancel/error reason), empty otherwise
};

// An order's state without its event history: what the state store keeps in its orders table
// (the history is kept as rows of its own).
struct OrderSnapshot {
  OrderIntent intent;  // qty and limit_price are the approved ones
  OrderStatus status = OrderStatus::kNew;
  VenueOrderId venue_order_id;
  Qty filled;
  int128 fill_value = 0;  // sum of price_raw * qty_raw over fills
  Timestamp updated;
};

class Order {
 public:
  // An order starts NEW with the approved quantity and price (not the requested ones).
  Order(const OrderIntent& intent, Qty approved_qty, Price approved_price, Timestamp time);

  // Rebuilds an order after a restart; refuses inconsistent snapshots (filled beyond qty, a fill
  // value without fills, a filled quantity that does not match the status).
  static Result<Order> restore(const OrderSnapshot& snapshot);
  OrderSnapshot snapshot() const;

  Status submit(Timestamp t);
  Status accept(Timestamp t, const VenueOrderId& venue_id);
  // Fills qty at price; qty must be positive and at most remaining_qty().
  Status fill(Timestamp t, Qty qty, Price price);
  Status cancel(Timestamp t, std::string reason);
  Status reject(Timestamp t, std::string reason);
  Status fail(Timestamp t, std::string reason);

  const ClientOrderId& client_order_id() const { return client_order_id_; }
  const VenueOrderId& venue_order_id() const { return venue_order_id_; }
  InstrumentId instrument() const { return instrument_; }
  Side side() const { return side_; }
  OrderType type() const { return type_; }
  Qty qty() const { return qty_; }
  Price limit_price() const { return limit_price_; }
  bool post_only() const { return post_only_; }
  bool reduce_only() const { return reduce_only_; }
  OrderStatus status() const { return status_; }
  Qty filled_qty() const { return filled_; }
  Qty remaining_qty() const { return qty_ - filled_; }
  // Volume-weighted fill price rounded half-to-even to the price unit; zero before any fill.
  Price avg_fill_price() const;
  const std::vector<OrderEvent>& events() const { return events_; }
  bool is_open() const { return !is_terminal(status_); }

 private:
  Status transition(Timestamp t, OrderStatus to, Qty qty, Price price, std::string reason);

  ClientOrderId client_order_id_;
  VenueOrderId venue_order_id_;
  InstrumentId instrument_;
  Side side_;
  OrderType type_;
  Qty qty_;
  Price limit_price_;
  bool post_only_;
  bool reduce_only_;
  OrderStatus status_ = OrderStatus::kNew;
  Qty filled_;
  int128 fill_value_ = 0;  // sum of price_raw * qty_raw over fills, exact
  std::vector<OrderEvent> events_;
};

}  // namespace cst
