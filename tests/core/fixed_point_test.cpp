// Tests for fixed-point parsing, formatting and exact arithmetic (DESIGN.md invariant 7: exact
// money). Every expected value is worked out by hand in the table or the comment beside it.
#include "cst/core/fixed_point.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "cst/core/rng.hpp"

namespace cst {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();  //  9223372036854775807
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();  // -9223372036854775808

// ---------------------------------------------------------------------------------------------
// Distinct types: Price, Qty and Money do not mix.

template <class A, class B>
concept Addable = requires(A a, B b) {
  a + b;
};

TEST(FixedPoint, PriceQtyAndMoneyAreDistinctTypes) {
  static_assert(Addable<Price, Price>);
  static_assert(Addable<Money, Money>);
  static_assert(!Addable<Price, Qty>);
  static_assert(!Addable<Qty, Money>);
  static_assert(!Addable<Price, Money>);
  static_assert(!std::is_convertible_v<Price, Qty>);
  static_assert(!std::is_convertible_v<std::int64_t, Price>);
  // Arithmetic on one type works on the raw count.
  Price p = Price::from_raw(7);
  p += Price::from_raw(5);
  EXPECT_EQ(p.raw, 12);
  p -= Price::from_raw(2);
  EXPECT_EQ(p.raw, 10);
  EXPECT_EQ((-p).raw, -10);
  EXPECT_TRUE(Price::from_raw(-1) < Price::from_raw(0));
  EXPECT_TRUE(Price{}.is_zero());
  EXPECT_TRUE(Price::from_raw(1).is_positive());
  EXPECT_TRUE(Price::from_raw(-1).is_negative());
}

TEST(FixedPoint, Pow10IsTenToTheN) {
  std::int64_t expected = 1;
  for (int n = 0; n <= kMaxDecimals; ++n) {
    EXPECT_EQ(pow10(n), expected) << "n=" << n;
    if (n < kMaxDecimals) expected *= 10;
  }
  EXPECT_EQ(pow10(18), 1'000'000'000'000'000'000LL);
}

// ---------------------------------------------------------------------------------------------
// parse_decimal

struct ParseCase {
  const char* text;
  int decimals;
  std::int64_t expected;
};

void expect_parses(const std::vector<ParseCase>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string("text='") + c.text + "' decimals=" + std::to_string(c.decimals));
    auto r = parse_decimal(c.text, c.decimals);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(*r, c.expected);
  }
}

TEST(FixedPoint, ParsePlainDecimals) {
  expect_parses({
      {"12.34", 2, 1234},
      {"5", 0, 5},
      {"5", 3, 5000},
      {"0", 4, 0},
      {"0.00", 2, 0},
      {"007.50", 2, 750},  // leading zeros are harmless
      {"123456789", 8, 12345678900000000},
      {"0.00000001", 8, 1},  // the smallest Money unit
  });
}

TEST(FixedPoint, ParseSigns) {
  expect_parses({
      {"-12.3400", 4, -123400},
      {"-12.34", 4, -123400},
      {"+7.5", 1, 75},
      {"+0", 0, 0},
      {"-0", 2, 0},
      {"-.5", 1, -5},
  });
}

TEST(FixedPoint, ParseMissingIntegerOrFractionPart) {
  expect_parses({
      {".5", 2, 50},
      {"5.", 2, 500},
      {"5.", 0, 5},
      {".05", 2, 5},
  });
}

TEST(FixedPoint, ParseTrailingZerosBeyondScaleDoNotRound) {
  expect_parses({
      {"1.2300000", 2, 123},
      {"1.000000000000000000000000", 0, 1},
      {"-1.2300000", 2, -123},
  });
}

