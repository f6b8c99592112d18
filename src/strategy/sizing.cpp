#include "cst/strategy/sizing.hpp"

#include <string>

namespace cst {

Result<Sizing> Sizing::parse(std::string_view text) {
  Sizing s;
  s.text = std::string(text);
  if (!text.empty() && text.back() == '%') {
    auto bp = parse_decimal(text.substr(0, text.size() - 1), 2);
    if (!bp.ok() || *bp <= 0 || *bp > 100'000)
      return make_error(ErrorCode::kInvalidArgument, "size '" + s.text + "': percent must be in (0, 1000]");
    s.kind = Kind::kPercentOfEquity;
    s.percent_bp = *bp;
    return s;
  }
  auto probe = parse_decimal(text, 12);
  if (!probe.ok() || *probe <= 0)
    return make_error(ErrorCode::kInvalidArgument, "size '" + s.text + "' must be a positive quantity or a percent like 10%");
  s.kind = Kind::kFixedQty;
  return s;
}

Result<Qty> Sizing::quantity(const Instrument& instrument, Money equity, Price price) const {
  if (kind == Kind::kFixedQty) {
    auto q = instrument.parse_qty(text);
    if (!q.ok()) return make_error(ErrorCode::kInvalidArgument, "size '" + text + "': " + q.error().message);
    if (!instrument.on_lot(*q))
      return make_error(ErrorCode::kInvalidArgument, "size '" + text + "' is not a multiple of the lot step " +
                                                         instrument.format(instrument.lot_step));
    return *q;
  }
  const std::int64_t fee = std::max(instrument.taker_fee.ppm, std::int64_t{0});
  auto budget = mul_div(equity.raw, percent_bp * 100, 1'000'000 + fee, Rounding::kDown);
  if (!budget.ok()) return budget.error();
  return instrument.qty_for_notional(Money::from_raw(*budget), price);
}

}  // namespace cst
