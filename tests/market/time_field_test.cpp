// Timestamp forms and the magnitude rule for epoch integers.
#include "cst/market/time_field.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string_view>

#include "cst/core/timestamp.hpp"

namespace cst {
namespace {

constexpr std::int64_t k2022 = 1'640'995'200;  // 2022-01-01T00:00:00Z in seconds

struct Scanned {
  std::int64_t ns = 0;
  TimeScan status = TimeScan::kOk;
  std::size_t consumed = 0;
};

Scanned scan(std::string_view s) {
  Scanned out;
  const char* stop = scan_utc_time(s.data(), s.data() + s.size(), out.ns, out.status);
  out.consumed = static_cast<std::size_t>(stop - s.data());
  return out;
}

std::int64_t ns_of(std::string_view s) {
  const Scanned sc = scan(s);
  EXPECT_EQ(sc.status, TimeScan::kOk) << s;
  EXPECT_EQ(sc.consumed, s.size()) << s;
  return sc.ns;
}

TEST(TimeField, IsoForms) {
  const std::int64_t base = k2022 * 1'000'000'000;
  EXPECT_EQ(ns_of("2022-01-01"), base);
  EXPECT_EQ(ns_of("2022-01-01 00:00:00"), base);
  EXPECT_EQ(ns_of("2022-01-01 00:01:00.000000"), base + 60'000'000'000);
  EXPECT_EQ(ns_of("2022-01-01T00:00:01Z"), base + 1'000'000'000);
  EXPECT_EQ(ns_of("2022-01-01T00:00:00.5Z"), base + 500'000'000);
  EXPECT_EQ(ns_of("2022-01-01 23:59:59.123456789"), base + 86'399'123'456'789);
  EXPECT_EQ(ns_of("2022-01-01T00:00:00.000000001"), base + 1);
  EXPECT_EQ(ns_of("2024-02-29"), Timestamp::from_seconds(1'709'164'800).ns);
  EXPECT_EQ(ns_of("1970-01-01"), 0);
}

TEST(TimeField, IsoStopsAtFieldEnd) {
  EXPECT_EQ(scan("2022-01-01 00:00:00.000000,46197.0").consumed, 26u);
  EXPECT_EQ(scan("2022-01-01\r\n").consumed, 10u);
}

TEST(TimeField, RejectsMalformedAndImpossibleDates) {
  EXPECT_EQ(scan("2022-13-01").status, TimeScan::kBadDate);
  EXPECT_EQ(scan("2023-02-29").status, TimeScan::kBadDate);
  EXPECT_EQ(scan("2022-01-01 24:00:00").status, TimeScan::kBadDate);
  EXPECT_EQ(scan("2022-01-01 00:60:00").status, TimeScan::kBadDate);
  EXPECT_EQ(scan("2022-01-00").status, TimeScan::kBadDate);
  EXPECT_EQ(scan("2022-1-01").status, TimeScan::kBadFormat);
  EXPECT_EQ(scan("2022-01-01 00:00").status, TimeScan::kBadFormat);
  EXPECT_EQ(scan("2022-01-01T00:00:00.").status, TimeScan::kBadFormat);
  EXPECT_EQ(scan("2022-01-01T00:00:00.1234567891").status, TimeScan::kBadFormat);  // 10 digits
  EXPECT_EQ(scan("abc").status, TimeScan::kNoDigits);
  EXPECT_EQ(scan("").status, TimeScan::kNoDigits);
  EXPECT_EQ(scan("-1").status, TimeScan::kNoDigits);
  EXPECT_EQ(scan("2300-01-01").status, TimeScan::kOutOfRange);
  EXPECT_EQ(scan("99999999999999999999").status, TimeScan::kOutOfRange);
}

TEST(TimeField, EpochUnitChosenByMagnitude) {
  const std::int64_t ns = k2022 * 1'000'000'000;
  EXPECT_EQ(ns_of("1640995200"), ns);
  EXPECT_EQ(ns_of("1640995200000"), ns);
  EXPECT_EQ(ns_of("1640995200000000"), ns);
  EXPECT_EQ(ns_of("1640995200000000000"), ns);
  EXPECT_EQ(ns_of("1640995200.25"), ns + 250'000'000);
}

TEST(TimeField, EpochThresholdsAtTheBoundaries) {
  // Just below each threshold the smaller unit applies (and is past 2262, so out of range);
  // at the threshold the next unit applies (1973-03-03).
  EXPECT_EQ(scan("99999999999").status, TimeScan::kOutOfRange);
  EXPECT_EQ(ns_of("100000000000"), 100'000'000'000LL * 1'000'000);
  EXPECT_EQ(scan("99999999999999").status, TimeScan::kOutOfRange);
  EXPECT_EQ(ns_of("100000000000000"), 100'000'000'000'000LL * 1'000);
  EXPECT_EQ(scan("99999999999999999").status, TimeScan::kOutOfRange);
  EXPECT_EQ(ns_of("100000000000000000"), 100'000'000'000'000'000LL);
  // The last representable second, millisecond and microsecond.
  EXPECT_EQ(ns_of("9223372036"), 9'223'372'036'000'000'000LL);
  EXPECT_EQ(ns_of("9223372036854"), 9'223'372'036'854'000'000LL);
  EXPECT_EQ(ns_of("9223372036854775"), 9'223'372'036'854'775'000LL);
  EXPECT_EQ(ns_of("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(scan("9223372036854775808").status, TimeScan::kOutOfRange);
  // A fraction is only meaningful on seconds.
  EXPECT_EQ(scan("1640995200000.5").consumed, 13u);
}

// Every int64 nanosecond count is a time: the first second of the range (which starts at
// 1677-09-21T00:12:43.145224192Z) reads too, though its whole seconds times 10^9 fall below
// INT64_MIN; format_iso8601 of any instant reads back. Found by fuzz/market_fields_fuzz.cpp.
TEST(TimeField, FirstSecondOfInt64NanosecondsReadsBack) {
  EXPECT_EQ(ns_of("1677-09-21T00:12:43.145224192Z"), INT64_MIN);
  EXPECT_EQ(ns_of("1677-09-21 00:12:43.145224193"), INT64_MIN + 1);
  EXPECT_EQ(ns_of("1677-09-21T00:12:43.999999999Z"), INT64_MIN + 854'775'807);
  EXPECT_EQ(ns_of("1677-09-21T00:12:44Z"), INT64_MIN + 854'775'808);
  EXPECT_EQ(scan("1677-09-21T00:12:43.145224191Z").status, TimeScan::kOutOfRange);
  EXPECT_EQ(scan("1677-09-21T00:12:43Z").status, TimeScan::kOutOfRange);
  for (const std::int64_t t :
       {INT64_MIN, INT64_MIN + 137'244'717, INT64_MIN + 854'775'807, std::int64_t{-1}, INT64_MAX}) {
    EXPECT_EQ(ns_of(format_iso8601(Timestamp{t})), t) << format_iso8601(Timestamp{t});
  }
}

}  // namespace
}  // namespace cst
