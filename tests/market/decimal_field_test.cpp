// Exact decimal scanning: the mantissa/scale kept, stop characters, long inputs, rounding.
#include "cst/market/decimal_field.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace cst {
namespace {

struct Scanned {
  DecimalText value;
  DecimalScan status;
  std::size_t consumed;
};

Scanned scan(std::string_view s) {
  Scanned out{};
  const char* stop = scan_decimal(s.data(), s.data() + s.size(), out.value, out.status);
  out.consumed = static_cast<std::size_t>(stop - s.data());
  return out;
}

std::int64_t to_raw(std::string_view s, int scale, bool round = false) {
  const Scanned sc = scan(s);
  EXPECT_EQ(sc.status, DecimalScan::kOk) << s;
  std::int64_t raw = 0;
  EXPECT_EQ(decimal_to_raw(sc.value, scale, round, raw), DecimalFit::kOk) << s;
  return raw;
}

DecimalFit fit(std::string_view s, int scale, bool round = false) {
  std::int64_t raw = 0;
  return decimal_to_raw(scan(s).value, scale, round, raw);
}

TEST(DecimalField, KeepsMantissaAndFewestDecimals) {
  const struct {
    const char* text;
    std::uint64_t mantissa;
    int scale;
  } cases[] = {
      {"46197.0", 46197, 0},
      {"3353308.7635", 33533087635, 4},
      {"0.00002820", 282, 7},
      {"0.00000000", 0, 0},
      {"5", 5, 0},
      {".5", 5, 1},
      {"5.", 5, 0},
      {"0", 0, 0},
      {"106038.2", 1060382, 1},
      {"000123.4500", 12345, 2},
  };
  for (const auto& c : cases) {
    const Scanned s = scan(c.text);
    EXPECT_EQ(s.status, DecimalScan::kOk) << c.text;
    EXPECT_EQ(s.value.mantissa, c.mantissa) << c.text;
    EXPECT_EQ(s.value.scale, c.scale) << c.text;
    EXPECT_EQ(s.consumed, std::string_view(c.text).size()) << c.text;
    EXPECT_TRUE(s.value.exact()) << c.text;
  }
}

TEST(DecimalField, StopsAtFirstCharacterThatCannotContinue) {
  EXPECT_EQ(scan("12.5,7").consumed, 4u);
  EXPECT_EQ(scan("12.5\r\n").consumed, 4u);
  EXPECT_EQ(scan("1e5").consumed, 1u);
  EXPECT_EQ(scan("1.2.3").consumed, 3u);
  EXPECT_EQ(scan("abc").status, DecimalScan::kNoDigits);
  EXPECT_EQ(scan("").status, DecimalScan::kNoDigits);
  EXPECT_EQ(scan("-").status, DecimalScan::kNoDigits);
  EXPECT_EQ(scan(".").status, DecimalScan::kNoDigits);
  EXPECT_EQ(scan("-.,").status, DecimalScan::kNoDigits);
}

TEST(DecimalField, SignsAreRecorded) {
  EXPECT_TRUE(scan("-1.5").value.negative);
  EXPECT_TRUE(scan("-0").value.negative);
  EXPECT_FALSE(scan("+1.5").value.negative);
  EXPECT_EQ(to_raw("-1.5", 2), -150);
}

TEST(DecimalField, PlacesValuesOnALargerScaleExactly) {
  EXPECT_EQ(to_raw("0.00002820", 8), 2820);
  EXPECT_EQ(to_raw("46197.0", 0), 46197);
  EXPECT_EQ(to_raw("46197.0", 12), 46197'000000000000);
  EXPECT_EQ(to_raw("9223372036854775807", 0), INT64_MAX);
}

TEST(DecimalField, MoreDecimalsThanTheScaleNeedRounding) {
  EXPECT_EQ(fit("1.234", 2), DecimalFit::kTooPrecise);
  EXPECT_EQ(to_raw("1.234", 2, true), 123);
  EXPECT_EQ(to_raw("1.235", 2, true), 124);   // tie, to even
  EXPECT_EQ(to_raw("1.245", 2, true), 124);   // tie, to even
  EXPECT_EQ(to_raw("1.2451", 2, true), 125);  // above the tie
  EXPECT_EQ(to_raw("-1.235", 2, true), -124);
  EXPECT_EQ(to_raw("0.004", 2, true), 0);
}

TEST(DecimalField, OverflowIsReported) {
  EXPECT_EQ(fit("9223372036854775808", 0), DecimalFit::kOverflow);
  EXPECT_EQ(fit("10000000", 12), DecimalFit::kOverflow);
  EXPECT_EQ(scan("123456789012345678901").status, DecimalScan::kTooLarge);
}

TEST(DecimalField, LongNumbersKeepNineteenSignificantDigits) {
  // Leading and trailing zeros do not count against the 19 digits.
  EXPECT_EQ(to_raw("0000000000000000000000001.5000000000000000000000", 1), 15);
  EXPECT_EQ(to_raw("0.000000000000000000000000", 3), 0);
  // More than 19 leading fraction zeros (once an out-of-bounds power-of-ten lookup, found by UBSan).
  const Scanned tiny = scan("0.00000000000000000000000000001");
  EXPECT_EQ(tiny.value.mantissa, 1u);
  EXPECT_EQ(tiny.value.scale, 29);
  EXPECT_EQ(decimals_needed(tiny.value), 29);
  EXPECT_EQ(fit("0.00000000000000000000000000001", 12), DecimalFit::kTooPrecise);
  EXPECT_EQ(to_raw("0.00000000000000000000000000001", 12, true), 0);
  // 1.000...0001 (23 decimals) rounds to 1 at 12 decimals.
  EXPECT_EQ(to_raw("1.00000000000000000000001", 12, true), 1'000000000000);
  EXPECT_FALSE(scan("1.00000000000000000000001").value.exact());
  EXPECT_EQ(decimals_needed(scan("1.00000000000000000000001").value), 23);
  // 20 significant digits but only 12 decimals: the decimals are fine, int64 is not.
  EXPECT_EQ(decimals_needed(scan("10000000.000000000001").value), 12);
  EXPECT_EQ(fit("10000000.000000000001", 12), DecimalFit::kOverflow);
  // A tie decided only by a digit past the 19 kept ones.
  EXPECT_EQ(to_raw("0.1234567890123456785000001", 18, true), 123456789012345679);
  EXPECT_EQ(to_raw("0.1234567890123456785000000", 18, true), 123456789012345678);
}

}  // namespace
}  // namespace cst
