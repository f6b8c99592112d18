// OrderManager: the engine's orders by client order id, their state machines, and the
// open quantities and cash they hold, which the RiskGuard counts as exposure.
// Single-threaded (engine loop). Orders are kept after they end, for reports and lookups.
#pragma once

#include <unordered_map>
#include <vector>

#include "cst/core/instrument.hpp"
#include "cst/orders/order.hpp"
#include "cst/risk/account_state.hpp"

namespace cst {

class OrderManager {
 public:
  // Adds an approved order (NEW, or one still working after a restart); `reference` values the
  // worst-case cost of its remaining quantity for buys.
  Order& add(Order order, Price reference, const Instrument& instrument);
  Order* find(const ClientOrderId& id);
  // Releases the open quantity (and reserved cash) of `qty` of an order that filled or ended.
  // The cash held for an order is always the worst-case cost of its still-open quantity, so
  // after the last release nothing is left, however the fills split it.
  void release(const Order& order, Qty qty, const Instrument& instrument);

  const InstrumentExposure& open(InstrumentId id) const;
  Money reserved_cash() const { return reserved_cash_; }
  std::size_t open_orders() const { return open_count_; }
  // Orders not yet ended, in the order they were added.
  std::vector<const Order*> working() const;
  void on_closed() { --open_count_; }

 private:
  struct Reservation {
    Price reference;
    Qty open;        // buy quantity not yet released
    Money reserved;  // buy_cost(reference, open), the part of reserved_cash_ held for it
  };
  InstrumentExposure& open_mut(InstrumentId id);

  std::unordered_map<ClientOrderId, std::size_t> index_;
  std::vector<Order> orders_;
  std::vector<Reservation> reservations_;
  std::vector<InstrumentExposure> open_;
  Money reserved_cash_;
  std::size_t open_count_ = 0;
};

}  // namespace cst
