#include "cst/engine/order_flow.hpp"

#include <algorithm>

namespace cst {

OrderFlow::OrderFlow(const Instrument& instrument, Portfolio& portfolio, ExecutionGateway& gateway,
                     AuditJournal& journal, Venue& venue, OrderFlowListener& listener, ClientOrderIdGenerator ids,
                     bool allow_short, DurableLog* durable)
    : inst_(instrument),
      portfolio_(portfolio),
      gateway_(gateway),
      journal_(journal),
      venue_(venue),
      listener_(listener),
      ids_(std::move(ids)),
      allow_short_(allow_short),
      durable_(durable),
      queryable_(dynamic_cast<TradingVenue*>(&venue)) {}

std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int retry) {
  return policy.backoff * (std::int64_t{1} << std::min(retry - 1, 20));
}

bool OrderFlow::has_pending_send(const ClientOrderId& id) const {
  return std::any_of(pending_.begin(), pending_.end(),
                     [&](const PendingSend& p) { return p.order.client_order_id() == id; });
}

void OrderFlow::send_failed(SendResult result, int retries_done, bool may_exist) {
  const ErrorCode code = result.error().code;
  const ClientOrderId id = result.unsent ? result.unsent->client_order_id() : ClientOrderId{};
  may_exist = may_exist || code == ErrorCode::kTimeout;
  Order* o = result.unsent ? orders_.find(id) : nullptr;
  const bool transient = code == ErrorCode::kUnavailable || code == ErrorCode::kTimeout;
  if (o != nullptr && o->is_open() && transient && retries_done < retry_.max_retries) {
    if (code == ErrorCode::kTimeout && durable_ != nullptr)
      durable_ok(durable_->order_changed(*o, "send_timeout", true));
    journal_event(*o, {}, {}, {}, code == ErrorCode::kTimeout ? "send_timeout_retry" : "send_unavailable_retry");
    const int retry = retries_done + 1;
    pending_.push_back(PendingSend{std::move(*result.unsent), retries_done,
                                   std::chrono::steady_clock::now() + retry_delay(retry_, retry), may_exist});
    return;
  }
  if (o == nullptr || !o->is_open()) return;
  if (may_exist) {
    // It may be at the venue: it stays SUBMITTED and uncertain until a query settles it.
    if (durable_ != nullptr) durable_ok(durable_->order_changed(*o, "send_timeout", true));
    journal_event(*o, {}, {}, {}, "send_outcome_unknown");
    return;
  }
  // It never reached the venue: end it, or it would count as open for ever.
  if (o->fail(now_, "send_failed").ok()) {
    if (durable_ != nullptr) durable_ok(durable_->order_changed(*o, "send_failed", false));
    end_order(*o, o->remaining_qty(), "send_failed");
  }
}

void OrderFlow::retry_due() {
  const auto now = std::chrono::steady_clock::now();
  std::vector<PendingSend> due;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->due <= now) {
      due.push_back(std::move(*it));
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
  for (PendingSend& p : due) {
    if (halted()) return;
    const ClientOrderId id = p.order.client_order_id();
    Order* o = orders_.find(id);
    if (o == nullptr || !o->is_open()) continue;  // settled meanwhile (a report, a reconciliation)
    if (p.query_first && queryable_ != nullptr) {
      auto q = queryable_->query_order(id);
      if (!q.ok()) {
        send_failed(SendResult(q.error(), std::move(p.order)), p.retries_done + 1, true);
        continue;
      }
      if (q->has_value()) {
        // It arrived the first time: never send it again.
        if (o->status() == OrderStatus::kSubmitted && o->accept(now_, (*q)->venue_order_id).ok())
          changed(*o, "ack_by_query", false);
        continue;
      }
    }
    SendResult r = venue_.send(std::move(p.order));
    if (!r.ok()) send_failed(std::move(r), p.retries_done + 1, p.query_first);
  }
}

bool OrderFlow::durable_ok(const Status& s) {
  if (s.ok()) return true;
  if (halt_.ok()) halt_ = s;
  return false;
}

AccountState OrderFlow::account_state(Price mark) const {
  AccountState a;
  a.equity = portfolio_.equity();
  a.cash = portfolio_.cash();
  a.reserved_cash = orders_.reserved_cash();
  a.start_of_day_equity = portfolio_.start_of_day_equity();
  a.equity_peak = portfolio_.equity_peak();
  const InstrumentExposure& open = orders_.open(inst_.id);
  a.instrument = InstrumentExposure{portfolio_.position(inst_.id).qty, open.open_buy, open.open_sell};
  const std::int64_t pos = a.instrument.position.raw;
  const std::int64_t worst = std::max(abs64(pos + open.open_buy.raw), abs64(pos - open.open_sell.raw));
  auto exposure = inst_.notional(mark, Qty::from_raw(worst));
  a.instrument_exposure = exposure.ok() ? *exposure : Money::from_raw(INT64_MAX / 4);
  a.gross_exposure = a.instrument_exposure;
  a.allow_short = allow_short_;
  return a;
}

