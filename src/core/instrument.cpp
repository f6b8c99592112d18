#include "cst/core/instrument.hpp"

namespace cst {
namespace {

// a * b * 10^-shift, rounded half-to-even; kOverflow past int64.
Result<std::int64_t> scale_product(std::int64_t a, std::int64_t b, int shift) {
  if (shift >= 0) return mul_div(a, b, pow10(shift), Rounding::kHalfEven);
  // Exact; scale up in two checked steps, since b * 10^-shift alone may leave int64. If a * b
  // does not fit, the larger scaled product cannot fit either.
  auto product = mul_div(a, b, 1, Rounding::kTowardZero);
  if (!product.ok()) return product;
  return mul_div(*product, pow10(-shift), 1, Rounding::kTowardZero);
}

// floor(budget * 10^shift / price) for budget >= 0, price > 0; kOverflow past int64.
Result<std::int64_t> floor_quotient(std::int64_t budget, std::int64_t price, int shift) {
  if (shift >= 0) return mul_div(budget, pow10(shift), price, Rounding::kDown);
  // price * 10^-shift may leave int64; for positive integers floor(floor(b / 10^k) / p) equals
  // floor(b / (10^k * p)), so divide in two steps.
  auto scaled = mul_div(budget, 1, pow10(-shift), Rounding::kDown);
  if (!scaled.ok()) return scaled;
  return mul_div(*scaled, 1, price, Rounding::kDown);
}

}  // namespace

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
  auto raw = scale_product(price.raw, qty.raw, shift);
  if (!raw.ok()) return make_error(ErrorCode::kOverflow, symbol + ": notional of price*qty exceeds int64");
  return Money::from_raw(*raw);
}

Result<Money> Instrument::fee(Money notional_value, FeeRate rate) const {
  // Fee on |notional|: flip the divisor's sign rather than negate the notional (which would
  // overflow for INT64_MIN). Rounding up (toward +infinity) also keeps a rebate (negative rate)
  // from being overstated: we never book more rebate than the exact amount.
  const std::int64_t per_million = notional_value.raw < 0 ? -1'000'000 : 1'000'000;
  auto raw = mul_div(notional_value.raw, rate.ppm, per_million, Rounding::kUp);
  if (!raw.ok()) return make_error(ErrorCode::kOverflow, symbol + ": fee exceeds int64");
  return Money::from_raw(*raw);
}

Result<Qty> Instrument::qty_for_notional(Money budget, Price price) const {
  if (price.raw <= 0) return make_error(ErrorCode::kInvalidArgument, symbol + ": price must be positive");
  if (budget.raw <= 0) return Qty{};
  // qty_raw = budget_raw * 10^(pd+qd-md) / price_raw, rounded down, then down to the lot.
  const int shift = price_decimals + qty_decimals - kMoneyDecimals;
  auto raw = floor_quotient(budget.raw, price.raw, shift);
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
