// The OHLCV CSV reader on hand-made text: header handling, formats, exactness, inference.
// Validation errors are in ohlcv_csv_errors_test.cpp, the shared sample files in
// ohlcv_csv_samples_test.cpp.
#include "cst/market/ohlcv_csv_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "cst/core/timestamp.hpp"

namespace cst {
namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;
constexpr std::int64_t k2022 = 1'640'995'200;  // 2022-01-01T00:00:00Z

BarSeries parse_ok(std::string_view text, const OhlcvCsvOptions& options = {}) {
  auto r = parse_ohlcv_csv(text, "t.csv", options);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : BarSeries{};
}

TEST(OhlcvCsvReader, ReadsTheTypicalMinuteFile) {
  const BarSeries s = parse_ok(
      "timestamp,open,high,low,close,volume\n"
      "2022-01-01 00:00:00.000000,46197.0,46247.0,46195.0,46224.0,3353308.7635\n"
      "2022-01-01 00:01:00.000000,46224.0,46265.0,46198.0,46247.0,12437792.5648\n");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s.price_decimals, 0);
  EXPECT_EQ(s.qty_decimals, 4);
  const Bar& b = s.bars[0];
  EXPECT_EQ(b.time.ns, k2022 * kNsPerSecond);
  EXPECT_EQ(b.open.raw, 46197);
  EXPECT_EQ(b.high.raw, 46247);
  EXPECT_EQ(b.low.raw, 46195);
  EXPECT_EQ(b.close.raw, 46224);
  EXPECT_EQ(b.volume.raw, 33533087635);
  EXPECT_EQ(s.bars[1].volume.raw, 124377925648);
  EXPECT_EQ(s.bars[1].time.ns, (k2022 + 60) * kNsPerSecond);
}

TEST(OhlcvCsvReader, ColumnsInAnyOrderAndAnyCase) {
  const BarSeries s = parse_ok(
      "VOLUME,Close,Adj Close,LOW,high,Open,Date\n"
      "10,101,99.5,99,102,100,2024-01-02\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s.price_decimals, 0);
  EXPECT_EQ(s.bars[0].open.raw, 100);
  EXPECT_EQ(s.bars[0].high.raw, 102);
  EXPECT_EQ(s.bars[0].low.raw, 99);
  EXPECT_EQ(s.bars[0].close.raw, 101);  // Adj Close ignored
  EXPECT_EQ(s.bars[0].volume.raw, 10);
}

TEST(OhlcvCsvReader, EveryTimeColumnNameIsAccepted) {
  for (const char* name : {"Date", "Datetime", "Timestamp", "Time", "Open time", "open_time", " \"Date\" "}) {
    const std::string text = std::string(name) + ",Open,High,Low,Close\n2024-01-02,1,1,1,1\n";
    auto r = parse_ohlcv_csv(text, "t.csv", {});
    EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().message);
  }
}

