#include "cst/portfolio/portfolio.hpp"

#include <cstdlib>

namespace cst {
namespace {

std::int64_t abs64(std::int64_t v) { return v < 0 ? -v : v; }

// Signed value of qty at price: the instrument's notional with the sign of qty.
Result<Money> signed_value(const Instrument& inst, Price price, Qty qty) {
  auto n = inst.notional(price, Qty::from_raw(abs64(qty.raw)));
  if (!n.ok()) return n.error();
  return qty.raw < 0 ? -*n : *n;
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
  if (registered_[index]) return make_error(ErrorCode::kDuplicate, "instrument " + instrument.symbol + " registered twice");
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
  Position pos = positions_[fill.instrument.value];
  const FillEffect before{Money{}, pos.qty, pos.qty};

  auto fill_notional = inst.notional(fill.price, fill.qty);
  if (!fill_notional.ok()) return fill_notional.error();
  const int sign = side_sign(fill.side);
  const Qty signed_fill = Qty::from_raw(sign * fill.qty.raw);

  Money realized{};
  const bool reduces = pos.qty.raw != 0 && ((pos.qty.raw > 0) != (signed_fill.raw > 0));
  if (!reduces) {
    pos.qty += signed_fill;
    pos.cost += sign > 0 ? *fill_notional : -*fill_notional;
  } else {
    const std::int64_t close_raw = std::min(abs64(pos.qty.raw), fill.qty.raw);
    // Cost released pro rata; exit notional of the closing part pro rata of the fill.
    auto released = mul_div(pos.cost.raw, close_raw, abs64(pos.qty.raw), Rounding::kHalfEven);
    auto exit_part = mul_div(fill_notional->raw, close_raw, fill.qty.raw, Rounding::kHalfEven);
    if (!released.ok() || !exit_part.ok()) return make_error(ErrorCode::kOverflow, "position arithmetic overflow");
    const Money signed_exit = Money::from_raw(sign * *exit_part);
    realized = -(signed_exit + Money::from_raw(*released));
    pos.cost -= Money::from_raw(*released);
    pos.qty += Qty::from_raw(sign * close_raw);
    const std::int64_t open_raw = fill.qty.raw - close_raw;  // a flip opens the rest
    if (open_raw > 0) {
      const Money open_value = *fill_notional - Money::from_raw(*exit_part);
      pos.qty += Qty::from_raw(sign * open_raw);
      pos.cost += sign > 0 ? open_value : -open_value;
    }
  }
  pos.realized_pnl += realized;
  pos.fees += fill.fee;

  const Money old_value = pos.market_value;
  const Price mark_price = pos.mark.raw > 0 ? pos.mark : fill.price;
  auto new_value = signed_value(inst, mark_price, pos.qty);
  if (!new_value.ok()) return new_value.error();
  pos.mark = mark_price;
  pos.market_value = *new_value;

  cash_ -= (sign > 0 ? *fill_notional : -*fill_notional);
  cash_ -= fill.fee;
  fees_ += fill.fee;
  market_value_ += pos.market_value - old_value;
  positions_[fill.instrument.value] = pos;
  update_peak();
  return FillEffect{realized, before.position_before, pos.qty};
}

Status Portfolio::mark(InstrumentId id, Price price) {
  if (!has_instrument(id)) return make_error(ErrorCode::kNotFound, "mark for an unknown instrument");
  Position& pos = positions_[id.value];
  pos.mark = price;
  if (pos.qty.raw != 0) {
    auto value = signed_value(instruments_[id.value], price, pos.qty);
    if (!value.ok()) return value.error();
    market_value_ += *value - pos.market_value;
    pos.market_value = *value;
  }
  update_peak();
  return Status::Ok();
}

void Portfolio::start_day(Timestamp t) {
  day_ = utc_day(t);
  start_of_day_equity_ = equity();
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
