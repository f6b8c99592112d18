#include "cst/venues/bar_matching.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include "cst/core/timestamp.hpp"

namespace cst {

Status check_fill_model(const FillModel& m) {
  constexpr std::int64_t kDayNs = 86'400'000'000'000;
  const auto bad = [](const std::string& what) {
    return make_error(ErrorCode::kInvalidArgument, "fill model: " + what);
  };
  if (m.slippage_bps < 0 || m.spread_bps < 0 || m.slippage_bps >= 10'000 || m.spread_bps >= 20'000 ||
      2 * m.slippage_bps + m.spread_bps >= 20'000)
    return bad("slippage " + std::to_string(m.slippage_bps) + " bps and spread " + std::to_string(m.spread_bps) +
               " bps must be >= 0 and cost less than the whole price (2 x slippage + spread < 20000 bps)");
  for (const auto& [name, share] : {std::pair{"partial fill probability", m.partial_probability},
                                    std::pair{"partial fill ratio", m.partial_ratio}}) {
    // Written so that NaN fails too: no comparison with NaN is true.
    if (!(share >= 0.0 && share <= 1.0)) {
      char text[32];
      const auto printed = std::to_chars(text, text + sizeof text, share);  // shortest: 5.5, nan, inf
      return bad(std::string(name) + " " + std::string(text, printed.ptr) + " must be a number in [0, 1]");
    }
  }
  if (m.latency.ns < 0 || m.latency.ns > kDayNs)
    return bad("latency " + std::to_string(m.latency.ns) + " ns must be 0 to 1 day");
  return Status::Ok();
}

std::optional<BarTrade> trade_on_bar(const MatchTerms& order, const Bar& bar, MatchPoint point,
                                     const Instrument& instrument, const FillModel& model) {
  const bool buy = order.side == Side::kBuy;
  const bool at_close = point == MatchPoint::kClose;
  if (order.type == OrderType::kMarket) {
    const Price reference = at_close ? bar.close : bar.open;
    return BarTrade{apply_costs(reference, order.side, model, instrument), false};
  }
  const Price limit = order.limit;
  if (at_close) {
    if (buy ? bar.close <= limit : bar.close >= limit) return BarTrade{bar.close, false};
    return std::nullopt;
  }
  // Gapped through at the open: filled at the (better) open. Otherwise it must trade through;
  // a bar that only touches the limit leaves the order unfilled (queue position unknown).
  if (buy ? bar.open <= limit : bar.open >= limit) return BarTrade{bar.open, order.resting};
  if (buy ? bar.low < limit : bar.high > limit) return BarTrade{limit, order.resting};
  return std::nullopt;
}

Price apply_costs(Price reference, Side side, const FillModel& model, const Instrument& instrument) {
  const std::int64_t half_bps = model.slippage_bps * 2 + model.spread_bps;
  if (half_bps == 0) return reference;
  const bool buy = side == Side::kBuy;
  auto adjusted =
      mul_div(reference.raw, 20'000 + (buy ? half_bps : -half_bps), 20'000, buy ? Rounding::kUp : Rounding::kDown);
  const Price p = Price::from_raw(adjusted.ok() ? *adjusted : reference.raw);
  return buy ? instrument.round_up_to_tick(p) : instrument.round_down_to_tick(p);
}

Qty partial_quantity(Qty remaining, const FillModel& model, const Instrument& instrument, Rng& rng) {
  if (model.partial_probability <= 0.0 || !rng.bernoulli(model.partial_probability)) return remaining;
  // The share is a knob (a double); the result is put back on the lot grid, so the quantity
  // that reaches accounting is exact.
  const auto part = static_cast<std::int64_t>(static_cast<double>(remaining.raw) * model.partial_ratio);
  const Qty q = instrument.round_down_to_lot(Qty::from_raw(part));
  return q.raw > 0 ? q : std::min(remaining, instrument.lot_step);
}

Result<Money> fill_fee(const Instrument& instrument, Price price, Qty qty, bool maker) {
  auto notional = instrument.notional(price, qty);
  if (!notional.ok()) return notional.error();
  return instrument.fee(*notional, maker ? instrument.maker_fee : instrument.taker_fee);
}

bool can_settle(const Instrument& instrument, Side side, Qty qty, Price price, Money fee, Money cash, Qty held,
                bool allow_short) {
  if (side == Side::kBuy) {
    auto notional = instrument.notional(price, qty);
    return notional.ok() && *notional + fee <= cash;
  }
  return allow_short || held >= qty;
}

}  // namespace cst
