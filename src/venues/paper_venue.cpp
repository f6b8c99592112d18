#include "cst/venues/paper_venue.hpp"

#include <algorithm>

namespace cst {

PaperVenue::PaperVenue(PaperExchange& exchange, ExecutionListener& listener, PaperFaults faults)
    : exchange_(exchange), listener_(listener), faults_(faults) {}

std::optional<Error> PaperVenue::sign(std::string_view endpoint) {
  if (gate_ != nullptr) {
    Status s = gate_->authorize(endpoint);
    if (!s.ok()) return unavailable(s.error().message);
  }
  const bool refused = faults_.reject_next_signatures > 0;
  if (refused) --faults_.reject_next_signatures;
  if (gate_ != nullptr) gate_->accepted(endpoint, !refused);
  if (refused) return unavailable("the exchange refused the request's signature (" + std::string(endpoint) + ")");
  return std::nullopt;
}

Error PaperVenue::unavailable(const std::string& what) {
  ++transient_failures_;
  return make_error(ErrorCode::kUnavailable, "paper venue '" + exchange_.path() + "': " + what);
}

SendResult PaperVenue::send(ApprovedOrder order) {
  ++sends_;
  if (!connected_) {
    Error e = unavailable("not connected; order '" + order.client_order_id().str() + "' not sent");
    return SendResult(std::move(e), std::move(order));
  }
  if (faults_.fail_next_sends > 0) {
    --faults_.fail_next_sends;
    Error e = unavailable("venue busy (fault drill); order '" + order.client_order_id().str() + "' not sent");
    return SendResult(std::move(e), std::move(order));
  }
  if (auto refused = sign("order.new")) return SendResult(std::move(*refused), std::move(order));
  const PaperExchangeConfig& config = exchange_.config();
  if (order.instrument() != config.instrument.id)
    return make_error(ErrorCode::kInvalidArgument, "paper venue trades only " + config.instrument.symbol);
  // Exactly what the gateway approved, not what the strategy first asked for (invariant 2).
  const NewOrder wire{order.client_order_id(), order.side(),           order.type(),
                      order.approved_qty(),    order.approved_price(), order.intent().post_only};
  auto placed = exchange_.place(wire, order.intent().time);
  if (placed.ok() && faults_.lose_next_acks > 0) {
    --faults_.lose_next_acks;
    pull();
    // The exchange's reply to this order (its ack or rejection) was the last report queued for it.
    auto reply = std::find_if(inbox_.rbegin(), inbox_.rend(), [&](const ExecutionReport& r) {
      return r.client_order_id == wire.client_order_id &&
             (r.kind == ExecKind::kAccepted || r.kind == ExecKind::kRejected);
    });
    if (reply != inbox_.rend() && static_cast<std::size_t>(inbox_.rend() - reply) > next_)
      inbox_.erase(std::next(reply).base());
    poll();
    Error e = make_error(ErrorCode::kTimeout, "paper venue '" + exchange_.path() + "': no reply to order '" +
                                                  wire.client_order_id.str() +
                                                  "' (lost reply drill); query the venue before retrying");
    return SendResult(std::move(e), std::move(order));
  }
  poll();
  if (!placed.ok()) return placed.error();
  return Status::Ok();
}

Status PaperVenue::cancel(ApprovedCancel cancel) {
  if (!connected_) return unavailable("not connected; cancel of '" + cancel.client_order_id().str() + "' not sent");
  if (auto refused = sign("order.cancel")) return *refused;
  Status s = exchange_.cancel(cancel.client_order_id(), cancel.intent().time, "cancel_request");
  poll();
  return s;
}

Result<std::optional<VenueOrder>> PaperVenue::query_order(const ClientOrderId& id) {
  if (!connected_) return unavailable("not connected; cannot query '" + id.str() + "'");
  if (auto refused = sign("order.query")) return *refused;
  return exchange_.query(id);
}

Result<std::vector<VenueOrder>> PaperVenue::open_orders() {
  if (!connected_) return unavailable("not connected; cannot list open orders");
  if (auto refused = sign("orders.open")) return *refused;
  return exchange_.open_orders();
}

Result<std::vector<VenueFill>> PaperVenue::fills_after(std::uint64_t trade_id) {
  if (!connected_) return unavailable("not connected; cannot list fills");
  if (auto refused = sign("fills")) return *refused;
  return exchange_.fills_after(trade_id);
}

Result<VenueBalances> PaperVenue::balances() {
  if (!connected_) return unavailable("not connected; cannot read balances");
  if (auto refused = sign("account.balances")) return *refused;
  return exchange_.balances();
}

void PaperVenue::pull() {
  std::vector<ExecutionReport> arrived = exchange_.take_reports();
  inbox_.insert(inbox_.end(), arrived.begin(), arrived.end());
}

void PaperVenue::poll() {
  // A listener may send or cancel from inside a report; their reports join the inbox and are
  // delivered by this (outermost) call, after the ones already waiting.
  if (!connected_ || delivering_) return;
  delivering_ = true;
  for (;;) {
    pull();
    if (!connected_ || next_ >= inbox_.size()) break;
    const ExecutionReport r = inbox_[next_++];  // a copy: the listener may grow the inbox
    listener_.on_execution(r);
  }
  inbox_.clear();
  next_ = 0;
  delivering_ = false;
}

void PaperVenue::disconnect(Timestamp now) {
  connected_ = false;
  inbox_.clear();
  next_ = 0;
  if (faults_.cancel_on_disconnect) exchange_.cancel_all(now, "cancel_on_disconnect");
  // Reports not yet delivered, and the cancels just made, were for a session that is gone.
  (void)exchange_.take_reports();
}

void PaperVenue::reconnect() {
  (void)exchange_.take_reports();  // queued while no session was there to receive them
  connected_ = true;
}

}  // namespace cst
