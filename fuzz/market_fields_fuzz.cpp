// Fuzzes the hot-path field scanners of src/market (decimal_field.hpp, time_field.hpp), which
// read every number and time of a CSV file, and the time text the system writes. Properties:
//   1. scan_decimal never reads past the end and stops inside the text; the prefix it consumed,
//      scanned alone, gives the same DecimalText; decimals_needed is the number of fraction
//      digits up to the last non-zero one;
//   2. the CSV reader and everything else read a number the same way: for a whole plain
//      decimal, decimal_to_raw (half-to-even) equals parse_decimal (fixed_point.cpp) at every
//      scale, both refuse when it does not fit int64 (except -2^63, which only parse_decimal
//      takes), and without rounding decimal_to_raw refuses exactly the texts that need more
//      decimals than the scale;
//   3. scan_utc_time never reads past the end; a time it accepts formats (format_iso8601) to
//      text it reads back to the same nanosecond; every int64 nanosecond count formats to text
//      that reads back to itself (the header promises every instant of int64 nanoseconds), and
//      a date alone is midnight of the day of the full time.
// Input: first byte = target scale (mod 19), the rest = the field's text; the last 8 bytes
// are also a nanosecond count for 3.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>

#include "cst/core/fixed_point.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/market/decimal_field.hpp"
#include "cst/market/time_field.hpp"

namespace {

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

bool same(const cst::DecimalText& a, const cst::DecimalText& b) {
  return a.mantissa == b.mantissa && a.scale == b.scale && a.exact_decimals == b.exact_decimals &&
         a.negative == b.negative && a.first_dropped == b.first_dropped &&
         a.dropped_tail_nonzero == b.dropped_tail_nonzero;
}

// Fraction digits up to the last non-zero one in [p, end) (a number scan_decimal accepted).
int fraction_digits_needed(const char* p, const char* end) {
  while (p != end && *p != '.') ++p;
  if (p == end) return 0;
  int n = 0, needed = 0;
  for (++p; p != end; ++p) {
    ++n;
    if (*p != '0') needed = n;
  }
  return needed;
}

void check_decimal(std::string_view text, int scale) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  cst::DecimalText d;
  cst::DecimalScan status = cst::DecimalScan::kNoDigits;
  const char* stop = cst::scan_decimal(begin, end, d, status);
  if (stop < begin || stop > end) std::abort();
  cst::DecimalText again;
  cst::DecimalScan status_again = cst::DecimalScan::kNoDigits;
  if (cst::scan_decimal(begin, stop, again, status_again) != stop || status_again != status) std::abort();
  if (status == cst::DecimalScan::kTooLarge) {
    // Too large: parse_decimal refuses the same number (as too large, at any scale).
    if (stop == end && cst::parse_decimal(text, scale).ok()) std::abort();
    return;
  }
  if (!same(d, again)) std::abort();
  if (status != cst::DecimalScan::kOk) return;
  if (cst::decimals_needed(d) != fraction_digits_needed(begin, stop)) std::abort();
  if (d.negative != (*begin == '-')) std::abort();
  if (stop != end) return;  // the caller decides about the stop character; compare whole numbers only

  std::int64_t raw = 0;
  const cst::DecimalFit fit = cst::decimal_to_raw(d, scale, true, raw);
  const auto parsed = cst::parse_decimal(text, scale);
  if (fit == cst::DecimalFit::kOk) {
    if (!parsed.ok() || *parsed != raw) std::abort();
  } else if (fit == cst::DecimalFit::kOverflow) {
    if (parsed.ok() && *parsed != kMin) std::abort();
  } else {
    std::abort();  // rounding was allowed
  }
  if (parsed.ok() && *parsed != kMin && fit != cst::DecimalFit::kOk) std::abort();

  std::int64_t exact_raw = 0;
  const cst::DecimalFit exact = cst::decimal_to_raw(d, scale, false, exact_raw);
  if (cst::decimals_needed(d) > scale) {
    if (exact != cst::DecimalFit::kTooPrecise) std::abort();
  } else if (exact != fit || (exact == cst::DecimalFit::kOk && exact_raw != raw)) {
    std::abort();
  }
}

// format_iso8601(t) must read back as t, consuming the whole text.
void check_time_round_trip(std::int64_t ns) {
  const std::string text = cst::format_iso8601(cst::Timestamp{ns});
  if (text.size() != 30) std::abort();  // "2024-01-31T12:00:00.000000000Z"
  std::int64_t back = 0;
  cst::TimeScan status = cst::TimeScan::kNoDigits;
  const char* end = text.data() + text.size();
  if (cst::scan_utc_time(text.data(), end, back, status) != end || status != cst::TimeScan::kOk || back != ns)
    std::abort();
  // The date alone is midnight of the same day.
  std::int64_t day = 0;
  if (cst::scan_utc_time(text.data(), text.data() + 10, day, status) != text.data() + 10) std::abort();
  if (status == cst::TimeScan::kOk) {
    if (day > ns || ns - day >= 86'400'000'000'000LL) std::abort();
  } else if (status != cst::TimeScan::kOutOfRange) {
    std::abort();  // only midnight of 1677-09-21 is before int64 nanoseconds
  }
}

void check_time(std::string_view text) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  std::int64_t ns = 0;
  cst::TimeScan status = cst::TimeScan::kNoDigits;
  const char* stop = cst::scan_utc_time(begin, end, ns, status);
  if (stop < begin || stop > end) std::abort();
  if (status == cst::TimeScan::kOk) {
    if (stop == begin) std::abort();
    check_time_round_trip(ns);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // A view of libFuzzer's buffer, which ends exactly at the input: ASan catches a read past it.
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const int scale = data[0] % (cst::kMaxDecimals + 1);
  check_decimal(text, scale);
  check_time(text);
  FuzzedDataProvider in(data, size);
  check_time_round_trip(in.ConsumeIntegral<std::int64_t>());
  return 0;
}