// Half-to-even on the digits beyond the scale: a digit string below one half rounds down,
// above one half up, exactly one half to the even neighbour. The sign does not matter.
TEST(FixedPoint, ParseRoundsHalfToEvenBeyondScale) {
  expect_parses({
      // Exact ties, both directions.
      {"1.005", 2, 100},       // 100.5 hundredths -> 100 (even)
      {"1.015", 2, 102},       // 101.5 -> 102 (even)
      {"1.00500000", 2, 100},  // tie followed by zeros is still a tie
      {"0.5", 0, 0},           // 0.5 -> 0
      {"1.5", 0, 2},           // 1.5 -> 2
      {"2.5", 0, 2},           // 2.5 -> 2
      {"3.5", 0, 4},
      // Tie followed by a non-zero digit is above one half: always up.
      {"1.0051", 2, 101},
      {"1.005000001", 2, 101},
      {"2.50000001", 0, 3},
      {"0.50000000000000000000001", 0, 1},
      // Just below and just above one half.
      {"1.0049999", 2, 100},
      {"1.006", 2, 101},
      {"1.004", 2, 100},
      // Negative values round by magnitude, symmetric to the positive ones.
      {"-1.005", 2, -100},
      {"-1.015", 2, -102},
      {"-1.0051", 2, -101},
      {"-2.5", 0, -2},
      {"-1.006", 2, -101},
      // Rounding carries into the integer part.
      {"0.995", 2, 100},   // 99.5 -> 100 (even)
      {"9.999", 2, 1000},  // 999.9 -> 1000
      // The Money scale: 1.5 units of 1e-8 -> 2, 2.5 units -> 2.
      {"0.000000015", 8, 2},
      {"0.000000025", 8, 2},
  });
}

TEST(FixedPoint, ParseAtInt64Limits) {
  expect_parses({
      {"9223372036854775807", 0, kMax},
      {"92233720368547758.07", 2, kMax},
      {"92233720368547758.0749", 2, kMax},     // below the tie: stays at 807
      {"92233720368547758.065", 2, kMax - 1},  // tie on 806 (even): stays
      {"9.223372036854775807", 18, kMax},
      {"9", 18, 9'000'000'000'000'000'000LL},
      {"-9223372036854775807", 0, -kMax},
      // INT64_MIN has no positive counterpart but is a valid value; format_decimal prints it.
      {"-9223372036854775808", 0, kMin},
      {"-92233720368547758.08", 2, kMin},
      {"-92233720368547758.085", 2, kMin},  // tie on ...808 (even): stays at 2^63
  });
}

TEST(FixedPoint, ParseOverflowIsAnError) {
  const std::vector<ParseCase> cases = {
      {"9223372036854775808", 0, 0},    // INT64_MAX + 1
      {"92233720368547758.08", 2, 0},   // INT64_MAX + 1 at scale 2
      {"92233720368547758.075", 2, 0},  // tie on 807 (odd) rounds up past INT64_MAX
      {"92233720368547758.0751", 2, 0},
      {"-9223372036854775809", 0, 0},     // INT64_MIN - 1
      {"-92233720368547758.0851", 2, 0},  // above the tie on ...808: magnitude 2^63 + 1
      {"10", 18, 0},                      // 10 * 10^18 > INT64_MAX
      {"99999999999999999999999", 0, 0},
      {"99999999999999999999999.5", 0, 0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string("text='") + c.text + "'");
    auto r = parse_decimal(c.text, c.decimals);
    ASSERT_FALSE(r.ok()) << "parsed as " << *r;
    EXPECT_EQ(r.error().code, ErrorCode::kOverflow);
    EXPECT_NE(r.error().message.find(c.text), std::string::npos) << r.error().message;
  }
}

TEST(FixedPoint, ParseRejectsJunkWithParseError) {
  const char* junk[] = {"",    "-",   "+",      ".",   "-.",   "+.",  "1.2.3", "1..2",  "..",
                        "1e5", "1E5", "1.5e-3", "abc", "12a",  "a12", " 1",    "1 ",    "1,5",
                        "--1", "+-1", "-+1",    "1-",  "0x10", "nan", "inf",   "1_000", "\t1"};
  for (const char* text : junk) {
    SCOPED_TRACE(std::string("text='") + text + "'");
    auto r = parse_decimal(text, 2);
    ASSERT_FALSE(r.ok()) << "parsed as " << *r;
    EXPECT_EQ(r.error().code, ErrorCode::kParse);
  }
}

