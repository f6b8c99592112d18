// The OHLCV reader on the real samples in ../shared/data/candles. Expected values were taken
// from the files with Python's csv and decimal modules (exact), not from this reader.
#include <gtest/gtest.h>

#include <string>

#include "cst/core/fixed_point.hpp"
#include "cst/market/ohlcv_csv_reader.hpp"

namespace cst {
namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;
constexpr std::int64_t kNsPerMs = 1'000'000;

BarSeries read_ok(const std::string& path, const OhlcvCsvOptions& options = {}) {
  auto r = read_ohlcv_csv(path, options);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : BarSeries{};
}

struct Sums {
  int128 close = 0;
  int128 high = 0;
  int128 volume = 0;
};

Sums sums_of(const BarSeries& s) {
  Sums out;
  for (const Bar& b : s.bars) {
    out.close += b.close.raw;
    out.high += b.high.raw;
    out.volume += b.volume.raw;
  }
  return out;
}

void expect_minute_spacing(const BarSeries& s) {
  for (std::size_t i = 1; i < s.size(); ++i) {
    ASSERT_EQ(s.bars[i].time.ns - s.bars[i - 1].time.ns, 60 * kNsPerSecond) << "bar " << i;
  }
}

TEST(OhlcvCsvSamples, BtcPerpOneDay) {
  const BarSeries s = read_ok(CST_SHARED_DATA_DIR "/candles/btc-perp-20220101_1m.csv");
  ASSERT_EQ(s.size(), 1440u);
  // Most prices are whole, but a few interpolated rows have .25/.75 and volumes like
  // 218102.59507500002 (11 decimals): both stay exact.
  EXPECT_EQ(s.price_decimals, 2);
  EXPECT_EQ(s.qty_decimals, 11);
  const Bar& first = s.bars.front();  // 2022-01-01 00:00:00.000000,46197.0,46247.0,46195.0,46224.0,3353308.7635
  EXPECT_EQ(first.time.ns, 1'640'995'200 * kNsPerSecond);
  EXPECT_EQ(first.open.raw, 4'619'700);
  EXPECT_EQ(first.high.raw, 4'624'700);
  EXPECT_EQ(first.low.raw, 4'619'500);
  EXPECT_EQ(first.close.raw, 4'622'400);
  EXPECT_EQ(first.volume.raw, 335'330'876'350'000'000);
  const Bar& last = s.bars.back();  // 2022-01-01 23:59:00.000000,47806.0,47806.0,47753.0,47760.0,1266572.0451
  EXPECT_EQ(last.time.ns, (1'640'995'200 + 1439 * 60) * kNsPerSecond);
  EXPECT_EQ(last.open.raw, 4'780'600);
  EXPECT_EQ(last.high.raw, 4'780'600);
  EXPECT_EQ(last.low.raw, 4'775'300);
  EXPECT_EQ(last.close.raw, 4'776'000);
  EXPECT_EQ(last.volume.raw, 126'657'204'510'000'000);
  // Line 190: 2022-01-01 03:08:00.000000,46815.5,46828.0,46799.0,46799.5,218102.59507500002
  EXPECT_EQ(s.bars[188].volume.raw, 21'810'259'507'500'002);
  EXPECT_EQ(s.bars[188].open.raw, 4'681'550);
  const Sums sums = sums_of(s);
  EXPECT_TRUE(sums.close == 6'787'063'600);
  EXPECT_TRUE(sums.high == 6'789'561'400);
  EXPECT_TRUE(sums.volume == static_cast<int128>(198'263'887'407'685) * 1'000'000 + 5);
  expect_minute_spacing(s);
}

TEST(OhlcvCsvSamples, KrakenEpochSeconds) {
  const BarSeries s = read_ok(CST_SHARED_DATA_DIR "/candles/kraken-XBTUSDT-1m.csv");
  ASSERT_EQ(s.size(), 721u);
  EXPECT_EQ(s.price_decimals, 1);
  EXPECT_EQ(s.qty_decimals, 8);
  EXPECT_EQ(s.bars.front().time.ns, 1'762'777'020 * kNsPerSecond);
  EXPECT_EQ(s.bars.front().open.raw, 1'060'382);
  EXPECT_EQ(s.bars.front().volume.raw, 0);
  EXPECT_EQ(s.bars.back().time.ns, 1'762'820'220 * kNsPerSecond);
  EXPECT_EQ(s.bars.back().close.raw, 1'058'994);
  // 1762777200,106038.1,106044.3,106038.1,106040.1,106039.6,0.08317981,3 (vwap ignored)
  EXPECT_EQ(s.bars[3].time.ns, 1'762'777'200 * kNsPerSecond);
  EXPECT_EQ(s.bars[3].high.raw, 1'060'443);
  EXPECT_EQ(s.bars[3].volume.raw, 8'317'981);
  const Sums sums = sums_of(s);
  EXPECT_TRUE(sums.close == 762'583'537);
  EXPECT_TRUE(sums.high == 762'646'009);
  EXPECT_TRUE(sums.volume == 13'757'368'379);
  expect_minute_spacing(s);
}

TEST(OhlcvCsvSamples, BinanceKlineExports) {
  OhlcvCsvOptions options;
  options.format = OhlcvCsvFormat::kBinanceKline;
  options.symbol = "ADABTC";
  const BarSeries a = read_ok(CST_SHARED_DATA_DIR "/candles/ADABTC-1m-2021-11-27.csv", options);
  ASSERT_EQ(a.size(), 10u);
  EXPECT_EQ(a.symbol, "ADABTC");
  EXPECT_EQ(a.price_decimals, 8);
  EXPECT_EQ(a.qty_decimals, 1);
  EXPECT_EQ(a.bars.front().time.ns, 1'637'971'200'000 * kNsPerMs);
  EXPECT_EQ(a.bars.front().open.raw, 2853);       // 0.00002853
  EXPECT_EQ(a.bars.front().volume.raw, 363'042);  // 36304.20000000
  EXPECT_TRUE(sums_of(a).close == 28'589);
  EXPECT_TRUE(sums_of(a).volume == 3'849'680);

  const BarSeries b = read_ok(CST_SHARED_DATA_DIR "/candles/ADABTC-1m-2021-11-28.csv", options);
  ASSERT_EQ(b.size(), 11u);
  // 0.00002820 alone would need 7 decimals; the file needs 8 and the value stays exact.
  EXPECT_EQ(b.bars.front().open.raw, 2820);
  EXPECT_EQ(b.format(b.bars.front().open), "0.0000282");
  EXPECT_EQ(b.bars.back().time.ns, 1'638'058'200'000 * kNsPerMs);
  EXPECT_TRUE(sums_of(b).close == 30'972);
  EXPECT_TRUE(sums_of(b).high == 30'987);
  EXPECT_TRUE(sums_of(b).volume == 2'352'384);
}

TEST(OhlcvCsvSamples, HeaderFormatRejectsTheHeaderlessExport) {
  auto r = read_ohlcv_csv(CST_SHARED_DATA_DIR "/candles/ADABTC-1m-2021-11-27.csv", {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find(":1: missing required column"), std::string::npos) << r.error().message;
}

TEST(OhlcvCsvSamples, FixedDecimalsMatchTheInstrument) {
  OhlcvCsvOptions options;
  options.price_decimals = 1;
  options.qty_decimals = 8;
  const BarSeries s = read_ok(CST_SHARED_DATA_DIR "/candles/kraken-XBTUSDT-1m.csv", options);
  EXPECT_EQ(s.size(), 721u);
  options.price_decimals = 0;  // 106038.2 needs one decimal
  auto r = read_ohlcv_csv(CST_SHARED_DATA_DIR "/candles/kraken-XBTUSDT-1m.csv", options);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("kraken-XBTUSDT-1m.csv:2: column open: '106038.2' needs 1 decimals"),
            std::string::npos)
      << r.error().message;
}

}  // namespace
}  // namespace cst
