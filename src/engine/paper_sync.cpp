#include "paper_session_impl.hpp"

namespace cst::paper_detail {

void PaperSession::on_execution(const ExecutionReport& r) {
  // The venue has committed what this report says; we have not stored it yet.
  crash_point::pass("venue report received, not stored");
  if (flow_.orders().find(r.client_order_id) == nullptr || !flow_.orders().find(r.client_order_id)->is_open()) {
    // Not one of our working orders: a late report for one that ended, or an order we do not
    // know. Fills move money either way; reconciliation applies them from the venue's record.
    if (r.kind == ExecKind::kFilled && !durable_.has_trade(r.trade_id)) {
      note("report_for_unknown_order", json_object({{"client_order_id", r.client_order_id.str()}, {"kind", "fill"}}));
    }
    return;
  }
  flow_.on_execution(r);
}

void PaperSession::watch_connection() {
  const bool up = venue_.connected();
  if (up == was_connected_) return;
  was_connected_ = up;
  if (!up) {
    ++run_.disconnects;
    risk_.set_venue_unavailable(true);
    note("venue_disconnected",
         json_object({{"cancel_on_disconnect", venue_.cancels_on_disconnect() ? "true" : "false"}}));
    raise_alert("venue_disconnected", "connection lost",
                "venue disconnected: no new risk until it is back and reconciled");
    return;
  }
  SyncOutcome out = sync(true);
  if (!venue_.cancels_on_disconnect()) cancel_all_working(out);
  risk_.set_venue_unavailable(false);
  note("venue_reconnected", out.to_json());
  run_.last_reconciliations.push_back(out);
  tell("venue reconnected: " + out.to_json());
}

void PaperSession::apply_foreign_fill(const VenueFill& f, SyncOutcome& out) {
  const Fill fill{f.time, f.client_order_id, f.instrument, f.side, f.qty, f.price, f.fee, f.maker};
  auto effect = portfolio_.apply_fill(fill);
  if (!effect.ok()) {
    note("engine_error",
         json_object({{"message", "foreign fill " + std::to_string(f.trade_id) + ": " + effect.error().message}}));
    return;
  }
  const StoredFill stored{f.trade_id, f.client_order_id, f.instrument, f.side, f.qty, f.price, f.fee, f.maker, f.time};
  Status s = durable_.foreign_fill_applied(stored, portfolio_);
  if (!s.ok()) {
    note("engine_error", json_object({{"message", s.error().message}}));
    return;
  }
  ++out.foreign_fills_applied;
  note("foreign_fill",
       json_object({{"trade_id", std::to_string(f.trade_id)}, {"client_order_id", f.client_order_id.str()}}));
}

void PaperSession::handle_unknown_order(const VenueOrder& v, SyncOutcome& out) {
  if (options_.unknown_orders == UnknownOrderPolicy::kCancel) {
    ApprovedCancel c = gateway_.cancel(
        CancelIntent{v.client_order_id, AccountId{}, inst_.id, *SourceId::parse("reconciler"), now_}, now_);
    Status s = venue_.cancel(std::move(c));
    if (s.ok()) ++out.unknown_orders_cancelled;
    note("unknown_order",
         json_object({{"client_order_id", v.client_order_id.str()},
                      {"action", s.ok() ? "cancelled" : "cancel_failed: " + (s.ok() ? "" : s.error().message)}}));
    return;
  }
  // Adopt: manage it from now on as if we had placed it (it counts against the limits).
  OrderIntent intent;
  intent.client_order_id = v.client_order_id;
  intent.instrument = inst_.id;
  intent.source = *SourceId::parse("adopted");
  intent.side = v.side;
  intent.type = v.type;
  intent.qty = v.qty;
  intent.limit_price = v.limit_price;
  intent.post_only = v.post_only;
  intent.time = v.created;
  Order order(intent, v.qty, v.limit_price, now_);
  (void)order.submit(now_);
  StoredOrder stored{order.snapshot(), 0, v.limit_price.raw > 0 ? v.limit_price : bar_.close, now_, false};
  stored.order.intent.source = intent.source;
  Status s = store_->record_new_order(stored);
  if (!s.ok()) {
    note("engine_error", json_object({{"message", s.error().message}}));
    return;
  }
  (void)order.accept(now_, v.venue_order_id);
  flow_.adopt(std::move(order), stored.reference);
  if (Order* o = flow_.orders().find(v.client_order_id)) flow_.changed(*o, "adopted", false);
  ++out.unknown_orders_adopted;
  note("unknown_order", json_object({{"client_order_id", v.client_order_id.str()}, {"action", "adopted"}}));
}

SyncOutcome PaperSession::sync(bool startup) {
  SyncOutcome out;
  if (!venue_.connected()) {
    out.venue_reachable = false;
    return out;
  }
  // 1. Orders whose fate we do not know: ask the venue by client order id.
  for (const Order* w : flow_.orders().working()) {
    // Orders waiting for a retry belong to the retry (which queries before it re-sends).
    if (w->status() != OrderStatus::kSubmitted || flow_.has_pending_send(w->client_order_id())) continue;
    auto q = venue_.query_order(w->client_order_id());
    if (!q.ok()) {
      out.venue_reachable = false;
      return out;
    }
    Order* o = flow_.orders().find(w->client_order_id());
    if (!q->has_value()) {
      // The venue never received it: it ends here and is never re-sent (its decision is old).
      if (o->reject(now_, "not_received_by_venue").ok()) flow_.settle(*o, o->remaining_qty(), "not_received_by_venue");
      ++out.not_received;
      ++out.uncertain_resolved;
      continue;
    }
    if (o->accept(now_, (*q)->venue_order_id).ok())
      flow_.changed(*o, startup ? "ack_recovered" : "ack_by_query", false);
    ++out.uncertain_resolved;
  }
  // 2. Fills the venue has and we do not: applied exactly once, by trade id.
  auto fills = venue_.fills_after(fill_cursor_);
  if (!fills.ok()) {
    out.venue_reachable = false;
    return out;
  }
  for (const VenueFill& f : *fills) {
    fill_cursor_ = std::max(fill_cursor_, f.trade_id);
    if (durable_.has_trade(f.trade_id)) continue;
    Order* o = flow_.orders().find(f.client_order_id);
    ++out.missing_fills_applied;
    if (o != nullptr && o->is_open()) {
      flow_.on_execution(fill_report(f));
    } else {
      apply_foreign_fill(f, out);
    }
  }
  // 3. Orders the venue has working that we do not know.
  auto open = venue_.open_orders();
  if (!open.ok()) {
    out.venue_reachable = false;
    return out;
  }
  std::unordered_set<ClientOrderId> venue_open;
  for (const VenueOrder& v : *open) {
    venue_open.insert(v.client_order_id);
    const Order* o = flow_.orders().find(v.client_order_id);
    if (o == nullptr || !o->is_open()) handle_unknown_order(v, out);
  }
  // 4. Orders working here that the venue has ended.
  for (const Order* w : flow_.orders().working()) {
    if (venue_open.count(w->client_order_id()) != 0) continue;
    auto q = venue_.query_order(w->client_order_id());
    if (!q.ok() || !q->has_value()) continue;
    Order* o = flow_.orders().find(w->client_order_id());
    const VenueOrder& v = **q;
    if (v.status == VenueOrderStatus::kCancelled || v.status == VenueOrderStatus::kRejected) {
      const Qty remaining = o->remaining_qty();
      const std::string reason = v.reason.empty() ? std::string(to_string(v.status)) : v.reason;
      const bool acknowledged = o->status() == OrderStatus::kOpen || o->status() == OrderStatus::kPartiallyFilled;
      Status s =
          v.status == VenueOrderStatus::kCancelled || acknowledged ? o->cancel(now_, reason) : o->reject(now_, reason);
      if (s.ok()) {
        flow_.settle(*o, remaining, reason);
        ++out.orders_settled;
      }
    }
  }
  check_balances(out);
  if (!startup) note("reconciliation", out.to_json());
  crash_point::pass("reconciled");
  return out;
}

void PaperSession::check_balances(SyncOutcome& out) {
  auto b = venue_.balances();
  if (!b.ok()) {
    out.venue_reachable = false;
    return;
  }
  out.cash_difference = b->cash - portfolio_.cash();
  out.base_difference = b->base - portfolio_.position(inst_.id).qty;
  const bool cash_off = abs64(out.cash_difference.raw) > options_.balance_tolerance.raw;
  if (cash_off || out.base_difference.raw != 0) {
    out.balance_mismatch = true;
    if (!risk_.safe_mode()) {
      out.safe_mode_entered = true;
      enter_safe_mode("balance mismatch: venue cash - local = " + to_string(out.cash_difference) +
                      ", holdings - local = " + format_decimal(out.base_difference.raw, inst_.qty_decimals));
    }
  }
}

void PaperSession::cancel_all_working(SyncOutcome& out) {
  // Guardian: nothing stays working across a lost connection unless we see it again.
  for (const Order* w : flow_.orders().working()) {
    const ClientOrderId id = w->client_order_id();
    flow_.cancel(id, *SourceId::parse("guardian"));
    ++out.orders_cancelled_on_resume;
  }
  venue_.poll();
}

}  // namespace cst::paper_detail
