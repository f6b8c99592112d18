#include "cst/venues/sim_venue.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace cst {

SimVenue::SimVenue(Instrument instrument, SimVenueConfig config, const Portfolio& account, ExecutionListener& listener)
    : instrument_(std::move(instrument)),
      config_(std::move(config)),
      account_(account),
      listener_(listener),
      rng_(config_.model.seed) {}

SendResult SimVenue::send(ApprovedOrder order) {
  if (order.instrument() != instrument_.id)
    return make_error(ErrorCode::kInvalidArgument, "sim venue trades only " + instrument_.symbol);
  Working w{std::move(order), Qty{}, now_ + config_.model.latency, false, false};
  w.remaining = w.order.approved_qty();
  if (w.order.type() == OrderType::kLimit && have_bar_)
    w.resting = !marketable_on_arrival(w.order.side(), w.order.approved_price(), last_bar_.close);
  // Close mode: an order sent while a bar is forming (from a report at its open) waits for that
  // bar's close; last_bar_ is the bar before, whose close is already in the past.
  w.mid_bar = config_.timing == FillTiming::kThisClose && in_bar_;
  report(ExecKind::kAccepted, w, now_, {});
  working_.push_back(std::move(w));
  if (config_.timing == FillTiming::kThisClose && have_bar_ && !in_bar_ && config_.model.latency.ns == 0) {
    Working& added = working_.back();
    match(added, last_bar_, now_, true);
    if (added.remaining.raw == 0) working_.pop_back();
  }
  deliver();
  return Status::Ok();
}

Status SimVenue::cancel(ApprovedCancel cancel) {
  auto it = std::find_if(working_.begin(), working_.end(),
                         [&](const Working& w) { return w.order.client_order_id() == cancel.client_order_id(); });
  if (it == working_.end())
    return make_error(ErrorCode::kNotFound, "no working order " + cancel.client_order_id().str());
  report(ExecKind::kCancelled, *it, now_, "cancel_request");
  working_.erase(it);
  deliver();
  return Status::Ok();
}

void SimVenue::on_bar_open(const Bar& bar) {
  now_ = bar.time;
  in_bar_ = true;
  for (auto& w : working_) {
    w.mid_bar = false;  // left over only if the previous bar was never closed
    if (w.active_from <= bar.time) match(w, bar, bar.time, false);
  }
  erase_done_and_deliver();
}

void SimVenue::on_bar_close(const Bar& bar, Timestamp close_time) {
  now_ = close_time;
  last_bar_ = bar;
  have_bar_ = true;
  in_bar_ = false;
  for (auto& w : working_) {
    if (!w.mid_bar) continue;
    w.mid_bar = false;
    if (w.active_from <= close_time) match(w, bar, close_time, true);
  }
  erase_done_and_deliver();
}

void SimVenue::erase_done_and_deliver() {
  std::erase_if(working_, [](const Working& w) { return w.remaining.raw == 0; });
  deliver();
}

void SimVenue::deliver() {
  // Listeners may send new orders from inside a report; those reports join the queue and
  // are delivered by the outermost call, in order.
  if (delivering_) return;
  delivering_ = true;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const ExecutionReport r = pending_[i];
    next_delivery_ = i + 1;
    listener_.on_execution(r);
  }
  pending_.clear();
  next_delivery_ = 0;
  delivering_ = false;
}

void SimVenue::match(Working& w, const Bar& bar, Timestamp when, bool at_close) {
  const MatchTerms terms{w.order.side(), w.order.type(), w.order.approved_price(), w.resting};
  const auto trade =
      trade_on_bar(terms, bar, at_close ? MatchPoint::kClose : MatchPoint::kOpen, instrument_, config_.model);
  if (!trade) return;
  fill(w, partial_quantity(w.remaining, config_.model, instrument_, rng_), trade->price, trade->maker, when);
}

bool SimVenue::affordable(const Working& w, Qty qty, Price price, Money fee) const {
  // Fills reported but not yet delivered have not reached the account: count them here, or two
  // orders matched on one bar could together spend more than the cash (or sell more than held).
  Money cash = account_.cash();
  Qty held = account_.has_instrument(instrument_.id) ? account_.position(instrument_.id).qty : Qty{};
  for (std::size_t i = next_delivery_; i < pending_.size(); ++i) {
    const ExecutionReport& r = pending_[i];
    if (r.kind != ExecKind::kFilled) continue;
    auto value = instrument_.notional(r.price, r.qty);
    if (!value.ok()) return false;
    if (r.side == Side::kBuy) {
      cash -= *value + r.fee;
      held += r.qty;
    } else {
      cash += *value - r.fee;
      held -= r.qty;
    }
  }
  return can_settle(instrument_, w.order.side(), qty, price, fee, cash, held, config_.allow_short);
}

void SimVenue::fill(Working& w, Qty qty, Price price, bool maker, Timestamp when) {
  auto fee = fill_fee(instrument_, price, qty, maker);
  if (!fee.ok() || !affordable(w, qty, price, *fee)) {
    const bool partly_filled = w.remaining < w.order.approved_qty();
    report(partly_filled ? ExecKind::kCancelled : ExecKind::kRejected, w, when, unsettled_reason(w.order.side()));
    w.remaining = Qty{};
    return;
  }
  w.remaining -= qty;
  ExecutionReport r;
  r.kind = ExecKind::kFilled;
  r.time = when;
  r.client_order_id = w.order.client_order_id();
  r.instrument = instrument_.id;
  r.side = w.order.side();
  r.qty = qty;
  r.price = price;
  r.fee = *fee;
  r.maker = maker;
  r.trade_id = next_trade_id_++;
  pending_.push_back(r);
}

void SimVenue::report(ExecKind kind, const Working& w, Timestamp when, std::string_view reason) {
  ExecutionReport r;
  r.kind = kind;
  r.time = when;
  r.client_order_id = w.order.client_order_id();
  if (kind == ExecKind::kAccepted) {
    auto id = VenueOrderId::parse("SIM-" + std::to_string(next_venue_id_++));
    if (id.ok()) r.venue_order_id = *id;
  }
  r.instrument = instrument_.id;
  r.side = w.order.side();
  r.set_reason(reason);
  pending_.push_back(r);
}

}  // namespace cst
