// Exact decimal numbers out of delimited text, for readers on hot paths (no floating point).
//
// scan_decimal reads "[+|-]digits[.digits]" from a buffer that need not be NUL-terminated and
// stops at the first character that cannot continue the number; the caller decides whether
// that character is a valid end of field. The value is kept as written: an integer mantissa and
// a scale (value = mantissa / 10^scale) with trailing fraction zeros dropped, so `scale` is the
// fewest decimals that hold the value exactly. decimal_to_raw then places it on a fixed scale.
// Exponents ("1e5"), spaces, thousands separators and quotes are not numbers here.
#pragma once

#include <array>
#include <cstdint>

namespace cst {

namespace decimal_detail {
inline constexpr std::array<std::uint64_t, 20> kPow10 = {1ULL,
                                                         10ULL,
                                                         100ULL,
                                                         1000ULL,
                                                         10000ULL,
                                                         100000ULL,
                                                         1000000ULL,
                                                         10000000ULL,
                                                         100000000ULL,
                                                         1000000000ULL,
                                                         10000000000ULL,
                                                         100000000000ULL,
                                                         1000000000000ULL,
                                                         10000000000000ULL,
                                                         100000000000000ULL,
                                                         1000000000000000ULL,
                                                         10000000000000000ULL,
                                                         100000000000000000ULL,
                                                         1000000000000000000ULL,
                                                         10000000000000000000ULL};
}  // namespace decimal_detail

// A decimal as written. At most 19 significant digits are kept (they always fit a uint64);
// fraction digits beyond them are summarised for rounding by first_dropped/dropped_tail_nonzero.
struct DecimalText {
  std::uint64_t mantissa = 0;
  int scale = 0;                      // fraction digits up to the last kept non-zero one
  int exact_decimals = 0;             // fraction digits up to the last non-zero one, kept or not
  bool negative = false;              // a '-' sign was written (also for "-0")
  std::int8_t first_dropped = -1;     // first fraction digit past the kept ones, -1 if none
  bool dropped_tail_nonzero = false;  // any non-zero digit after first_dropped

  // True when mantissa / 10^scale is the whole value (nothing non-zero was dropped).
  bool exact() const { return first_dropped <= 0 && !dropped_tail_nonzero; }
};

enum class DecimalScan : std::uint8_t {
  kOk,
  kNoDigits,  // nothing, or only a sign and/or a point, before the stop character
  kTooLarge,  // more than 19 significant digits before the decimal point
};

enum class DecimalFit : std::uint8_t {
  kOk,
  kTooPrecise,  // needs more decimals than the target scale and rounding was not allowed
  kOverflow,    // does not fit int64 at the target scale
};

// Careful path for numbers with more than 19 digits in total; see scan_decimal.
const char* scan_decimal_long(const char* p, const char* end, DecimalText& out, DecimalScan& status);

// Reads a number starting at p (p <= end) and returns where it stopped.
inline const char* scan_decimal(const char* p, const char* end, DecimalText& out, DecimalScan& status) {
  const char* const start = p;
  bool negative = false;
  if (p != end && (*p == '-' || *p == '+')) {
    negative = *p == '-';
    ++p;
  }
  // Accumulate every digit; 19 digits cannot overflow a uint64, longer numbers are redone
  // carefully (the wrapped value here is then discarded).
  std::uint64_t m = 0;
  int digits = 0;
  unsigned d = 0;
  while (p != end && (d = static_cast<unsigned>(static_cast<unsigned char>(*p)) - '0') < 10) {
    m = m * 10 + d;
    ++digits;
    ++p;
  }
  std::uint64_t kept = m;  // mantissa up to the last non-zero fraction digit
  int scale = 0;
  if (p != end && *p == '.') {
    ++p;
    int frac = 0;
    while (p != end && (d = static_cast<unsigned>(static_cast<unsigned char>(*p)) - '0') < 10) {
      m = m * 10 + d;
      ++frac;
      ++p;
      if (d != 0) {
        kept = m;
        scale = frac;
      }
    }
    digits += frac;
  }
  if (digits > 19) return scan_decimal_long(start, end, out, status);
  out = DecimalText{};
  out.mantissa = kept;
  out.scale = scale;
  out.exact_decimals = scale;
  out.negative = negative;
  status = digits == 0 ? DecimalScan::kNoDigits : DecimalScan::kOk;
  return p;
}

// Careful path of decimal_to_raw: rounding, dropped digits, overflow.
DecimalFit decimal_to_raw_slow(const DecimalText& d, int target_scale, bool round_half_even, std::int64_t& raw);

// The value as an integer count of 10^-target_scale (0 <= target_scale <= 18). When the value
// needs more decimals, it is rounded half-to-even if round_half_even, else kTooPrecise.
inline DecimalFit decimal_to_raw(const DecimalText& d, int target_scale, bool round_half_even, std::int64_t& raw) {
  if (d.scale <= target_scale && d.first_dropped < 0) {
    std::uint64_t v = 0;
    if (!__builtin_mul_overflow(d.mantissa, decimal_detail::kPow10[static_cast<unsigned>(target_scale - d.scale)],
                                &v) &&
        v <= static_cast<std::uint64_t>(INT64_MAX)) {
      raw = d.negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
      return DecimalFit::kOk;
    }
    return DecimalFit::kOverflow;
  }
  return decimal_to_raw_slow(d, target_scale, round_half_even, raw);
}

// The fewest decimals that hold the value exactly.
inline int decimals_needed(const DecimalText& d) { return d.exact_decimals; }

}  // namespace cst
