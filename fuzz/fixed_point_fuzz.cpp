// Fuzzes the fixed-point numbers of src/core/fixed_point.cpp, which read every amount a person
// types (--cash, fees in bps, config values, balance tolerances) and format every amount the
// system writes. Properties:
//   1. parse_decimal never crashes; a refusal quotes the text; an accepted value has the sign
//      written, and agrees with the same text read at its own exact scale: scaled up exactly
//      when asked for more decimals, rounded half-to-even (divide_rounded) when asked for fewer;
//      parse_money is parse_decimal at kMoneyDecimals;
//   2. format_decimal reads back: parse_decimal(format_decimal(x, d)) == x for every int64 and
//      scale, trimmed or not, and the text has exactly d decimals (untrimmed) or no trailing
//      zero (trimmed);
//   3. mul_div equals an independent 128-bit reference in all four roundings, and refuses
//      exactly when the result leaves int64; checked_add likewise.
// Input: first byte = scale (mod 19), the rest = the text; the last bytes also give the
// integers of 2 and 3 (FuzzedDataProvider takes them from the end).
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>

#include "cst/core/fixed_point.hpp"

namespace {

using cst::int128;
using cst::Rounding;

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

bool fits(int128 v) { return v >= kMin && v <= kMax; }

// The number of fraction digits up to the last non-zero one, if `text` is a plain decimal
// ([+-]digits[.digits], a digit somewhere); -1 otherwise.
int exact_scale(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  bool any = false, point = false;
  int frac = 0, exact = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (point) return -1;
      point = true;
    } else if (c >= '0' && c <= '9') {
      any = true;
      if (point) {
        ++frac;
        if (c != '0') exact = frac;
      }
    } else {
      return -1;
    }
  }
  return any ? exact : -1;
}

void check_parse(std::string_view text, int decimals) {
  const auto r = cst::parse_decimal(text, decimals);
  const auto money = cst::parse_money(text);
  const auto at8 = cst::parse_decimal(text, cst::kMoneyDecimals);
  if (money.ok() != at8.ok() || (money.ok() && money->raw != *at8)) std::abort();
  if (!r.ok()) {
    // Every refusal of a text quotes it, so the person sees which value was wrong.
    if (r.error().message.find("'" + std::string(text) + "'") == std::string::npos) std::abort();
    if (exact_scale(text) >= 0 && r.error().code != cst::ErrorCode::kOverflow) std::abort();
    return;
  }
  const int exact = exact_scale(text);
  if (exact < 0) std::abort();  // accepted something that is not a plain decimal
  if (*r != 0 && (*r < 0) != (text[0] == '-')) std::abort();
  // The same text at its own exact scale, when that fits.
  if (exact > cst::kMaxDecimals) return;
  const auto e = cst::parse_decimal(text, exact);
  if (!e.ok()) {
    // Only a value that overflows at its exact scale but not at a smaller one.
    if (decimals >= exact || e.error().code != cst::ErrorCode::kOverflow) std::abort();
    return;
  }
  if (decimals >= exact) {
    const int128 scaled = static_cast<int128>(*e) * cst::pow10(decimals - exact);
    if (scaled != *r) std::abort();
  } else {
    const int128 rounded = cst::divide_rounded(*e, cst::pow10(exact - decimals), Rounding::kHalfEven);
    if (rounded != *r) std::abort();
  }
}

void check_format(std::int64_t raw, int decimals) {
  for (const bool trim : {false, true}) {
    const std::string text = cst::format_decimal(raw, decimals, trim);
    const auto back = cst::parse_decimal(text, decimals);
    if (!back.ok() || *back != raw) std::abort();
    const auto point = text.find('.');
    if (!trim) {
      if (decimals == 0 ? point != std::string::npos : text.size() - point - 1 != static_cast<std::size_t>(decimals))
        std::abort();
    } else if (point != std::string::npos && (text.back() == '0' || text.back() == '.')) {
      std::abort();
    }
  }
  const cst::Money m = cst::Money::from_raw(raw);
  const auto money = cst::parse_money(cst::to_string(m));
  if (!money.ok() || *money != m) std::abort();
}

// round(n / d) for d > 0, from the floor quotient and the remainder.
int128 reference_divide(int128 n, int128 d, Rounding rounding) {
  int128 q = n / d;
  if (n % d != 0 && n < 0) --q;  // floor
  const int128 rem = n - q * d;  // 0 <= rem < d
  if (rem == 0) return q;
  switch (rounding) {
    case Rounding::kDown: return q;
    case Rounding::kUp: return q + 1;
    case Rounding::kTowardZero: return n < 0 ? q + 1 : q;
    case Rounding::kHalfEven:
      if (rem * 2 != d) return rem * 2 > d ? q + 1 : q;
      return q % 2 == 0 ? q : q + 1;
  }
  std::abort();
}

void check_mul_div(std::int64_t a, std::int64_t b, std::int64_t d) {
  for (const Rounding rounding : {Rounding::kDown, Rounding::kUp, Rounding::kHalfEven, Rounding::kTowardZero}) {
    const auto r = cst::mul_div(a, b, d, rounding);
    if (d == 0) {
      if (r.ok()) std::abort();
      continue;
    }
    int128 n = static_cast<int128>(a) * b;
    int128 dd = d;
    if (dd < 0) {
      n = -n;
      dd = -dd;
    }
    const int128 want = reference_divide(n, dd, rounding);
    if (fits(want) != r.ok()) std::abort();
    if (r.ok() && *r != want) std::abort();
  }
  const auto sum = cst::checked_add(a, b);
  const int128 want = static_cast<int128>(a) + b;
  if (fits(want) != sum.ok() || (sum.ok() && *sum != want)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int decimals = data[0] % (cst::kMaxDecimals + 1);
  check_parse(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1), decimals);

  FuzzedDataProvider in(data, size);
  const auto a = in.ConsumeIntegral<std::int64_t>();
  const auto b = in.ConsumeIntegral<std::int64_t>();
  const auto d = in.ConsumeIntegral<std::int64_t>();
  check_format(a, decimals);
  check_format(b, cst::kMaxDecimals - decimals);
  check_mul_div(a, b, d);
  check_mul_div(a, b, d == 0 ? 1 : d % 1'000'000'000'000'000'000LL);  // often in range
  return 0;
}
