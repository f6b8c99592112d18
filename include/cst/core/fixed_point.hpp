// Fixed-point Price, Qty and Money: int64 counts of a power-of-ten unit.
//
// Price and Qty carry no scale of their own: their unit is set by the Instrument they belong
// to (price_decimals, qty_decimals), so a Price is only meaningful next to its Instrument.
// Money is always in units of 10^-kMoneyDecimals of the quote currency. The three are distinct
// types: adding a Price to a Qty does not compile. Conversions between them go through
// Instrument (notional, fee), which rounds explicitly and checks for overflow.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "cst/core/result.hpp"

namespace cst {

// 128-bit intermediates for exact products; __extension__ keeps -Wpedantic quiet, and it
// cannot prefix an alias declaration, hence typedef.
__extension__ typedef __int128 int128;            // NOLINT(modernize-use-using)
__extension__ typedef unsigned __int128 uint128;  // NOLINT(modernize-use-using)

inline constexpr int kMoneyDecimals = 8;
inline constexpr int kMaxDecimals = 18;

template <class Tag>
struct Fixed {
  std::int64_t raw = 0;

  static constexpr Fixed from_raw(std::int64_t r) { return Fixed{r}; }
  constexpr auto operator<=>(const Fixed&) const = default;
  constexpr Fixed operator+(Fixed o) const { return Fixed{raw + o.raw}; }
  constexpr Fixed operator-(Fixed o) const { return Fixed{raw - o.raw}; }
  constexpr Fixed operator-() const { return Fixed{-raw}; }
  constexpr Fixed& operator+=(Fixed o) {
    raw += o.raw;
    return *this;
  }
  constexpr Fixed& operator-=(Fixed o) {
    raw -= o.raw;
    return *this;
  }
  constexpr bool is_zero() const { return raw == 0; }
  constexpr bool is_positive() const { return raw > 0; }
  constexpr bool is_negative() const { return raw < 0; }
};

struct PriceTag {};
struct QtyTag {};
struct MoneyTag {};
using Price = Fixed<PriceTag>;
using Qty = Fixed<QtyTag>;
using Money = Fixed<MoneyTag>;

enum class Rounding : std::uint8_t { kDown, kUp, kHalfEven, kTowardZero };

// 10^n for 0 <= n <= 18.
std::int64_t pow10(int n);

// n / d (d > 0) rounded as asked, in 128 bits (no overflow check: callers narrow the result).
int128 divide_rounded(int128 n, int128 d, Rounding rounding);

// |v| for values that are never INT64_MIN (quantities, positions).
inline constexpr std::int64_t abs64(std::int64_t v) { return v < 0 ? -v : v; }

// a * b / d rounded as asked, computed in 128 bits; kOverflow if the result leaves int64.
Result<std::int64_t> mul_div(std::int64_t a, std::int64_t b, std::int64_t d, Rounding rounding);

// Parses a plain decimal ("-12.3400", "5", ".5") into an integer count of 10^-decimals.
// Digits beyond `decimals` are rounded half-to-even; exponents, spaces and junk are errors.
Result<std::int64_t> parse_decimal(std::string_view text, int decimals);

// Formats raw / 10^decimals with exactly `decimals` digits after the point, or with trailing
// zeros removed when trim is set ("1.5", "2").
std::string format_decimal(std::int64_t raw, int decimals, bool trim = true);

inline double to_double(std::int64_t raw, int decimals) {
  return static_cast<double>(raw) / static_cast<double>(pow10(decimals));
}
inline double to_double(Money m) { return to_double(m.raw, kMoneyDecimals); }
inline std::string to_string(Money m) { return format_decimal(m.raw, kMoneyDecimals); }

Result<Money> parse_money(std::string_view text);

// Checked int64 arithmetic for accumulators (cash, exposure) that must never wrap.
Result<std::int64_t> checked_add(std::int64_t a, std::int64_t b);

}  // namespace cst
