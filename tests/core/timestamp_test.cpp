// Tests for civil-date arithmetic, ISO 8601 formatting and UTC day boundaries. Known dates were
// checked against Python's datetime (date.toordinal() - 719163 = days since 1970-01-01).
#include "cst/core/timestamp.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace cst {
namespace {

constexpr std::int64_t kNsPerSec = 1'000'000'000;
constexpr std::int64_t kNsPerDay = 86'400 * kNsPerSec;

TEST(Timestamp, DaysFromCivilKnownDates) {
  struct Case {
    int y;
    unsigned m, d;
    std::int64_t days;
  };
  const Case cases[] = {
      {1970, 1, 1, 0},         {1970, 1, 2, 1},     {1969, 12, 31, -1}, {2000, 1, 1, 10957},  // 946684800 s / 86400
      {2000, 2, 29, 11016},                                                                   // 10957 + 31 (Jan) + 28
      {2000, 3, 1, 11017},     {2024, 1, 1, 19723},                                           // 1704067200 s / 86400
      {1900, 1, 1, -25567},                                                                   // -2208988800 s / 86400
      {1600, 1, 1, -135140},   {1, 1, 1, -719162},  // Python ordinal 1 vs 719163
      {9999, 12, 31, 2932896},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(days_from_civil(c.y, c.m, c.d), c.days) << c.y << "-" << c.m << "-" << c.d;
  }
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Every calendar day from 1600 to 2400 is exactly one more than the previous one; this walks
// month lengths and leap years (1700/1800/1900/2100 are not leap, 1600/2000/2400 are).
TEST(Timestamp, DaysFromCivilIsContiguousAcrossLeapYears) {
  const unsigned kDaysIn[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  std::int64_t expected = days_from_civil(1600, 1, 1);
  for (int y = 1600; y <= 2400; ++y) {
    for (unsigned m = 1; m <= 12; ++m) {
      const unsigned len = kDaysIn[m - 1] + ((m == 2 && is_leap(y)) ? 1 : 0);
      for (unsigned d = 1; d <= len; ++d) {
        ASSERT_EQ(days_from_civil(y, m, d), expected) << y << "-" << m << "-" << d;
        ++expected;
      }
    }
  }
  EXPECT_EQ(days_from_civil(1900, 3, 1) - days_from_civil(1900, 2, 28), 1);  // 1900 not leap
  EXPECT_EQ(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28), 2);  // 2000 leap
}

TEST(Timestamp, FormatIso8601KnownInstants) {
  struct Case {
    std::int64_t ns;
    const char* text;
  };
  const Case cases[] = {
      {0, "1970-01-01T00:00:00.000000000Z"},
      {1'704'067'200 * kNsPerSec, "2024-01-01T00:00:00.000000000Z"},
      // 2000-02-29 is day 11016; 12:34:56 is 45296 s into it; plus 0.789 s.
      {(11016 * 86400 + 45296) * kNsPerSec + 789'000'000, "2000-02-29T12:34:56.789000000Z"},
      {1, "1970-01-01T00:00:00.000000001Z"},
      {kNsPerDay - 1, "1970-01-01T23:59:59.999999999Z"},
      // Before 1970: the fraction is still positive, the second and day go back.
      {-1, "1969-12-31T23:59:59.999999999Z"},
      {-kNsPerSec, "1969-12-31T23:59:59.000000000Z"},
      {-kNsPerSec - 1, "1969-12-31T23:59:58.999999999Z"},
      {-kNsPerDay, "1969-12-31T00:00:00.000000000Z"},
      {-kNsPerDay - 1, "1969-12-30T23:59:59.999999999Z"},
      {-2'208'988'800 * kNsPerSec, "1900-01-01T00:00:00.000000000Z"},
      // The int64 nanosecond range ends (Python: epoch + 2^63-1 ns, epoch - 2^63 ns).
      {std::numeric_limits<std::int64_t>::max(), "2262-04-11T23:47:16.854775807Z"},
      {std::numeric_limits<std::int64_t>::min(), "1677-09-21T00:12:43.145224192Z"},
  };
  for (const auto& c : cases) EXPECT_EQ(format_iso8601(Timestamp{c.ns}), c.text) << c.ns;
}

// utc_day is floor(ns / day): tested at, just below and just above each boundary.
TEST(Timestamp, UtcDayBoundaries) {
  struct Case {
    std::int64_t ns;
    std::int64_t day;
  };
  const Case cases[] = {
      {0, 0},
      {kNsPerDay - 1, 0},
      {kNsPerDay, 1},
      {kNsPerDay + 1, 1},
      {-1, -1},
      {-kNsPerDay + 1, -1},
      {-kNsPerDay, -1},
      {-kNsPerDay - 1, -2},
      {1'704'067'200 * kNsPerSec, 19723},
      {1'704'067'200 * kNsPerSec - 1, 19722},
      // floor(+-2^63 / 86400e9): 106751.99... and -106751.99...
      {std::numeric_limits<std::int64_t>::max(), 106751},
      {std::numeric_limits<std::int64_t>::min(), -106752},
  };
  for (const auto& c : cases) EXPECT_EQ(utc_day(Timestamp{c.ns}), c.day) << c.ns;
}

TEST(Timestamp, UtcDayMatchesDaysFromCivil) {
  for (int y : {1970, 1999, 2000, 2024, 2038}) {
    const std::int64_t day = days_from_civil(y, 7, 15);
    EXPECT_EQ(utc_day(Timestamp{day * kNsPerDay}), day);
    EXPECT_EQ(utc_day(Timestamp{day * kNsPerDay - 1}), day - 1);
  }
}

TEST(Timestamp, DurationArithmetic) {
  EXPECT_EQ(Duration::from_ms(3).ns, 3'000'000);
  EXPECT_EQ(Duration::from_seconds(2).ns, 2 * kNsPerSec);
  const Timestamp t = Timestamp::from_seconds(10);
  EXPECT_EQ(t.ns, 10 * kNsPerSec);
  EXPECT_EQ((t + Duration::from_ms(500)).ns, 10'500'000'000);
  EXPECT_EQ((Timestamp::from_seconds(12) - t).ns, 2 * kNsPerSec);
  EXPECT_EQ((t - Timestamp::from_seconds(12)).ns, -2 * kNsPerSec);
  EXPECT_LT(t, t + Duration{1});
}

}  // namespace
}  // namespace cst
