// Escaping and number formatting: the report's output must be valid and deterministic whatever
// text a run carries.
#include "cst/report/text_format.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace cst::report {
namespace {

TEST(TextFormat, FixedDecimalsAreExactAndSignless) {
  EXPECT_EQ(format_fixed(12.5, 6), "12.500000");
  EXPECT_EQ(format_fixed(-1.25, 1), "-1.2");  // round-half-even on the binary value
  EXPECT_EQ(format_fixed(-0.0000001, 3), "0.000");
  EXPECT_EQ(format_fixed(0.0, 2), "0.00");
  EXPECT_EQ(format_fixed(1.2345e20, 4), "1.2345e+20");
}

TEST(TextFormat, NonFiniteValuesAreNamed) {
  EXPECT_EQ(format_fixed(std::numeric_limits<double>::quiet_NaN(), 2), "nan");
  EXPECT_EQ(format_fixed(std::numeric_limits<double>::infinity(), 2), "inf");
  EXPECT_EQ(format_fixed(-std::numeric_limits<double>::infinity(), 2), "-inf");
}

TEST(TextFormat, HtmlEscapeNeutralizesMarkup) {
  EXPECT_EQ(html_escape("<script>alert('x&y')</script>\""),
            "&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;&quot;");
  EXPECT_EQ(html_escape("BTC/USD \xE2\x82\xAC"), "BTC/USD \xE2\x82\xAC");  // valid UTF-8 kept
}

TEST(TextFormat, InvalidUtf8AndControlsAreReplaced) {
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(html_escape(std::string("a\xFF"
                                    "b")),
            "a" + replacement + "b");
  EXPECT_EQ(html_escape(std::string("a\x01"
                                    "b")),
            "a" + replacement + "b");
  EXPECT_EQ(html_escape("\xC0\xAF"), replacement + replacement);                    // overlong '/'
  EXPECT_EQ(html_escape("\xED\xA0\x80"), replacement + replacement + replacement);  // surrogate
  EXPECT_EQ(html_escape("\xE2\x82"), replacement + replacement);                    // truncated
}

TEST(TextFormat, JsonQuoteRoundTripsThroughAParser) {
  const std::string hostile = "q\"b\\s\n\t\x01</script>\xE2\x82\xAC";
  const auto parsed = nlohmann::json::parse(json_quote(hostile));
  EXPECT_EQ(parsed.get<std::string>(), hostile);
  // Invalid UTF-8 would make the document unparseable; it becomes U+FFFD instead.
  EXPECT_EQ(nlohmann::json::parse(json_quote("x\xFFy")).get<std::string>(), "x\xEF\xBF\xBDy");
}

TEST(TextFormat, UtcForPeople) {
  const Timestamp t = Timestamp::from_seconds(days_from_civil(2024, 1, 31) * 86400 + 12 * 3600);
  EXPECT_EQ(format_utc(t), "2024-01-31 12:00:00 UTC");
  EXPECT_EQ(format_utc(t + Duration::from_ms(250)), "2024-01-31 12:00:00.25 UTC");
}

}  // namespace
}  // namespace cst::report
