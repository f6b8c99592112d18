// Nanoseconds since the Unix epoch (UTC). Time comes from an injected clock, never from the
// system clock inside the engine, so runs are deterministic.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace cst {

struct Duration {
  std::int64_t ns = 0;
  constexpr auto operator<=>(const Duration&) const = default;
  static constexpr Duration from_ms(std::int64_t ms) { return Duration{ms * 1'000'000}; }
  static constexpr Duration from_seconds(std::int64_t s) { return Duration{s * 1'000'000'000}; }
};

struct Timestamp {
  std::int64_t ns = 0;
  constexpr auto operator<=>(const Timestamp&) const = default;
  constexpr Timestamp operator+(Duration d) const { return Timestamp{ns + d.ns}; }
  constexpr Duration operator-(Timestamp o) const { return Duration{ns - o.ns}; }
  static constexpr Timestamp from_seconds(std::int64_t s) { return Timestamp{s * 1'000'000'000}; }
};

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(int year, unsigned month, unsigned day);

// "2024-01-31T12:00:00.000000000Z"
std::string format_iso8601(Timestamp t);

// UTC day number of t, for day boundaries (start-of-day equity).
inline std::int64_t utc_day(Timestamp t) {
  constexpr std::int64_t kDay = 86'400'000'000'000;
  // Floor division without t.ns - kDay, which overflows near INT64_MIN.
  const std::int64_t q = t.ns / kDay;
  return (t.ns % kDay < 0) ? q - 1 : q;
}

}  // namespace cst
