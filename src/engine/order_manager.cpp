#include "cst/engine/order_manager.hpp"

namespace cst {
namespace {

Money buy_cost(const Instrument& inst, Price reference, Qty qty) {
  auto notional = inst.notional(reference, qty);
  if (!notional.ok()) return Money{};
  auto fee = inst.fee(*notional, inst.taker_fee);
  return *notional + (fee.ok() ? *fee : Money{});
}

}  // namespace

InstrumentExposure& OrderManager::open_mut(InstrumentId id) {
  if (id.value >= open_.size()) open_.resize(id.value + 1);
  return open_[id.value];
}

const InstrumentExposure& OrderManager::open(InstrumentId id) const {
  static const InstrumentExposure kNone{};
  return id.value < open_.size() ? open_[id.value] : kNone;
}

Order& OrderManager::add(Order order, Price reference, const Instrument& instrument) {
  InstrumentExposure& e = open_mut(order.instrument());
  Reservation reservation{reference, Qty{}, Money{}};
  // What is still open: all of a new order, the rest of one restored after a restart.
  const Qty open = order.remaining_qty();
  if (order.side() == Side::kBuy) {
    e.open_buy += open;
    reservation.open = open;
    reservation.reserved = buy_cost(instrument, reference, open);
    reserved_cash_ += reservation.reserved;
  } else {
    e.open_sell += open;
  }
  ++open_count_;
  index_.emplace(order.client_order_id(), orders_.size());
  orders_.push_back(std::move(order));
  reservations_.push_back(reservation);
  return orders_.back();
}

std::vector<const Order*> OrderManager::working() const {
  std::vector<const Order*> out;
  for (const Order& o : orders_)
    if (o.is_open()) out.push_back(&o);
  return out;
}

Order* OrderManager::find(const ClientOrderId& id) {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &orders_[it->second];
}

void OrderManager::release(const Order& order, Qty qty, const Instrument& instrument) {
  InstrumentExposure& e = open_mut(order.instrument());
  if (order.side() == Side::kBuy) {
    e.open_buy -= qty;
    // Re-price what stays open rather than subtract the cost of `qty`: fee and notional round
    // per call, so the parts' costs need not add up to the whole's.
    Reservation& r = reservations_[index_.at(order.client_order_id())];
    r.open -= qty;
    const Money still_held = r.open.raw > 0 ? buy_cost(instrument, r.reference, r.open) : Money{};
    reserved_cash_ -= r.reserved - still_held;
    r.reserved = still_held;
  } else {
    e.open_sell -= qty;
  }
}

}  // namespace cst