TEST(OhlcvCsvReader, VolumeIsOptional) {
  const BarSeries s = parse_ok("Date,Open,High,Low,Close\n2024-01-02,1.5,2,1,1.25\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s.bars[0].volume.raw, 0);
  EXPECT_EQ(s.price_decimals, 2);
  EXPECT_EQ(s.bars[0].open.raw, 150);
}

TEST(OhlcvCsvReader, OtherColumnsAreIgnoredWhateverTheyHold) {
  const BarSeries s = parse_ok("time,open,high,low,close,vwap,volume,count\n1762777020,1,1,1,1,,0.5,x y z\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s.bars[0].volume.raw, 5);
}

TEST(OhlcvCsvReader, ToleratesCrlfBomAndTrailingEmptyLines) {
  const BarSeries s = parse_ok(
      "\xEF\xBB\xBFtimestamp,open,high,low,close,volume\r\n"
      "2022-01-01T00:00:00Z,1,2,1,2,3\r\n"
      "2022-01-01T00:01:00Z,2,2,1,1,3\r\n"
      "\r\n\n");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s.bars[1].close.raw, 1);
}

TEST(OhlcvCsvReader, LastLineWithoutNewline) {
  EXPECT_EQ(parse_ok("Date,Open,High,Low,Close\n2024-01-02,1,1,1,1").size(), 1u);
  EXPECT_EQ(parse_ok("Date,Open,High,Low,Close\r\n2024-01-02,1,1,1,1\r").size(), 1u);
}

TEST(OhlcvCsvReader, InfersTheFewestDecimalsThatKeepEveryValueExact) {
  // 0.00002820 needs 7 decimals on its own, 0.00002853 needs 8; both stay exact at 8.
  const BarSeries s = parse_ok(
      "time,open,high,low,close,volume\n"
      "1,0.00002820,0.00002820,0.00002820,0.00002820,100\n"
      "2,0.00002853,0.00002853,0.00002853,0.00002853,0.5\n");
  EXPECT_EQ(s.price_decimals, 8);
  EXPECT_EQ(s.qty_decimals, 1);
  EXPECT_EQ(s.bars[0].open.raw, 2820);  // rescaled when row 2 needed a decimal more
  EXPECT_EQ(s.bars[1].open.raw, 2853);
  EXPECT_EQ(s.bars[0].volume.raw, 1000);
  EXPECT_EQ(s.format(s.bars[0].open), "0.0000282");
}

TEST(OhlcvCsvReader, InferenceRaisesTheScaleSeveralTimes) {
  const BarSeries s = parse_ok(
      "time,open,high,low,close\n"
      "1,100,100,100,100\n"
      "2,100.5,100.5,100.5,100.5\n"
      "3,100.25,100.25,100.25,100.25\n"
      "4,100.125,100.125,100.125,100.125\n"
      "5,100,100,100,100\n");
  EXPECT_EQ(s.price_decimals, 3);
  const std::int64_t expected[] = {100000, 100500, 100250, 100125, 100000};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(s.bars[i].close.raw, expected[i]) << i;
}

TEST(OhlcvCsvReader, FixedDecimalsScaleUpExactly) {
  OhlcvCsvOptions options;
  options.price_decimals = 8;
  options.qty_decimals = 6;
  const BarSeries s = parse_ok("time,open,high,low,close,volume\n1,46197.0,46247,46195,46224.5,3.25\n", options);
  EXPECT_EQ(s.price_decimals, 8);
  EXPECT_EQ(s.qty_decimals, 6);
  EXPECT_EQ(s.bars[0].open.raw, 4'619'700'000'000);
  EXPECT_EQ(s.bars[0].close.raw, 4'622'450'000'000);
  EXPECT_EQ(s.bars[0].volume.raw, 3'250'000);
}

TEST(OhlcvCsvReader, RoundExcessRoundsHalfToEven) {
  OhlcvCsvOptions options;
  options.price_decimals = 2;
  options.round_excess = true;
  const BarSeries s = parse_ok("time,open,high,low,close\n1,1.005,1.015,1.004,1.0051\n", options);
  EXPECT_EQ(s.bars[0].open.raw, 100);  // tie to even
  EXPECT_EQ(s.bars[0].high.raw, 102);  // tie to even
  EXPECT_EQ(s.bars[0].low.raw, 100);
  EXPECT_EQ(s.bars[0].close.raw, 101);  // above the tie
}

TEST(OhlcvCsvReader, RoundExcessCapsInferredDecimals) {
  OhlcvCsvOptions options;
  options.round_excess = true;
  const BarSeries s = parse_ok("time,open,high,low,close\n1,0.12345678901234567,1,0.1,0.5\n", options);
  EXPECT_EQ(s.price_decimals, kMaxInferredPriceDecimals);
  EXPECT_EQ(s.bars[0].open.raw, 123456789012);
}

TEST(OhlcvCsvReader, EpochUnitsAndDateForms) {
  const std::int64_t ns = k2022 * kNsPerSecond;
  for (const char* t : {"1640995200", "1640995200000", "1640995200000000", "1640995200000000000", "2022-01-01",
                        "2022-01-01 00:00:00", "2022-01-01T00:00:00Z", "2022-01-01T00:00:00.000000000Z"}) {
    const std::string text = std::string("time,open,high,low,close\n") + t + ",1,1,1,1\n";
    const BarSeries s = parse_ok(text);
    ASSERT_EQ(s.size(), 1u) << t;
    EXPECT_EQ(s.bars[0].time.ns, ns) << t;
  }
}

TEST(OhlcvCsvReader, SymbolComesFromTheOptions) {
  OhlcvCsvOptions options;
  options.symbol = "BTC-PERP";
  EXPECT_EQ(parse_ok("Date,Open,High,Low,Close\n2024-01-02,1,1,1,1\n", options).symbol, "BTC-PERP");
}

TEST(OhlcvCsvReader, BinanceKlineWithoutHeader) {
  OhlcvCsvOptions options;
  options.format = OhlcvCsvFormat::kBinanceKline;
  const BarSeries s = parse_ok(
      "1637971200000,0.00002853,0.00002854,0.00002851,0.00002854,36304.20000000,1637971259999,1.03547608,79,"
      "19523.00000000,0.55694227,0\n",
      options);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s.bars[0].time.ns, 1'637'971'200'000LL * 1'000'000);
  EXPECT_EQ(s.price_decimals, 8);
  EXPECT_EQ(s.bars[0].open.raw, 2853);
  EXPECT_EQ(s.qty_decimals, 1);
  EXPECT_EQ(s.bars[0].volume.raw, 363042);
}

TEST(OhlcvCsvReader, BinanceKlineHeaderLineIsSkipped) {
  OhlcvCsvOptions options;
  options.format = OhlcvCsvFormat::kBinanceKline;
  const BarSeries s = parse_ok(
      "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,"
      "taker_buy_quote_volume,ignore\n"
      "1637971200000000,1,1,1,1,1,1637971259999999,1,1,1,1,0\n",  // microseconds, as Binance spot since 2025
      options);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s.bars[0].time.ns, 1'637'971'200'000LL * 1'000'000);
}

TEST(OhlcvCsvReader, EmptyIgnoredHeaderCellsAreColumnsToo) {
  EXPECT_EQ(parse_ok("Date,Open,High,Low,Close,\n2024-01-02,1,1,1,1,\n").size(), 1u);
}

}  // namespace
}  // namespace cst
