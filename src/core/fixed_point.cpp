#include "cst/core/fixed_point.hpp"

#include <array>
#include <limits>

namespace cst {
namespace {

constexpr std::array<std::int64_t, 19> kPow10 = {1LL,
                                                 10LL,
                                                 100LL,
                                                 1000LL,
                                                 10000LL,
                                                 100000LL,
                                                 1000000LL,
                                                 10000000LL,
                                                 100000000LL,
                                                 1000000000LL,
                                                 10000000000LL,
                                                 100000000000LL,
                                                 1000000000000LL,
                                                 10000000000000LL,
                                                 100000000000000LL,
                                                 1000000000000000LL,
                                                 10000000000000000LL,
                                                 100000000000000000LL,
                                                 1000000000000000000LL};

bool fits_int64(int128 v) {
  return v >= std::numeric_limits<std::int64_t>::min() && v <= std::numeric_limits<std::int64_t>::max();
}

}  // namespace

int128 divide_rounded(int128 n, int128 d, Rounding rounding) {
  int128 q = n / d;
  int128 r = n % d;
  if (r == 0) return q;
  const bool negative = (n < 0);
  switch (rounding) {
    case Rounding::kTowardZero: return q;
    case Rounding::kDown: return negative ? q - 1 : q;
    case Rounding::kUp: return negative ? q : q + 1;
    case Rounding::kHalfEven: {
      int128 twice = (r < 0 ? -r : r) * 2;
      bool away = twice > d || (twice == d && (q % 2 != 0));
      if (!away) return q;
      return negative ? q - 1 : q + 1;
    }
  }
  return q;
}

std::int64_t pow10(int n) { return kPow10.at(static_cast<std::size_t>(n)); }

Result<std::int64_t> mul_div(std::int64_t a, std::int64_t b, std::int64_t d, Rounding rounding) {
  if (d == 0) return make_error(ErrorCode::kInvalidArgument, "division by zero");
  int128 n = static_cast<int128>(a) * b;
  int128 dd = d;
  if (dd < 0) {
    n = -n;
    dd = -dd;
  }
  int128 q = divide_rounded(n, dd, rounding);
  if (!fits_int64(q)) return make_error(ErrorCode::kOverflow, "fixed-point result exceeds int64");
  return static_cast<std::int64_t>(q);
}

Result<std::int64_t> checked_add(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) return make_error(ErrorCode::kOverflow, "fixed-point sum exceeds int64");
  return out;
}

Result<std::int64_t> parse_decimal(std::string_view text, int decimals) {
  if (decimals < 0 || decimals > kMaxDecimals) return make_error(ErrorCode::kInvalidArgument, "bad decimals");
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  // The magnitude may reach 2^63 for a negative number: INT64_MIN is a valid value.
  const int128 limit = static_cast<int128>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0);
  int128 value = 0;
  int frac_digits = 0;
  bool any_digit = false;
  bool seen_point = false;
  int first_dropped = -1;  // first digit beyond the scale, for rounding
  bool dropped_nonzero_tail = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (seen_point) return make_error(ErrorCode::kParse, "'" + std::string(text) + "' has two decimal points");
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return make_error(ErrorCode::kParse, "'" + std::string(text) + "' is not a number");
    any_digit = true;
    const int digit = c - '0';
    if (seen_point && frac_digits >= decimals) {
      if (first_dropped < 0) {
        first_dropped = digit;
      } else if (digit != 0) {
        dropped_nonzero_tail = true;
      }
      continue;
    }
    value = value * 10 + digit;
    if (value > limit) return make_error(ErrorCode::kOverflow, "'" + std::string(text) + "' is too large");
    if (seen_point) ++frac_digits;
  }
  if (!any_digit) return make_error(ErrorCode::kParse, "'" + std::string(text) + "' is not a number");
  for (; frac_digits < decimals; ++frac_digits) {
    value *= 10;
    if (value > limit) return make_error(ErrorCode::kOverflow, "'" + std::string(text) + "' is too large");
  }
  if (first_dropped > 5 || (first_dropped == 5 && (dropped_nonzero_tail || value % 2 != 0))) ++value;
  if (value > limit) return make_error(ErrorCode::kOverflow, "'" + std::string(text) + "' is too large");
  return static_cast<std::int64_t>(negative ? -value : value);  // -2^63 fits
}

std::string format_decimal(std::int64_t raw, int decimals, bool trim) {
  const bool negative = raw < 0;
  uint128 mag = negative ? static_cast<uint128>(-static_cast<int128>(raw)) : static_cast<uint128>(raw);
  const auto scale = static_cast<uint128>(pow10(decimals));
  auto int_part = static_cast<std::uint64_t>(mag / scale);
  auto frac_part = static_cast<std::uint64_t>(mag % scale);
  std::string out = negative ? "-" : "";
  out += std::to_string(int_part);
  if (decimals > 0) {
    std::string frac = std::to_string(frac_part);
    frac.insert(0, static_cast<std::size_t>(decimals) - frac.size(), '0');
    if (trim) {
      while (!frac.empty() && frac.back() == '0') frac.pop_back();
    }
    if (!frac.empty()) out += "." + frac;
  }
  return out;
}

Result<Money> parse_money(std::string_view text) {
  auto v = parse_decimal(text, kMoneyDecimals);
  if (!v.ok()) return v.error();
  return Money::from_raw(*v);
}

}  // namespace cst
