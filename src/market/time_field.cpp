// Timestamp scanning for time_field.hpp. The ISO form is read at fixed offsets, which is what
// makes the common "2022-01-01 00:00:00.000000" rows cheap.
#include "cst/market/time_field.hpp"

#include <cstdint>

#include "cst/core/timestamp.hpp"

namespace cst {
namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;

unsigned digit(char c) { return static_cast<unsigned>(static_cast<unsigned char>(c)) - '0'; }
bool is_digit(char c) { return digit(c) < 10; }

// Two digits at p (caller checked bounds); false if either is not a digit.
bool two_digits(const char* p, unsigned& v) {
  const unsigned a = digit(p[0]);
  const unsigned b = digit(p[1]);
  v = a * 10 + b;
  return (a < 10) & (b < 10);
}

bool is_leap(unsigned y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(unsigned y, unsigned m) {
  static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// 1 to 9 fraction digits after a '.', scaled to nanoseconds; anything else is kBadFormat.
const char* scan_fraction(const char* p, const char* end, std::int64_t& frac_ns, TimeScan& status) {
  std::int64_t v = 0;
  int n = 0;
  while (p != end && is_digit(*p)) {
    if (n == 9) {
      status = TimeScan::kBadFormat;
      return p;
    }
    v = v * 10 + digit(*p);
    ++n;
    ++p;
  }
  if (n == 0) {
    status = TimeScan::kBadFormat;
    return p;
  }
  static constexpr std::int64_t kScale[10] = {0,      100'000'000, 10'000'000, 1'000'000, 100'000,
                                              10'000, 1'000,       100,        10,        1};
  frac_ns = v * kScale[n];
  return p;
}

// seconds * 10^9 + frac_ns (0 <= frac_ns < 10^9). In the first second of int64 nanoseconds
// (from 1677-09-21T00:12:43.145224192Z) seconds * 10^9 is below INT64_MIN while the sum is not,
// so a negative second with a fraction is taken as (seconds + 1) * 10^9 - (10^9 - frac_ns).
bool seconds_to_ns(std::int64_t seconds, std::int64_t frac_ns, std::int64_t& ns) {
  if (seconds < 0 && frac_ns > 0) {
    ++seconds;
    frac_ns -= kNsPerSecond;
  }
  std::int64_t v = 0;
  return !__builtin_mul_overflow(seconds, kNsPerSecond, &v) && !__builtin_add_overflow(v, frac_ns, &ns);
}

// "YYYY-MM-DD[( |T)HH:MM:SS[.f][Z]]"; the caller saw "dddd-".
const char* scan_iso(const char* p, const char* end, std::int64_t& ns, TimeScan& status) {
  if (end - p < 10) {
    status = TimeScan::kBadFormat;
    return end;
  }
  unsigned y_hi = 0, y_lo = 0, mon = 0, day = 0;
  if (!two_digits(p, y_hi) || !two_digits(p + 2, y_lo) || p[4] != '-' || !two_digits(p + 5, mon) || p[7] != '-' ||
      !two_digits(p + 8, day)) {
    status = TimeScan::kBadFormat;
    return p + 10;
  }
  const unsigned year = y_hi * 100 + y_lo;
  if (mon < 1 || mon > 12 || day < 1 || day > days_in_month(year, mon)) {
    status = TimeScan::kBadDate;
    return p + 10;
  }
  std::int64_t seconds = days_from_civil(static_cast<int>(year), mon, day) * 86'400;
  std::int64_t frac_ns = 0;
  p += 10;
  if (p != end && (*p == ' ' || *p == 'T')) {
    ++p;
    unsigned hh = 0, mm = 0, ss = 0;
    if (end - p < 8 || !two_digits(p, hh) || p[2] != ':' || !two_digits(p + 3, mm) || p[5] != ':' ||
        !two_digits(p + 6, ss)) {
      status = TimeScan::kBadFormat;
      return end - p < 8 ? end : p + 8;
    }
    if (hh > 23 || mm > 59 || ss > 59) {
      status = TimeScan::kBadDate;
      return p + 8;
    }
    seconds += hh * 3600 + mm * 60 + ss;
    p += 8;
    if (p != end && *p == '.') {
      p = scan_fraction(p + 1, end, frac_ns, status);
      if (status != TimeScan::kOk) return p;
    }
    if (p != end && *p == 'Z') ++p;
  }
  if (!seconds_to_ns(seconds, frac_ns, ns)) status = TimeScan::kOutOfRange;
  return p;
}

// Unsigned epoch integer with its unit chosen by magnitude (see the header).
const char* scan_epoch(const char* p, const char* end, std::int64_t& ns, TimeScan& status) {
  std::uint64_t v = 0;
  int n = 0;
  for (; p != end && is_digit(*p); ++p, ++n) {
    if (n == 19) {  // 20 digits would exceed every int64 nanosecond count
      status = TimeScan::kOutOfRange;
      while (p != end && is_digit(*p)) ++p;
      return p;
    }
    v = v * 10 + digit(*p);
  }
  if (v < kEpochSecondsBelow) {
    std::int64_t frac_ns = 0;
    if (p != end && *p == '.') {
      p = scan_fraction(p + 1, end, frac_ns, status);
      if (status != TimeScan::kOk) return p;
    }
    if (!seconds_to_ns(static_cast<std::int64_t>(v), frac_ns, ns)) status = TimeScan::kOutOfRange;
    return p;
  }
  const std::uint64_t unit = v < kEpochMillisBelow ? 1'000'000 : v < kEpochMicrosBelow ? 1'000 : 1;
  std::uint64_t scaled = 0;
  if (__builtin_mul_overflow(v, unit, &scaled) || scaled > static_cast<std::uint64_t>(INT64_MAX)) {
    status = TimeScan::kOutOfRange;
    return p;
  }
  ns = static_cast<std::int64_t>(scaled);
  return p;
}

}  // namespace

const char* scan_utc_time(const char* p, const char* end, std::int64_t& ns, TimeScan& status) {
  status = TimeScan::kOk;
  if (p == end || !is_digit(*p)) {
    status = TimeScan::kNoDigits;
    return p;
  }
  if (end - p >= 5 && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3]) && p[4] == '-')
    return scan_iso(p, end, ns, status);
  return scan_epoch(p, end, ns, status);
}

}  // namespace cst
