#include "cst/strategy/sizing.hpp"

#include <algorithm>
#include <string>

namespace cst {
namespace {

// Digits after the decimal point, not counting trailing zeros ("1.500" -> 1, "2" -> 0). A value
// with more than a unit can hold would be rounded by parse_decimal; sizes must not be.
int significant_decimals(std::string_view text) {
  const auto point = text.find('.');
  if (point == std::string_view::npos) return 0;
  std::string_view frac = text.substr(point + 1);
  while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
  return static_cast<int>(frac.size());
}

}  // namespace

Result<Sizing> Sizing::parse(std::string_view text) {
  Sizing s;
  s.text = std::string(text);
  if (!text.empty() && text.back() == '%') {
    const std::string_view number = text.substr(0, text.size() - 1);
    auto bp = parse_decimal(number, 2);
    if (!bp.ok() || *bp <= 0 || *bp > 100'000)
      return make_error(ErrorCode::kInvalidArgument, "size '" + s.text + "': percent must be in (0, 1000]");
    if (significant_decimals(number) > 2)
      return make_error(ErrorCode::kInvalidArgument, "size '" + s.text + "': percent has more than two decimals");
    s.kind = Kind::kPercentOfEquity;
    s.percent_bp = *bp;
    return s;
  }
  auto probe = parse_decimal(text, 12);
  if (!probe.ok() || *probe <= 0)
    return make_error(ErrorCode::kInvalidArgument,
                      "size '" + s.text + "' must be a positive quantity or a percent like 10%");
  s.kind = Kind::kFixedQty;
  return s;
}

Result<Qty> Sizing::quantity(const Instrument& instrument, Money equity, Price price) const {
  if (kind == Kind::kFixedQty) {
    auto q = instrument.parse_qty(text);
    if (!q.ok()) return make_error(ErrorCode::kInvalidArgument, "size '" + text + "': " + q.error().message);
    if (significant_decimals(text) > instrument.qty_decimals)
      return make_error(ErrorCode::kInvalidArgument, "size '" + text + "' has more decimals than " + instrument.symbol +
                                                         " quantities (" + std::to_string(instrument.qty_decimals) +
                                                         ")");
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