SubmitResult OrderFlow::submit(const OrderRequest& request, const SourceId& source, Price mark, Qty volume) {
  OrderIntent intent;
  intent.client_order_id = ids_.next();
  intent.instrument = inst_.id;
  intent.source = source;
  intent.side = request.side;
  intent.type = request.type;
  intent.qty = request.qty;
  intent.limit_price = request.limit_price;
  intent.post_only = request.post_only;
  intent.reduce_only = request.reduce_only;
  intent.time = now_;
  MarketSnapshot market;
  market.time = now_;
  market.last = mark;
  market.recent_volume = volume;

  GatewayOutcome outcome = gateway_.decide(intent, inst_, account_state(mark), market, now_);
  SubmitResult out{outcome.decision.approved(), intent.client_order_id, outcome.decision.approved_qty,
                   outcome.decision.reason};
  if (!outcome.order) return out;
  if (halted()) {
    // Approved, but the state on disk can no longer follow: nothing more leaves the process.
    journal_.append(NoteRecord{now_, "order_not_sent",
                               "{\"client_order_id\":\"" + intent.client_order_id.str() + "\",\"reason\":\"halted\"}"});
    out.approved = false;
    return out;
  }
  const Price reference = request.type == OrderType::kLimit ? request.limit_price : mark;
  Order& order = orders_.add(Order(intent, outcome.decision.approved_qty, outcome.decision.approved_price, now_),
                             reference, inst_);
  journal_event(order, {}, {}, {}, {});
  auto notional = inst_.notional(reference, outcome.decision.approved_qty);
  if (hold_threshold_.raw > 0 && (!notional.ok() || *notional >= hold_threshold_)) {
    // Multi-signature: approved by the gateway, but nothing leaves the process (and nothing is
    // made durable) until enough operators sign it; its exposure counts meanwhile.
    held_.push_back(HeldOrder{std::move(*outcome.order), reference, source, outcome.decision.decision_id, now_,
                              notional.ok() ? *notional : Money::from_raw(INT64_MAX)});
    return out;
  }
  send_new(std::move(*outcome.order), reference, outcome.decision.decision_id, source, &out);
  return out;
}

void OrderFlow::send_new(ApprovedOrder approved, Price reference, std::uint64_t decision_id, const SourceId& source,
                         SubmitResult* out) {
  const ClientOrderId id = approved.client_order_id();
  Order* order = orders_.find(id);
  if (order == nullptr) return;
  (void)order->submit(now_);
  journal_event(*order, {}, {}, {}, {});
  if (durable_ != nullptr && !durable_ok(durable_->before_send(*order, decision_id, reference, source))) {
    // Not durable, so not sent: a restart must never find a sent order it has no record of.
    Order* o = orders_.find(id);
    if (o != nullptr && o->fail(now_, "not_durable").ok()) end_order(*o, o->remaining_qty(), "not_durable");
    if (out != nullptr) out->approved = false;
    return;
  }
  SendResult sent = venue_.send(std::move(approved));
  if (!sent.ok()) {
    listener_.on_flow_error("venue refused " + id.str() + ": " + sent.error().message);
    if (!sent.unsent) {
      // Refused for good (not a transport failure): the order never reached the venue.
      Order* o = orders_.find(id);  // `order` may have moved since
      if (o != nullptr && o->is_open() && o->fail(now_, "send_failed").ok()) {
        if (durable_ != nullptr) durable_ok(durable_->order_changed(*o, "send_failed", false));
        end_order(*o, o->remaining_qty(), "send_failed");
      }
      return;
    }
    send_failed(std::move(sent), 0, false);
  }
}

bool OrderFlow::release(const ClientOrderId& id) {
  const auto it =
      std::find_if(held_.begin(), held_.end(), [&](const HeldOrder& h) { return h.order.client_order_id() == id; });
  if (it == held_.end()) return false;
  HeldOrder h = std::move(*it);
  held_.erase(it);
  if (halted()) {
    drop_held(h, "halted");
    return false;
  }
  send_new(std::move(h.order), h.reference, h.decision_id, h.source, nullptr);
  return true;
}

bool OrderFlow::expire(const ClientOrderId& id, std::string_view reason) {
  const auto it =
      std::find_if(held_.begin(), held_.end(), [&](const HeldOrder& h) { return h.order.client_order_id() == id; });
  if (it == held_.end()) return false;
  HeldOrder h = std::move(*it);
  held_.erase(it);
  drop_held(h, reason);
  return true;
}

void OrderFlow::drop_held(const HeldOrder& h, std::string_view reason) {
  Order* o = orders_.find(h.order.client_order_id());
  if (o != nullptr && o->reject(now_, std::string(reason)).ok()) end_order(*o, o->remaining_qty(), reason);
}

void OrderFlow::end_order(Order& o, Qty open_qty, std::string_view reason) {
  orders_.release(o, open_qty, inst_);
  orders_.on_closed();
  journal_event(o, {}, {}, {}, reason);
}

