#include "cst/core/instrument.hpp"

namespace cst {

Status Instrument::validate() const {
  const std::string where = "instrument '" + symbol + "': ";
  if (symbol.empty()) return make_error(ErrorCode::kInvalidArgument, "instrument symbol is empty");
  if (price_decimals < 0 || price_decimals > 12)
    return make_error(ErrorCode::kInvalidArgument, where + "price_decimals must be within 0..12");
  if (qty_decimals < 0 || qty_decimals > 12)
    return make_error(ErrorCode::kInvalidArgument, where + "qty_decimals must be within 0..12");
  if (tick_size.raw <= 0) return make_error(ErrorCode::kInvalidArgument, where + "tick_size must be positive");
  if (lot_step.raw <= 0) return make_error(ErrorCode::kInvalidArgument, where + "lot_step must be positive");
  if (min_notional.raw < 0) return make_error(ErrorCode::kInvalidArgument, where + "min_notional must not be negative");
  return Status::Ok();
}

Result<Money> Instrument::notional(Price price, Qty qty) const {
  // price_raw * qty_raw is in units of 10^-(pd+qd); rescale to 10^-kMoneyDecimals.
  const int shift = price_decimals + qty_decimals - kMoneyDecimals;
  Result<std::int64_t> raw = shift >= 0 ? mul_div(price.raw, qty.raw, pow10(shift), Rounding::kHalfEven)
                                        : mul_div(price.raw, qty.raw * pow10(-shift), 1, Rounding::kHalfEven);
  if (!raw.ok()) return make_error(ErrorCode::kOverflow, symbol + ": notional of price*qty exceeds int64");
  return Money::from_raw(*raw);
}

Result<Money> Instrument::fee(Money notional_value, FeeRate rate) const {
  auto raw = mul_div(notional_value.raw < 0 ? -notional_value.raw : notional_value.raw, rate.ppm, 1'000'000,
                     Rounding::kUp);
  if (!raw.ok()) return make_error(ErrorCode::kOverflow, symbol + ": fee exceeds int64");
  return Money::from_raw(*raw);
}

Result<Qty> Instrument::qty_for_notional(Money budget, Price price) const {
  if (price.raw <= 0) return make_error(ErrorCode::kInvalidArgument, symbol + ": price must be positive");
  if (budget.raw <= 0) return Qty{};
  // qty_raw = budget_raw * 10^(pd+qd-md) / price_raw, rounded down, then down to the lot.
  const int shift = price_decimals + qty_decimals - kMoneyDecimals;
  Result<std::int64_t> raw = shift >= 0 ? mul_div(budget.raw, pow10(shift), price.raw, Rounding::kDown)
                                        : mul_div(budget.raw, 1, price.raw * pow10(-shift), Rounding::kDown);
  if (!raw.ok()) return make_error(ErrorCode::kOverflow, symbol + ": quantity for budget exceeds int64");
  return round_down_to_lot(Qty::from_raw(*raw));
}

Result<Price> Instrument::parse_price(std::string_view text) const {
  auto v = parse_decimal(text, price_decimals);
  if (!v.ok()) return v.error();
  return Price::from_raw(*v);
}

Result<Qty> Instrument::parse_qty(std::string_view text) const {
  auto v = parse_decimal(text, qty_decimals);
  if (!v.ok()) return v.error();
  return Qty::from_raw(*v);
}

}  // namespace cst
