// End to end on real data: one day of 1-minute BTC perpetual bars (2022-01-01, 1,440 bars,
// ../shared/data/candles/btc-perp-20220101_1m.csv), read with read_ohlcv_csv and run through
// run_backtest with sma_cross fast=10 slow=30, a fixed size of 1 BTC, cash 100,000, 10 bps
// commission, next-open fills and the research profile.
//
// The expectations are computed here, from the CSV text, by a separate and deliberately plain
// implementation: its own line splitting and decimal parsing (not the market reader), means
// recomputed from scratch on every bar with plain loops and compared as exact integers (not
// SmaCross), and its own cash arithmetic (not the Portfolio or the engine). The engine's fills,
// round trips, fees and final equity must match it exactly.
//
// Hand check of the first two trades, from the CSV rows (file line = bar index + 2; "fast" and
// "slow" are the sums of the last 10 and 30 closes; fast_mean > slow_mean <=> 3 x fast > slow):
//
//   No cross above before bar 74 (bar 66 crosses below while flat: ignored, long-only).
//   bar 73, 01:13, close 46744: fast 466,618 x 3 = 1,399,854 <= slow 1,399,997  (not above)
//   bar 74, 01:14, close 46752: fast = 46592 + 46588 + 46626 + 46646 + 46670 + 46687 + 46741
//                                      + 46735 + 46744 + 46752 = 466,781
//                               slow = 1,399,997 - 46669 (bar 44) + 46752 = 1,400,080
//                               466,781 x 3 = 1,400,343 > 1,400,080  -> cross above: buy 1
//   Trade 1 entry: bar 75 (01:15, line 77) opens 46752.0 -> buy 1 @ 46,752.00, fee 46.752
//   bar 101, 01:41: fast 468,293 x 3 = 1,404,879 >= slow 1,404,785
//   bar 102, 01:42: fast 468,236 x 3 = 1,404,708 <  slow 1,404,798     -> cross below: sell 1
//   Trade 1 exit: bar 103 (01:43, line 105) opens 46748.0 -> sell 1 @ 46,748.00, fee 46.748
//   Trade 1 pnl: (46,748 - 46,752) - (46.752 + 46.748) = -4.00 - 93.50 = -97.50
//
//   bar 118, 01:58: fast 467,993 x 3 = 1,403,979 <= slow 1,404,016
//   bar 119, 01:59: fast 468,014 x 3 = 1,404,042 >  slow 1,404,027     -> cross above: buy 1
//   Trade 2 entry: bar 120 (02:00, line 122) opens 46802.0 -> buy @ 46,802.00, fee 46.802
//   bar 151, 02:31: fast 468,632 x 3 = 1,405,896 >= slow 1,405,865
//   bar 152, 02:32: fast 468,534 x 3 = 1,405,602 <  slow 1,405,873     -> cross below: sell 1
//   Trade 2 exit: bar 153 (02:33, line 155) opens 46816.0 -> sell @ 46,816.00, fee 46.816
//   Trade 2 pnl: (46,816 - 46,802) - (46.802 + 46.816) = 14.00 - 93.618 = -79.618
//
// With 1 BTC and prices in cents, every fee is exact: 10 bps of P dollars = P x 0.001, so no
// rounding enters the comparison.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cst/engine/backtest_engine.hpp"
#include "cst/market/ohlcv_csv_reader.hpp"
#include "cst/strategy/strategy_registry.hpp"
#include "support/engine_fixtures.hpp"
#include "support/engine_run.hpp"

