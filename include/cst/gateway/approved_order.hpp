// ApprovedOrder and ApprovedCancel: the only things a venue accepts.
//
// Their constructors are private and ExecutionGateway is their only friend, so no other code
// can make one (tests/compile_fail proves it). They are move-only: an approval is consumed by
// the one send it was made for and cannot be copied and sent twice. A venue must send
// exactly approved_qty() at approved_price(), not what the strategy first asked for.
#pragma once

#include <cstdint>

#include "cst/core/fixed_point.hpp"
#include "cst/orders/order_intent.hpp"

namespace cst {

class ExecutionGateway;

class ApprovedOrder {
 public:
  ApprovedOrder(ApprovedOrder&&) noexcept = default;
  ApprovedOrder& operator=(ApprovedOrder&&) noexcept = default;
  ApprovedOrder(const ApprovedOrder&) = delete;
  ApprovedOrder& operator=(const ApprovedOrder&) = delete;

  // The intent as approved: its qty and limit_price are approved_qty() and approved_price().
  const OrderIntent& intent() const { return intent_; }
  const ClientOrderId& client_order_id() const { return intent_.client_order_id; }
  InstrumentId instrument() const { return intent_.instrument; }
  Side side() const { return intent_.side; }
  OrderType type() const { return intent_.type; }
  Qty approved_qty() const { return approved_qty_; }
  // The limit price for limit orders, zero for market orders.
  Price approved_price() const { return approved_price_; }
  std::uint64_t decision_id() const { return decision_id_; }

 private:
  friend class ExecutionGateway;
  ApprovedOrder(const OrderIntent& intent, Qty qty, Price price, std::uint64_t decision_id)
      : intent_(intent), approved_qty_(qty), approved_price_(price), decision_id_(decision_id) {}

  OrderIntent intent_;
  Qty approved_qty_;
  Price approved_price_;
  std::uint64_t decision_id_;
};

class ApprovedCancel {
 public:
  ApprovedCancel(ApprovedCancel&&) noexcept = default;
  ApprovedCancel& operator=(ApprovedCancel&&) noexcept = default;
  ApprovedCancel(const ApprovedCancel&) = delete;
  ApprovedCancel& operator=(const ApprovedCancel&) = delete;

  const CancelIntent& intent() const { return intent_; }
  const ClientOrderId& client_order_id() const { return intent_.client_order_id; }

 private:
  friend class ExecutionGateway;
  explicit ApprovedCancel(const CancelIntent& intent) : intent_(intent) {}

  CancelIntent intent_;
};

}  // namespace cst