void OrderFlow::settle(Order& o, Qty open_qty, std::string_view reason) {
  if (durable_ != nullptr) durable_ok(durable_->order_changed(o, reason, false));
  end_order(o, open_qty, reason);
}

void OrderFlow::changed(const Order& o, std::string_view reason, bool uncertain) {
  if (durable_ != nullptr) durable_ok(durable_->order_changed(o, reason, uncertain));
  journal_event(o, {}, {}, {}, reason);
}

void OrderFlow::adopt(Order order, Price reference) { orders_.add(std::move(order), reference, inst_); }

void OrderFlow::cancel(const ClientOrderId& id, const SourceId& source) {
  CancelIntent c{id, AccountId{}, inst_.id, source, now_};
  ApprovedCancel approved = gateway_.cancel(c, now_);  // journaled either way
  // An order that already ended (say it filled just before) has nothing left to cancel: that is
  // a normal race, not an error. Unknown ids still are.
  const Order* o = orders_.find(id);
  if (o != nullptr && !o->is_open()) return;
  Status s = venue_.cancel(std::move(approved));
  if (!s.ok()) listener_.on_flow_error("cancel " + id.str() + ": " + s.error().message);
}

void OrderFlow::journal_event(const Order& o, Qty qty, Price price, Money fee, std::string_view reason) {
  OrderEventRecord e;
  e.time = now_;
  e.client_order_id = o.client_order_id();
  e.instrument = o.instrument();
  e.status = o.status();
  e.qty = qty;
  e.price = price;
  e.fee = fee;
  e.price_decimals = static_cast<std::int8_t>(inst_.price_decimals);
  e.qty_decimals = static_cast<std::int8_t>(inst_.qty_decimals);
  std::copy_n(reason.begin(), std::min(reason.size(), e.reason.size() - 1), e.reason.begin());
  journal_.append(e);
}

void OrderFlow::apply_fill(Order& o, const ExecutionReport& r) {
  if (durable_ != nullptr && durable_->has_trade(r.trade_id)) return;  // applied before: a repeated report
  Status s = o.fill(r.time, r.qty, r.price);
  if (!s.ok()) {
    listener_.on_flow_error("order " + r.client_order_id.str() + ": " + s.error().message);
    return;
  }
  orders_.release(o, r.qty, inst_);
  if (!o.is_open()) orders_.on_closed();
  const Fill fill{r.time, r.client_order_id, r.instrument, r.side, r.qty, r.price, r.fee, r.maker};
  auto effect = portfolio_.apply_fill(fill);
  if (!effect.ok()) {
    listener_.on_flow_error("fill " + r.client_order_id.str() + ": " + effect.error().message);
    return;
  }
  if (durable_ != nullptr) {
    const StoredFill stored{r.trade_id, r.client_order_id, r.instrument, r.side, r.qty, r.price,
                            r.fee,      r.maker,           r.time};
    // Durable before the strategy hears of it; if it cannot be, nobody acts on it.
    if (!durable_ok(durable_->fill_applied(stored, o, portfolio_))) return;
  }
  journal_event(o, r.qty, r.price, r.fee, {});
  listener_.on_fill(fill, *effect);
}

void OrderFlow::on_execution(const ExecutionReport& r) {
  if (halted()) return;  // memory may be ahead of disk; only a restart may act again
  Order* o = orders_.find(r.client_order_id);
  if (o == nullptr) {
    listener_.on_flow_error("venue reported unknown order " + r.client_order_id.str());
    return;
  }
  Status s;
  switch (r.kind) {
    case ExecKind::kAccepted:
      if (o->status() != OrderStatus::kSubmitted) return;  // a late or repeated ack: nothing new
      s = o->accept(r.time, r.venue_order_id);
      if (s.ok()) changed(*o, {}, false);
      break;
    case ExecKind::kFilled: apply_fill(*o, r); return;
    case ExecKind::kCancelled:
    case ExecKind::kRejected: {
      if (!o->is_open()) return;  // already ended (a repeated report, or settled by a query)
      const Qty remaining = o->remaining_qty();
      // A venue may refuse an order it already acknowledged (the sim venue does at fill time,
      // when cash or holdings fall short). The order state machine allows REJECTED only before
      // the acknowledgement; afterwards the order ends as CANCELLED, with the venue's reason.
      const bool acknowledged = o->status() == OrderStatus::kOpen || o->status() == OrderStatus::kPartiallyFilled;
      s = r.kind == ExecKind::kCancelled || acknowledged ? o->cancel(r.time, std::string(r.reason_view()))
                                                         : o->reject(r.time, std::string(r.reason_view()));
      if (!s.ok()) break;
      settle(*o, remaining, r.reason_view());
      break;
    }
  }
  if (!s.ok()) listener_.on_flow_error("order " + r.client_order_id.str() + ": " + s.error().message);
}

}  // namespace cst
