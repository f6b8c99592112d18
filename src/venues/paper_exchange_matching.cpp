// PaperExchange: matching a bar (one transaction per bar) and the divergence drills, which
// change the exchange's books behind the trader's back.
#include <optional>

#include "cst/venues/paper_exchange.hpp"
#include "paper_exchange_store.hpp"

namespace cst {
namespace {

// The account after one fill: cash pays (or receives) the notional and pays the fee, holdings
// move by qty. nullopt if a sum would leave int64.
std::optional<VenueBalances> settle(const Instrument& inst, const VenueBalances& before, Side side, Qty qty,
                                    Price price, Money fee) {
  auto notional = inst.notional(price, qty);
  if (!notional.ok()) return std::nullopt;
  const bool buy = side == Side::kBuy;
  auto cash = checked_add(before.cash.raw, buy ? -notional->raw : notional->raw);
  if (cash.ok()) cash = checked_add(*cash, -fee.raw);
  auto base = checked_add(before.base.raw, buy ? qty.raw : -qty.raw);
  if (!cash.ok() || !base.ok()) return std::nullopt;
  return VenueBalances{Money::from_raw(*cash), Qty::from_raw(*base)};
}

ExecutionReport report_of(ExecKind kind, const VenueOrder& o, Timestamp when) {
  ExecutionReport r;
  r.kind = kind;
  r.time = when;
  r.client_order_id = o.client_order_id;
  r.venue_order_id = o.venue_order_id;
  r.instrument = o.instrument;
  r.side = o.side;
  return r;
}

// Everything one bar's matching reads and changes; written back only if the bar commits.
struct BarMatch {
  PaperExchangeStore& store;
  const PaperExchangeConfig& config;
  const Bar& bar;
  Rng rng;
  VenueBalances balances;
  std::uint64_t next_trade_id;
  std::vector<ExecutionReport> reports;
};

// Matches one working order at the bar's open, as SimVenue does in kNextOpen mode.
Status match_order(BarMatch& m, ExchangeOrder& stored) {
  VenueOrder& o = stored.order;
  const Instrument& inst = m.config.instrument;
  const MatchTerms terms{o.side, o.type, o.limit_price, stored.resting};
  const auto trade = trade_on_bar(terms, m.bar, MatchPoint::kOpen, inst, m.config.model);
  if (!trade) return Status::Ok();
  const Qty qty = partial_quantity(o.remaining(), m.config.model, inst, m.rng);
  auto fee = fill_fee(inst, trade->price, qty, trade->maker);
  std::optional<VenueBalances> after;
  if (fee.ok() &&
      can_settle(inst, o.side, qty, trade->price, *fee, m.balances.cash, m.balances.base, m.config.allow_short))
    after = settle(inst, m.balances, o.side, qty, trade->price, *fee);
  if (!after) {
    // Nothing filled yet: the order is rejected; otherwise its rest is cancelled.
    const bool partly_filled = o.filled.raw > 0;
    o.status = partly_filled ? VenueOrderStatus::kCancelled : VenueOrderStatus::kRejected;
    o.reason = std::string(unsettled_reason(o.side));
    ExecutionReport r = report_of(partly_filled ? ExecKind::kCancelled : ExecKind::kRejected, o, m.bar.time);
    r.set_reason(o.reason);
    m.reports.push_back(r);
    return m.store.update_order(stored);
  }
  m.balances = *after;
  const VenueFill fill{m.next_trade_id++, o.client_order_id, inst.id, o.side, qty, trade->price, *fee,
                       trade->maker,      m.bar.time};
  o.filled += qty;
  o.status = o.filled == o.qty ? VenueOrderStatus::kFilled : VenueOrderStatus::kPartiallyFilled;
  ExecutionReport r = report_of(ExecKind::kFilled, o, m.bar.time);
  r.qty = fill.qty;
  r.price = fill.price;
  r.fee = fill.fee;
  r.maker = fill.maker;
  r.trade_id = fill.trade_id;
  m.reports.push_back(r);
  Status s = m.store.insert_fill(fill);
  if (!s.ok()) return s;
  return m.store.update_order(stored);
}

}  // namespace

Status PaperExchange::on_bar(const Bar& bar) {
  if (progress_.last_bar && bar.time <= *progress_.last_bar) return Status::Ok();  // already matched
  auto tx = store_->begin();
  if (!tx.ok()) return tx.error();
  auto working = store_->working_orders();
  if (!working.ok()) return working.error();
  auto balances = store_->read_balances();
  if (!balances.ok()) return balances.error();
  BarMatch m{*store_, config(), bar, Rng(0), *balances, progress_.next_trade_id, {}};
  m.rng.set_state(progress_.rng);
  for (ExchangeOrder& stored : *working) {
    if (stored.active_from > bar.time) continue;  // still travelling (latency knob)
    Status s = match_order(m, stored);
    if (!s.ok()) return s;
  }
  PaperExchangeProgress next = progress_;
  next.last_bar = bar.time;
  next.last_close = bar.close;
  next.rng = m.rng.state();
  next.next_trade_id = m.next_trade_id;
  Status s = store_->write_balances(m.balances);
  if (s.ok()) s = store_->write_progress(next);
  if (s.ok()) s = tx->commit();
  if (!s.ok()) return s;
  progress_ = next;
  reports_.insert(reports_.end(), m.reports.begin(), m.reports.end());
  return Status::Ok();
}

Result<VenueFill> PaperExchange::inject_fill(const ClientOrderId& id, Qty qty, Price price, Timestamp t) {
  const Instrument& inst = config().instrument;
  auto tx = store_->begin();
  if (!tx.ok()) return tx.error();
  auto found = store_->find_order(id);
  if (!found.ok()) return found.error();
  if (!*found || !is_working((*found)->order.status))
    return store_->error(ErrorCode::kNotFound, "inject_fill: no open order '" + id.str() + "'");
  ExchangeOrder& stored = **found;
  VenueOrder& o = stored.order;
  if (qty.raw <= 0 || qty > o.remaining() || !inst.on_lot(qty) || price.raw <= 0 || !inst.on_tick(price))
    return store_->error(ErrorCode::kInvalidArgument,
                         "inject_fill on '" + id.str() + "': qty " + inst.format(qty) + " at " + inst.format(price) +
                             " is off the grid or beyond the open " + inst.format(o.remaining()));
  auto fee = fill_fee(inst, price, qty, stored.resting);
  if (!fee.ok()) return fee.error();
  auto balances = store_->read_balances();
  if (!balances.ok()) return balances.error();
  // A drill, not a trade: the fill happened, so it settles even if it overdraws the account.
  auto after = settle(inst, *balances, o.side, qty, price, *fee);
  if (!after) return store_->error(ErrorCode::kOverflow, "inject_fill on '" + id.str() + "': balances overflow");
  PaperExchangeProgress next = progress_;
  const VenueFill fill{next.next_trade_id++, o.client_order_id, inst.id, o.side, qty, price, *fee, stored.resting, t};
  o.filled += qty;
  o.status = o.filled == o.qty ? VenueOrderStatus::kFilled : VenueOrderStatus::kPartiallyFilled;
  Status s = store_->insert_fill(fill);
  if (s.ok()) s = store_->update_order(stored);
  if (s.ok()) s = store_->write_balances(*after);
  if (s.ok()) s = store_->write_progress(next);
  if (s.ok()) s = tx->commit();
  if (!s.ok()) return s.error();
  progress_ = next;
  return fill;
}

Result<VenueOrder> PaperExchange::inject_order(const NewOrder& order, Timestamp t) {
  if (const char* why = rejection_reason(order))
    return store_->error(ErrorCode::kInvalidArgument,
                         "inject_order '" + order.client_order_id.str() + "': " + std::string(why));
  return store_new_order(order, t, false);
}

Status PaperExchange::adjust_balance(Money cash_delta, Qty base_delta) {
  auto tx = store_->begin();
  if (!tx.ok()) return tx.error();
  auto balances = store_->read_balances();
  if (!balances.ok()) return balances.error();
  auto cash = checked_add(balances->cash.raw, cash_delta.raw);
  auto base = checked_add(balances->base.raw, base_delta.raw);
  if (!cash.ok() || !base.ok()) return store_->error(ErrorCode::kOverflow, "adjust_balance: balances overflow");
  Status s = store_->write_balances(VenueBalances{Money::from_raw(*cash), Qty::from_raw(*base)});
  if (s.ok()) s = tx->commit();
  return s;
}

}  // namespace cst
