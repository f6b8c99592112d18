// Strategy: the user's trading logic. It sees bars, fills and timers through a
// StrategyContext and asks for orders with submit(); every request goes through the
// execution gateway, which may approve, reduce or reject it. A strategy cannot tell a
// backtest from paper or live trading. A strategy that throws is stopped by the engine.
#pragma once

#include <string_view>

#include "cst/core/fixed_point.hpp"
#include "cst/core/ids.hpp"
#include "cst/core/instrument.hpp"
#include "cst/core/reason_code.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/market/market_event.hpp"
#include "cst/orders/order_intent.hpp"
#include "cst/portfolio/fill.hpp"

namespace cst {

struct OrderRequest {
  Side side = Side::kBuy;
  OrderType type = OrderType::kMarket;
  Qty qty;
  Price limit_price;
  bool post_only = false;
  bool reduce_only = false;
};

// The gateway's answer as a strategy sees it.
struct SubmitResult {
  bool approved = false;
  ClientOrderId client_order_id;
  Qty approved_qty;
  ReasonCode reason = ReasonCode::kNone;
};

class StrategyContext {
 public:
  virtual ~StrategyContext() = default;
  virtual Timestamp now() const = 0;
  virtual const Instrument& instrument() const = 0;
  virtual Qty position() const = 0;
  virtual Money equity() const = 0;
  virtual Money cash() const = 0;
  // Whether any order of this strategy is still working at the venue.
  virtual bool has_open_orders() const = 0;
  virtual SubmitResult submit(const OrderRequest& request) = 0;
  virtual void cancel(const ClientOrderId& id) = 0;
  // Calls on_timer once the clock reaches `at`.
  virtual void set_timer(Timestamp at) = 0;
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  virtual std::string_view name() const = 0;
  virtual void on_start(StrategyContext&) {}
  virtual void on_bar(StrategyContext& ctx, const Bar& bar) = 0;
  virtual void on_fill(StrategyContext&, const Fill&) {}
  virtual void on_timer(StrategyContext&, Timestamp) {}
};

}  // namespace cst
