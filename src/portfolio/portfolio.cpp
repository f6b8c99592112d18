#include "cst/portfolio/portfolio.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>

namespace cst {
namespace {

// Signed value of qty at price: the instrument's notional with the sign of qty.
Result<Money> signed_value(const Instrument& inst, Price price, Qty qty) {
  if (qty.raw == INT64_MIN)
    return make_error(ErrorCode::kOverflow, inst.symbol + ": position quantity at int64 minimum");
  auto n = inst.notional(price, Qty::from_raw(abs64(qty.raw)));
  if (!n.ok()) return n.error();
  return qty.raw < 0 ? -*n : *n;
}

// The raw result of checked int64 arithmetic as a T, or an overflow error naming the quantity.
template <class T>
Result<T> checked(bool overflowed, std::int64_t raw, const char* what) {
  if (overflowed) return make_error(ErrorCode::kOverflow, std::string(what) + " would exceed int64");
  return T::from_raw(raw);
}

// a + b and a - b for Qty and Money, or an overflow error naming the quantity.
template <class T>
Result<T> sum(T a, T b, const char* what) {
  std::int64_t out = 0;
  const bool overflowed = __builtin_add_overflow(a.raw, b.raw, &out);
  return checked<T>(overflowed, out, what);
}
template <class T>
Result<T> difference(T a, T b, const char* what) {
  std::int64_t out = 0;
  const bool overflowed = __builtin_sub_overflow(a.raw, b.raw, &out);
  return checked<T>(overflowed, out, what);
}

// Applies a trade of `qty` (positive) on side `sign` with unsigned notional `notional` to the
// position's qty and cost with average-cost accounting; returns the PnL it realizes (before
// fees). On error `pos` may be partly changed: callers pass a copy.
Result<Money> trade_into(Position& pos, int sign, Qty qty, Money notional) {
  const bool reduces = pos.qty.raw != 0 && ((pos.qty.raw > 0) != (sign > 0));
  if (!reduces) {
    auto new_qty = sum(pos.qty, Qty::from_raw(sign * qty.raw), "position quantity");
    auto new_cost = sum(pos.cost, sign > 0 ? notional : -notional, "position cost");
    if (!new_qty.ok()) return new_qty.error();
    if (!new_cost.ok()) return new_cost.error();
    pos.qty = *new_qty;
    pos.cost = *new_cost;
    return Money{};
  }
  const std::int64_t close_raw = std::min(abs64(pos.qty.raw), qty.raw);
  // Cost released pro rata; exit notional of the closing part pro rata of the fill. Neither can
  // overflow (each is at most the value it is a part of), nor can the updates below: they move
  // qty and cost toward zero, and a flip opens the rest from a flat position.
  auto released = mul_div(pos.cost.raw, close_raw, abs64(pos.qty.raw), Rounding::kHalfEven);
  auto exit_part = mul_div(notional.raw, close_raw, qty.raw, Rounding::kHalfEven);
  if (!released.ok() || !exit_part.ok()) return make_error(ErrorCode::kOverflow, "position arithmetic overflow");
  const Money signed_exit = Money::from_raw(sign * *exit_part);
  // A long closed by a sell realizes exit - released; a short closed by a buy released - exit
  // (released is negative for a short).
  auto realized = difference(Money{} - signed_exit, Money::from_raw(*released), "realized pnl");
  if (!realized.ok()) return realized.error();
  pos.cost -= Money::from_raw(*released);
  pos.qty += Qty::from_raw(sign * close_raw);
  const std::int64_t open_raw = qty.raw - close_raw;  // a flip opens the rest
  if (open_raw > 0) {
    const Money open_value = notional - Money::from_raw(*exit_part);
    pos.qty += Qty::from_raw(sign * open_raw);
    pos.cost += sign > 0 ? open_value : -open_value;
  }
  return *realized;
}

}  // namespace

Portfolio::Portfolio(Money starting_cash)
    : starting_cash_(starting_cash),
      cash_(starting_cash),
      start_of_day_equity_(starting_cash),
      equity_peak_(starting_cash) {}

Status Portfolio::add_instrument(const Instrument& instrument) {
  Status valid = instrument.validate();
  if (!valid.ok()) return valid;
  const std::size_t index = instrument.id.value;
  if (index >= 4096) return make_error(ErrorCode::kInvalidArgument, "instrument id must be below 4096");
  if (index >= instruments_.size()) {
    instruments_.resize(index + 1);
    positions_.resize(index + 1);
    registered_.resize(index + 1, false);
  }
  if (registered_[index])
    return make_error(ErrorCode::kDuplicate, "instrument " + instrument.symbol + " registered twice");
  instruments_[index] = instrument;
  registered_[index] = true;
  return Status::Ok();
}

bool Portfolio::has_instrument(InstrumentId id) const { return id.value < registered_.size() && registered_[id.value]; }

Result<FillEffect> Portfolio::apply_fill(const Fill& fill) {
  if (!has_instrument(fill.instrument)) return make_error(ErrorCode::kNotFound, "fill for an unknown instrument");
  if (fill.qty.raw <= 0 || fill.price.raw <= 0)
    return make_error(ErrorCode::kInvalidArgument, "fill quantity and price must be positive");
  const Instrument& inst = instruments_[fill.instrument.value];
  // Everything is computed on copies and committed at the end, so an error (overflow) leaves
  // the portfolio exactly as it was.
  Position pos = positions_[fill.instrument.value];
  const Qty position_before = pos.qty;

  auto fill_notional = inst.notional(fill.price, fill.qty);
  if (!fill_notional.ok()) return fill_notional.error();
  const int sign = side_sign(fill.side);
  const Money signed_notional = sign > 0 ? *fill_notional : -*fill_notional;

  auto realized = trade_into(pos, sign, fill.qty, *fill_notional);
  if (!realized.ok()) return realized.error();
  auto realized_total = sum(pos.realized_pnl, *realized, "realized pnl");
  auto position_fees = sum(pos.fees, fill.fee, "position fees");
  if (!realized_total.ok()) return realized_total.error();
  if (!position_fees.ok()) return position_fees.error();
  pos.realized_pnl = *realized_total;
  pos.fees = *position_fees;

  const Money old_value = pos.market_value;
  const Price mark_price = pos.mark.raw > 0 ? pos.mark : fill.price;
  auto new_value = signed_value(inst, mark_price, pos.qty);
  if (!new_value.ok()) return new_value.error();
  pos.mark = mark_price;
  pos.market_value = *new_value;

  auto cash = difference(cash_, signed_notional, "cash");
  if (!cash.ok()) return cash.error();
  cash = difference(*cash, fill.fee, "cash");
  auto fees = sum(fees_, fill.fee, "fees");
  auto value_change = difference(pos.market_value, old_value, "market value");
  if (!cash.ok()) return cash.error();
  if (!fees.ok()) return fees.error();
  if (!value_change.ok()) return value_change.error();
  auto market_value = sum(market_value_, *value_change, "market value");
  if (!market_value.ok()) return market_value.error();
  auto equity = sum(*cash, *market_value, "equity");
  if (!equity.ok()) return equity.error();

  cash_ = *cash;
  fees_ = *fees;
  market_value_ = *market_value;
  positions_[fill.instrument.value] = pos;
  update_peak();
  return FillEffect{*realized, position_before, pos.qty};
}

Status Portfolio::mark(InstrumentId id, Price price) {
  if (!has_instrument(id)) return make_error(ErrorCode::kNotFound, "mark for an unknown instrument");
  if (price.raw <= 0) return make_error(ErrorCode::kInvalidArgument, "mark price must be positive");
  Position& pos = positions_[id.value];
  auto value = signed_value(instruments_[id.value], price, pos.qty);
  if (!value.ok()) return value.error();
  auto change = difference(*value, pos.market_value, "market value");
  if (!change.ok()) return change.error();
  auto market_value = sum(market_value_, *change, "market value");
  if (!market_value.ok()) return market_value.error();
  auto equity = sum(cash_, *market_value, "equity");
  if (!equity.ok()) return equity.error();
  pos.mark = price;
  pos.market_value = *value;
  market_value_ = *market_value;
  update_peak();
  return Status::Ok();
}

void Portfolio::start_day(Timestamp t) {
  day_ = utc_day(t);
  start_of_day_equity_ = equity();
}

PortfolioSnapshot Portfolio::snapshot() const {
  PortfolioSnapshot s{starting_cash_, cash_, fees_, start_of_day_equity_, equity_peak_, day_, {}};
  for (std::size_t i = 0; i < positions_.size(); ++i)
    if (registered_[i]) s.positions.push_back({InstrumentId{static_cast<std::uint32_t>(i)}, positions_[i]});
  return s;
}

Status Portfolio::restore(const PortfolioSnapshot& snapshot) {
  std::vector<Position> positions(positions_.size());
  Money market_value{};
  for (const auto& h : snapshot.positions) {
    if (!has_instrument(h.instrument))
      return make_error(ErrorCode::kNotFound, "snapshot holds instrument " + std::to_string(h.instrument.value) +
                                                  ", which is not registered");
    Position pos = h.position;
    if (pos.qty.raw != 0 && pos.mark.raw <= 0)
      return make_error(ErrorCode::kInvalidArgument,
                        instruments_[h.instrument.value].symbol + ": a position without a mark price");
    auto value =
        pos.mark.raw > 0 ? signed_value(instruments_[h.instrument.value], pos.mark, pos.qty) : Result<Money>(Money{});
    if (!value.ok()) return value.error();
    pos.market_value = *value;
    auto total = sum(market_value, *value, "market value");
    if (!total.ok()) return total.error();
    market_value = *total;
    positions[h.instrument.value] = pos;
  }
  auto equity = sum(snapshot.cash, market_value, "equity");
  if (!equity.ok()) return equity.error();
  starting_cash_ = snapshot.starting_cash;
  cash_ = snapshot.cash;
  fees_ = snapshot.fees;
  start_of_day_equity_ = snapshot.start_of_day_equity;
  equity_peak_ = snapshot.equity_peak;
  day_ = snapshot.day;
  market_value_ = market_value;
  positions_ = std::move(positions);
  update_peak();
  return Status::Ok();
}

void Portfolio::update_peak() {
  const Money e = equity();
  if (e > equity_peak_) equity_peak_ = e;
}

Money Portfolio::realized_pnl() const {
  Money total{};
  for (const auto& p : positions_) total += p.realized_pnl;
  return total;
}

Money Portfolio::unrealized_pnl() const {
  Money total{};
  for (const auto& p : positions_) total += p.unrealized_pnl();
  return total;
}

Money Portfolio::gross_exposure() const {
  Money total{};
  for (const auto& p : positions_) total += Money::from_raw(abs64(p.market_value.raw));
  return total;
}

}  // namespace cst