namespace cst {
namespace {

using testing_support::TempDir;

const char* const kCsv = CST_SHARED_DATA_DIR "/candles/btc-perp-20220101_1m.csv";
// 2022-01-01T00:00:00Z: 52 years of days since the epoch, 13 of them leap days (1972..2020).
constexpr std::int64_t kDayStartSeconds = (52 * 365 + 13) * 86'400;
static_assert(kDayStartSeconds == 1'640'995'200);

// ------------------------------------------------------------------------------------------
// The independent implementation.

// "46821.75" -> 4,682,175 (cents). Fails the test on anything finer than a cent.
std::int64_t cents(const std::string& text) {
  std::int64_t whole = 0, frac = 0;
  int frac_digits = 0;
  bool point = false;
  for (char c : text) {
    if (c == '.') {
      point = true;
      continue;
    }
    EXPECT_TRUE(c >= '0' && c <= '9') << text;
    if (!point) {
      whole = whole * 10 + (c - '0');
    } else if (frac_digits < 2) {
      frac = frac * 10 + (c - '0');
      ++frac_digits;
    } else {
      EXPECT_EQ(c, '0') << text << " has a digit beyond the cent";
    }
  }
  for (; frac_digits < 2; ++frac_digits) frac *= 10;
  return whole * 100 + frac;
}

struct CsvBar {
  std::string time;
  std::int64_t open, close;  // cents
};

std::vector<CsvBar> read_plain(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::vector<CsvBar> out;
  std::string line;
  std::getline(in, line);  // header: timestamp,open,high,low,close,volume
  EXPECT_EQ(line, "timestamp,open,high,low,close,volume");
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string field;
    while (std::getline(ss, field, ',')) f.push_back(field);
    EXPECT_EQ(f.size(), 6u) << line;
    if (f.size() != 6) continue;
    out.push_back(CsvBar{f[0], cents(f[1]), cents(f[4])});
  }
  return out;
}

struct ExpectedFill {
  std::size_t bar;  // index of the bar whose open fills it
  bool buy;
  std::int64_t price_cents;
};

struct ExpectedTrade {
  std::int64_t entry_cents, exit_cents;
  std::int64_t pnl;   // Money raw (1e-8)
  std::int64_t fees;  // Money raw
};

struct Expected {
  std::vector<ExpectedFill> fills;
  std::vector<ExpectedTrade> trades;
  std::uint64_t orders = 0;  // orders sent, including one the data ends before filling
  std::int64_t fees = 0;     // Money raw
  std::int64_t final_equity = 0;
  bool long_at_end = false;
};

// 1 BTC at P cents: notional P x 10^6 Money raw (1 cent = 10^-2 = 10^6 x 10^-8).
constexpr std::int64_t kCentToMoney = 1'000'000;
// Fee 10 bps: notional x 1,000 / 1,000,000 = P cents x 1,000 Money raw, exactly.
std::int64_t fee_of(std::int64_t price_cents) { return price_cents * kCentToMoney / 1'000; }

Expected independent(const std::vector<CsvBar>& bars, int fast, int slow, std::int64_t cash) {
  // Sign of fast mean - slow mean at bar t, from scratch: fast_sum x slow vs slow_sum x fast.
  auto sign_at = [&](std::size_t t) {
    std::int64_t fs = 0, ss = 0;
    for (std::size_t k = t + 1 - static_cast<std::size_t>(fast); k <= t; ++k) fs += bars[k].close;
    for (std::size_t k = t + 1 - static_cast<std::size_t>(slow); k <= t; ++k) ss += bars[k].close;
    return fs * slow > ss * fast ? 1 : (fs * slow < ss * fast ? -1 : 0);
  };
  Expected e;
  bool long_now = false;
  std::int64_t entry = 0, entry_fee = 0;
  for (std::size_t t = static_cast<std::size_t>(slow); t < bars.size(); ++t) {
    const int before = sign_at(t - 1), now = sign_at(t);
    const bool up = before <= 0 && now > 0;
    const bool down = before >= 0 && now < 0;
    if (!(up && !long_now) && !(down && long_now)) continue;
    ++e.orders;
    if (t + 1 >= bars.size()) break;  // decided on the last bar: nothing left to fill it
    const std::int64_t price = bars[t + 1].open;
    const std::int64_t fee = fee_of(price);
    e.fills.push_back(ExpectedFill{t + 1, up, price});
    e.fees += fee;
    if (up) {
      cash -= price * kCentToMoney + fee;
      entry = price;
      entry_fee = fee;
      long_now = true;
    } else {
      cash += price * kCentToMoney - fee;
      e.trades.push_back(
          ExpectedTrade{entry, price, (price - entry) * kCentToMoney - entry_fee - fee, entry_fee + fee});
      long_now = false;
    }
  }
  e.long_at_end = long_now;
  e.final_equity = cash + (long_now ? bars.back().close * kCentToMoney : 0);
  return e;
}

// ------------------------------------------------------------------------------------------

TEST(EndToEndBtc, SmaCrossOnOneDayOfRealBarsMatchesAnIndependentComputation) {
  const std::vector<CsvBar> plain = read_plain(kCsv);
  ASSERT_EQ(plain.size(), 1'440u);
  ASSERT_EQ(plain.front().time, "2022-01-01 00:00:00.000000");
  ASSERT_EQ(plain.back().time, "2022-01-01 23:59:00.000000");

  auto series = read_ohlcv_csv(kCsv, OhlcvCsvOptions{});
  ASSERT_TRUE(series.ok()) << series.error().message;
  ASSERT_EQ(series->bars.size(), plain.size());
  // Quarter-dollar prices occur (e.g. the 03:03 bar opens at 46821.75), so the reader keeps cents.
  ASSERT_EQ(series->price_decimals, 2);

  TempDir dir;
  BacktestConfig config;
  config.instrument.id = InstrumentId{0};
  config.instrument.symbol = "BTC-PERP";
  config.instrument.price_decimals = series->price_decimals;
  config.instrument.qty_decimals = 8;  // as the CLI does; 1 BTC = 100,000,000 units
  config.instrument.taker_fee = FeeRate::from_bps(10);
  config.instrument.maker_fee = FeeRate::from_bps(10);
  config.starting_cash = Money::from_raw(100'000 * testing_support::kMoneyUnit);
  config.risk_profile = RiskProfile::kResearch;
  config.venue.timing = FillTiming::kNextOpen;
  config.journal_path = dir.file("btc.journal");
  config.strategy_name = "sma_cross";
  auto strategy = make_strategy("sma_cross", {{"fast", "10"}, {"slow", "30"}}, *Sizing::parse("1"));
  ASSERT_TRUE(strategy.ok()) << strategy.error().message;
  auto run = run_backtest(config, series->bars, **strategy);
  ASSERT_TRUE(run.ok()) << run.error().message;
  const BacktestResult& r = *run;

  const Expected e = independent(plain, 10, 30, config.starting_cash.raw);

  // The hand-checked first two trades (comment at the top), independently of both programs.
  ASSERT_GE(e.fills.size(), 4u);
  EXPECT_EQ(e.fills[0].bar, 75u);
  EXPECT_EQ(e.fills[0].price_cents, 4'675'200);
  EXPECT_EQ(e.fills[1].bar, 103u);
  EXPECT_EQ(e.fills[1].price_cents, 4'674'800);
  EXPECT_EQ(e.fills[2].bar, 120u);
  EXPECT_EQ(e.fills[2].price_cents, 4'680'200);
  EXPECT_EQ(e.fills[3].bar, 153u);
  EXPECT_EQ(e.fills[3].price_cents, 4'681'600);
  ASSERT_GE(e.trades.size(), 2u);
  EXPECT_EQ(e.trades[0].pnl, -9'750'000'000);  // -97.50
  EXPECT_EQ(e.trades[1].pnl, -7'961'800'000);  // -79.618

  // The engine against the independent computation.
  ASSERT_TRUE(r.strategy_errors.empty()) << r.strategy_errors.front();
  ASSERT_EQ(r.fills.size(), e.fills.size());
  for (std::size_t i = 0; i < e.fills.size(); ++i) {
    SCOPED_TRACE("fill " + std::to_string(i) + " at bar " + std::to_string(e.fills[i].bar));
    const FillRecord& f = r.fills[i];
    EXPECT_EQ(f.side, e.fills[i].buy ? Side::kBuy : Side::kSell);
    EXPECT_EQ(f.price.raw, e.fills[i].price_cents);
    EXPECT_EQ(f.qty.raw, 100'000'000);  // 1 BTC
    EXPECT_EQ(f.fee.raw, fee_of(e.fills[i].price_cents));
    EXPECT_EQ(f.time.ns, (kDayStartSeconds + 60 * static_cast<std::int64_t>(e.fills[i].bar)) * 1'000'000'000);
    EXPECT_FALSE(f.maker);
  }
  ASSERT_EQ(r.closed_trades.size(), e.trades.size());
  for (std::size_t i = 0; i < e.trades.size(); ++i) {
    SCOPED_TRACE("trade " + std::to_string(i));
    const ClosedTrade& t = r.closed_trades[i];
    EXPECT_EQ(t.side, Side::kBuy);
    EXPECT_EQ(t.qty.raw, 100'000'000);
    EXPECT_EQ(t.entry_price.raw, e.trades[i].entry_cents);
    EXPECT_EQ(t.exit_price.raw, e.trades[i].exit_cents);
    EXPECT_EQ(t.pnl.raw, e.trades[i].pnl);
    EXPECT_EQ(t.fees.raw, e.trades[i].fees);
  }
  EXPECT_EQ(r.fees.raw, e.fees);
  EXPECT_EQ(r.final_equity.raw, e.final_equity);
  EXPECT_EQ(r.final_position.raw, e.long_at_end ? 100'000'000 : 0);
  EXPECT_EQ(r.equity_curve.size(), 1'440u);
  EXPECT_EQ(r.equity_curve.back().equity, r.final_equity);
  EXPECT_EQ(r.decisions.approved, e.orders);
  EXPECT_EQ(r.decisions.reduced, 0u);
  EXPECT_EQ(r.decisions.rejected, 0u);
  testing_support::expect_journal_verifies(config.journal_path);
  EXPECT_EQ(testing_support::count_records(config.journal_path, "decision"), e.orders);

  // For the report: the headline numbers of this run.
  std::cout << "[ e2e ] fills " << r.fills.size() << ", closed trades " << r.closed_trades.size() << ", orders "
            << e.orders << ", fees " << to_string(r.fees) << ", final equity " << to_string(r.final_equity)
            << (e.long_at_end ? " (long 1 BTC at the end)" : "") << "\n";
}

}  // namespace
}  // namespace cst
