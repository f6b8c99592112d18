// Slow paths of decimal_field.hpp: numbers longer than 19 digits and rounding.
#include "cst/market/decimal_field.hpp"

#include <cstdint>

namespace cst {
namespace {

constexpr int kMaxSignificant = 19;

bool is_digit(char c) { return static_cast<unsigned>(static_cast<unsigned char>(c)) - '0' < 10; }

// Consumes the rest of a number whose integer part was too large, so the caller still sees
// the real stop character.
const char* skip_number_tail(const char* p, const char* end) {
  while (p != end && (is_digit(*p) || *p == '.')) ++p;
  return p;
}

}  // namespace

const char* scan_decimal_long(const char* p, const char* end, DecimalText& out, DecimalScan& status) {
  out = DecimalText{};
  if (p != end && (*p == '-' || *p == '+')) {
    out.negative = *p == '-';
    ++p;
  }
  std::uint64_t m = 0;
  int sig = 0;  // significant digits in m (leading zeros do not count)
  bool any_digit = false;
  for (; p != end && is_digit(*p); ++p) {
    any_digit = true;
    const auto d = static_cast<std::uint64_t>(*p - '0');
    if (m == 0 && d == 0) continue;
    if (sig == kMaxSignificant) {
      status = DecimalScan::kTooLarge;
      return skip_number_tail(p, end);
    }
    m = m * 10 + d;
    ++sig;
  }
  if (p != end && *p == '.') {
    ++p;
    int pending_zeros = 0;  // zeros that only count if a non-zero digit follows
    int position = 0;       // fraction digits read so far
    bool dropping = false;
    for (; p != end && is_digit(*p); ++p) {
      any_digit = true;
      const auto d = static_cast<std::uint64_t>(*p - '0');
      if (position < INT32_MAX) ++position;
      if (d != 0) out.exact_decimals = position;
      if (dropping) {
        if (out.first_dropped < 0) {
          out.first_dropped = static_cast<std::int8_t>(d);
        } else if (d != 0) {
          out.dropped_tail_nonzero = true;
        }
        continue;
      }
      if (d == 0) {
        ++pending_zeros;
        continue;
      }
      const int need = m == 0 ? 1 : sig + pending_zeros + 1;
      if (need <= kMaxSignificant) {
        // With m == 0 the zeros are leading zeros: any number of them, nothing to shift.
        m = m == 0 ? d : m * decimal_detail::kPow10[static_cast<unsigned>(pending_zeros)] * 10 + d;
        out.scale += pending_zeros + 1;
        sig = need;
        pending_zeros = 0;
        continue;
      }
      // Out of room: keep as many of the zeros as fit, so the dropped digits start right
      // after the kept ones, then summarise the rest for rounding.
      const int keep = kMaxSignificant - sig;
      m *= decimal_detail::kPow10[static_cast<unsigned>(keep)];
      out.scale += keep;
      pending_zeros -= keep;
      out.first_dropped = static_cast<std::int8_t>(pending_zeros > 0 ? 0 : d);
      out.dropped_tail_nonzero = pending_zeros > 0;
      dropping = true;
    }
  }
  out.mantissa = m;
  status = any_digit ? DecimalScan::kOk : DecimalScan::kNoDigits;
  return p;
}

DecimalFit decimal_to_raw_slow(const DecimalText& d, int target_scale, bool round_half_even, std::int64_t& raw) {
  if (d.exact_decimals > target_scale && !round_half_even) return DecimalFit::kTooPrecise;
  std::uint64_t magnitude = 0;
  if (d.scale <= target_scale) {
    if (__builtin_mul_overflow(d.mantissa, decimal_detail::kPow10[static_cast<unsigned>(target_scale - d.scale)],
                               &magnitude))
      return DecimalFit::kOverflow;
    if (d.scale == target_scale && d.first_dropped >= 0) {
      // The first dropped digit is the rounding digit.
      const bool up = d.first_dropped > 5 || (d.first_dropped == 5 && (d.dropped_tail_nonzero || magnitude % 2 != 0));
      if (up && __builtin_add_overflow(magnitude, 1, &magnitude)) return DecimalFit::kOverflow;
    } else if (d.scale < target_scale && !d.exact()) {
      // Only possible with 19 kept digits, so one more decimal already overflows int64.
      return DecimalFit::kOverflow;
    }
  } else {
    const int shift = d.scale - target_scale;
    if (shift > 19) {
      magnitude = 0;  // below half a unit: mantissa < 10^19 < 10^shift / 2
    } else {
      const std::uint64_t div = decimal_detail::kPow10[static_cast<unsigned>(shift)];
      const std::uint64_t rem = d.mantissa % div;
      const std::uint64_t half = div / 2;
      magnitude = d.mantissa / div;
      const bool beyond = !d.exact();  // non-zero digits after the remainder
      const bool up = rem > half || (rem == half && (beyond || magnitude % 2 != 0));
      if (up) ++magnitude;
    }
  }
  if (magnitude > static_cast<std::uint64_t>(INT64_MAX)) return DecimalFit::kOverflow;
  raw = d.negative ? -static_cast<std::int64_t>(magnitude) : static_cast<std::int64_t>(magnitude);
  return DecimalFit::kOk;
}

}  // namespace cst
