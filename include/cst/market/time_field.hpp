// UTC timestamps out of delimited text, for readers on hot paths.
//
// Accepted forms (all UTC; no time zones other than a trailing 'Z'):
//   YYYY-MM-DD
//   YYYY-MM-DD HH:MM:SS[.f]    and    YYYY-MM-DDTHH:MM:SS[.f][Z]    (also ' ' with 'Z')
//     with 1 to 9 fraction digits
//   an unsigned integer count since the Unix epoch, its unit chosen by magnitude:
//     v < 10^11 seconds, v < 10^14 milliseconds, v < 10^17 microseconds, else nanoseconds.
//     Every instant from 1973-03-03 on (to the int64 nanosecond limit in 2262) therefore
//     reads the same whichever unit it was written in.
//     Seconds may carry a fraction of 1 to 9 digits ("1618678132.385815").
// scan_utc_time stops at the first character that cannot continue the timestamp; the caller
// decides whether that character is a valid end of field. The result must fit int64
// nanoseconds (years 1677 to 2262).
#pragma once

#include <cstdint>

namespace cst {

// Magnitude thresholds for integer epoch timestamps (see above).
inline constexpr std::uint64_t kEpochSecondsBelow = 100'000'000'000ULL;         // 1e11
inline constexpr std::uint64_t kEpochMillisBelow = 100'000'000'000'000ULL;      // 1e14
inline constexpr std::uint64_t kEpochMicrosBelow = 100'000'000'000'000'000ULL;  // 1e17

enum class TimeScan : std::uint8_t {
  kOk,
  kNoDigits,    // the field does not start like a timestamp at all
  kBadFormat,   // starts like one but breaks the accepted forms
  kBadDate,     // well-formed but not a calendar date/time (month 13, Feb 30, 24:00:00)
  kOutOfRange,  // outside int64 nanoseconds
};

// Reads a timestamp starting at p (p <= end); on kOk stores ns since the Unix epoch.
const char* scan_utc_time(const char* p, const char* end, std::int64_t& ns, TimeScan& status);

}  // namespace cst