TEST(FixedPoint, ParseErrorNamesTheText) {
  auto r = parse_decimal("12abc", 2);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("'12abc'"), std::string::npos) << r.error().message;
  auto two_points = parse_decimal("1.2.3", 2);
  ASSERT_FALSE(two_points.ok());
  EXPECT_NE(two_points.error().message.find("two decimal points"), std::string::npos);
}

TEST(FixedPoint, ParseRejectsScaleOutsideZeroToEighteen) {
  for (int decimals : {-1, 19, 100}) {
    auto r = parse_decimal("1", decimals);
    ASSERT_FALSE(r.ok()) << decimals;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_TRUE(parse_decimal("1", 0).ok());
  EXPECT_TRUE(parse_decimal("1", 18).ok());
}

TEST(FixedPoint, ParseMoneyUsesEightDecimals) {
  auto m = parse_money("1.5");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->raw, 150'000'000);
  auto bad = parse_money("1.5x");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kParse);
  EXPECT_EQ(to_string(Money::from_raw(150'000'000)), "1.5");
  EXPECT_DOUBLE_EQ(to_double(Money::from_raw(150'000'000)), 1.5);
}

// ---------------------------------------------------------------------------------------------
// format_decimal

struct FormatCase {
  std::int64_t raw;
  int decimals;
  bool trim;
  const char* expected;
};

TEST(FixedPoint, FormatDecimal) {
  const FormatCase cases[] = {
      {1234, 2, true, "12.34"},
      {1500, 3, true, "1.5"},
      {1500, 3, false, "1.500"},
      {2000, 3, true, "2"},
      {2000, 3, false, "2.000"},
      {7, 0, true, "7"},
      {7, 0, false, "7"},
      {5, 2, true, "0.05"},
      {1, 18, false, "0.000000000000000001"},
      {kMax, 18, false, "9.223372036854775807"},
      {kMax, 0, true, "9223372036854775807"},
      {kMax, 2, true, "92233720368547758.07"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::to_string(c.raw) + " d=" + std::to_string(c.decimals));
    EXPECT_EQ(format_decimal(c.raw, c.decimals, c.trim), c.expected);
  }
}

TEST(FixedPoint, FormatNegatives) {
  const FormatCase cases[] = {
      {-5, 2, true, "-0.05"}, {-1500, 3, true, "-1.5"},     {-100, 2, false, "-1.00"},
      {-100, 2, true, "-1"},  {-1, 8, true, "-0.00000001"}, {-12345, 0, true, "-12345"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::to_string(c.raw) + " d=" + std::to_string(c.decimals));
    EXPECT_EQ(format_decimal(c.raw, c.decimals, c.trim), c.expected);
  }
}

TEST(FixedPoint, FormatInt64MinHasNoOverflow) {
  EXPECT_EQ(format_decimal(kMin, 0), "-9223372036854775808");
  EXPECT_EQ(format_decimal(kMin, 2, false), "-92233720368547758.08");
  EXPECT_EQ(format_decimal(kMin, 18, false), "-9.223372036854775808");
  EXPECT_EQ(format_decimal(kMin, 18, true), "-9.223372036854775808");
}

TEST(FixedPoint, FormatZeroHasNoSignAndNoPointWhenTrimmed) {
  EXPECT_EQ(format_decimal(0, 0), "0");
  EXPECT_EQ(format_decimal(0, 8), "0");
  EXPECT_EQ(format_decimal(0, 2, false), "0.00");
  EXPECT_EQ(format_decimal(0, 18, false), "0.000000000000000000");
}

// parse(format(x)) == x: formatting loses nothing, with or without trimming, at every scale.
TEST(FixedPoint, ParseOfFormatRoundTrips) {
  std::vector<std::int64_t> values = {0,    1,    -1,       9,       10, -10, 99, 100, 12345, -12345, 1'000'000'007,
                                      kMax, kMin, kMax - 1, kMin + 1};
  Rng rng(20240101);
  for (int i = 0; i < 2000; ++i) {
    // Mix magnitudes: full 64-bit values and values with few significant digits.
    const auto bits = rng.next_u64();
    const int shift = static_cast<int>(rng.next_u64() % 64);
    values.push_back(static_cast<std::int64_t>(bits) >> shift);
  }
  for (int decimals = 0; decimals <= kMaxDecimals; ++decimals) {
    for (std::int64_t v : values) {
      for (bool trim : {true, false}) {
        const std::string text = format_decimal(v, decimals, trim);
        auto back = parse_decimal(text, decimals);
        ASSERT_TRUE(back.ok()) << text << ": " << back.error().message;
        ASSERT_EQ(*back, v) << "text=" << text << " decimals=" << decimals;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// mul_div

struct MulDivCase {
  std::int64_t a, b, d;
  std::int64_t down, up, half_even, toward_zero;
};

// Each row: the exact quotient a*b/d in the comment, then floor, ceiling, half-even, truncation.
TEST(FixedPoint, MulDivRoundsAsAskedForEveryMode) {
  const MulDivCase cases[] = {
      {7, 1, 2, 3, 4, 4, 3},        //  3.5
      {5, 1, 2, 2, 3, 2, 2},        //  2.5  (tie to even 2)
      {-7, 1, 2, -4, -3, -4, -3},   // -3.5  (tie to even -4)
      {-5, 1, 2, -3, -2, -2, -2},   // -2.5  (tie to even -2)
      {7, 1, -2, -4, -3, -4, -3},   // -3.5 with the sign on the divisor
      {-7, 1, -2, 3, 4, 4, 3},      //  3.5 with both signs negative
      {7, -1, -2, 3, 4, 4, 3},      //  3.5 with the sign on b and d
      {1, 1, 2, 0, 1, 0, 0},        //  0.5  (tie to even 0)
      {3, 1, 2, 1, 2, 2, 1},        //  1.5  (tie to even 2)
      {-1, 1, 2, -1, 0, 0, 0},      // -0.5  (tie to even 0)
      {-3, 1, 2, -2, -1, -2, -1},   // -1.5  (tie to even -2)
      {3, 5, 2, 7, 8, 8, 7},        //  7.5
      {-3, 5, 2, -8, -7, -8, -7},   // -7.5
      {10, 1, 4, 2, 3, 2, 2},       //  2.5
      {11, 1, 4, 2, 3, 3, 2},       //  2.75 (above half)
      {9, 1, 4, 2, 3, 2, 2},        //  2.25 (below half)
      {-9, 1, 4, -3, -2, -2, -2},   // -2.25
      {-11, 1, 4, -3, -2, -3, -2},  // -2.75
      {6, 1, 3, 2, 2, 2, 2},        //  2 exact: no mode changes it
      {-6, 1, 3, -2, -2, -2, -2},   // -2 exact
      {0, 12345, 7, 0, 0, 0, 0},    //  0
      {2, 3, 1, 6, 6, 6, 6},        //  6 exact
      // 128-bit intermediate: INT64_MAX^2 / INT64_MAX = INT64_MAX exactly.
      {kMax, kMax, kMax, kMax, kMax, kMax, kMax},
      // 10^18 * 10^18 / 10^18: the product is far beyond int64.
      {1'000'000'000'000'000'000, 1'000'000'000'000'000'000, 1'000'000'000'000'000'000, 1'000'000'000'000'000'000,
       1'000'000'000'000'000'000, 1'000'000'000'000'000'000, 1'000'000'000'000'000'000},
      // (2^32-1)(2^32+1) = 2^64-1; / 2 = 2^63 - 0.5. Down/TowardZero give INT64_MAX; Up and
      // half-even (2^63-1 is odd) would give 2^63 and are checked in the overflow test.
      // Negated: -(2^63) + 0.5. Floor gives INT64_MIN, which fits.
      {-4294967295LL, 4294967297LL, 2, kMin, kMin + 1, kMin, kMin + 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::to_string(c.a) + "*" + std::to_string(c.b) + "/" + std::to_string(c.d));
    const std::pair<Rounding, std::int64_t> modes[] = {{Rounding::kDown, c.down},
                                                       {Rounding::kUp, c.up},
                                                       {Rounding::kHalfEven, c.half_even},
                                                       {Rounding::kTowardZero, c.toward_zero}};
    for (auto [mode, expected] : modes) {
      auto r = mul_div(c.a, c.b, c.d, mode);
      ASSERT_TRUE(r.ok()) << "mode " << static_cast<int>(mode) << ": " << r.error().message;
      EXPECT_EQ(*r, expected) << "mode " << static_cast<int>(mode);
    }
  }
}

TEST(FixedPoint, MulDivByZeroIsAnError) {
  for (Rounding mode : {Rounding::kDown, Rounding::kUp, Rounding::kHalfEven, Rounding::kTowardZero}) {
    auto r = mul_div(5, 7, 0, mode);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(FixedPoint, MulDivDetectsOverflow) {
  struct Case {
    std::int64_t a, b, d;
    Rounding mode;
    bool fits;
  };
  const Case cases[] = {
      {kMax, 1, 1, Rounding::kHalfEven, true},    // at the limit
      {kMax, 2, 1, Rounding::kHalfEven, false},   // 2 * INT64_MAX
      {kMax, 3, 2, Rounding::kDown, false},       // 1.5 * INT64_MAX
      {kMin, 1, 1, Rounding::kHalfEven, true},    // INT64_MIN itself fits
      {kMin, -1, 1, Rounding::kHalfEven, false},  // -INT64_MIN = 2^63
      {kMin, 1, -1, Rounding::kHalfEven, false},  // same, with the sign on the divisor
      {kMin, kMin, 1, Rounding::kDown, false},    // 2^126
      // (2^64-1)/2 = 2^63 - 0.5: truncation and floor fit, ceiling and half-even do not.
      {4294967295LL, 4294967297LL, 2, Rounding::kDown, true},
      {4294967295LL, 4294967297LL, 2, Rounding::kTowardZero, true},
      {4294967295LL, 4294967297LL, 2, Rounding::kUp, false},
      {4294967295LL, 4294967297LL, 2, Rounding::kHalfEven, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::to_string(c.a) + "*" + std::to_string(c.b) + "/" + std::to_string(c.d) + " mode " +
                 std::to_string(static_cast<int>(c.mode)));
    auto r = mul_div(c.a, c.b, c.d, c.mode);
    EXPECT_EQ(r.ok(), c.fits);
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::kOverflow);
    }
  }
  auto at_max = mul_div(4294967295LL, 4294967297LL, 2, Rounding::kDown);
  ASSERT_TRUE(at_max.ok());
  EXPECT_EQ(*at_max, kMax);
}

// ---------------------------------------------------------------------------------------------
// checked_add

TEST(FixedPoint, CheckedAddDetectsOverflowBothWays) {
  struct Case {
    std::int64_t a, b;
    bool fits;
    std::int64_t sum;
  };
  const Case cases[] = {
      {1, 2, true, 3},           {-5, 3, true, -2},          {kMax, 0, true, kMax},  // at the limit
      {kMax - 1, 1, true, kMax},                                                     // reaches the limit
      {kMax, 1, false, 0},                                                           // just past it
      {kMin, 0, true, kMin},     {kMin + 1, -1, true, kMin}, {kMin, -1, false, 0},
      {kMax, kMin, true, -1},    {kMax, kMax, false, 0},     {kMin, kMin, false, 0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::to_string(c.a) + " + " + std::to_string(c.b));
    auto r = checked_add(c.a, c.b);
    ASSERT_EQ(r.ok(), c.fits);
    if (c.fits) {
      EXPECT_EQ(*r, c.sum);
    } else {
      EXPECT_EQ(r.error().code, ErrorCode::kOverflow);
    }
  }
}

}  // namespace
}  // namespace cst
