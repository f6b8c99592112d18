// Statistics and drawdown on small hand-computed curves and trade lists.
#include "cst/report/statistics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>

#include "cst/core/rng.hpp"
#include "cst/report/drawdown.hpp"

namespace cst::report {
namespace {

Money money(std::string_view text) { return parse_money(text).value(); }

Timestamp hour(int h) { return Timestamp::from_seconds(days_from_civil(2024, 3, 1) * 86400 + h * 3600); }

// Hourly points starting at hour 1.
std::vector<EquityPoint> hourly(std::initializer_list<const char*> equities) {
  std::vector<EquityPoint> out;
  int h = 1;
  for (const char* e : equities) out.push_back(EquityPoint{hour(h++), money(e), Qty{}, Price{}});
  return out;
}

BacktestResult run_with_curve(std::initializer_list<const char*> equities, std::string_view start) {
  BacktestResult r;
  r.starting_cash = money(start);
  r.equity_curve = hourly(equities);
  r.final_equity = r.equity_curve.back().equity;
  r.bars = r.equity_curve.size();
  return r;
}

ClosedTrade trade(std::string_view pnl) {
  ClosedTrade t;
  t.pnl = money(pnl);
  return t;
}

TEST(Statistics, ReturnAndDrawdownOfSimpleCurve) {
  // 100, 110, 99, 120 from 100: return 20%; the only fall is 110 -> 99 = 11/110 = 10%.
  // Underwater for one bar (99), peak at hour 2, recovered at hour 4: 2 hours.
  const auto s = compute_statistics(run_with_curve({"100", "110", "99", "120"}, "100")).value();
  EXPECT_DOUBLE_EQ(s.return_pct, 20.0);
  EXPECT_DOUBLE_EQ(s.max_drawdown_pct, 10.0);
  EXPECT_EQ(s.max_drawdown_duration_bars, 1u);
  EXPECT_EQ(s.max_drawdown_duration, Duration::from_seconds(2 * 3600));
  EXPECT_EQ(s.net_pnl, money("20"));
  EXPECT_EQ(s.final_equity, money("120"));
}

TEST(Statistics, DrawdownKeepsLargestFallAcrossNewPeaks) {
  // 100, 120, 90, 95, 130, 104: fall 120 -> 90 = 25%; new peak 130, fall to 104 = 20%.
  // Max 25%. Stretches: {90, 95} = 2 bars, 120 (h2) -> recovery 130 (h5) = 3 h;
  // {104} = 1 bar, 130 (h5) -> end (h6) = 1 h. Longest: 2 bars, 3 hours.
  const auto r = run_with_curve({"100", "120", "90", "95", "130", "104"}, "100");
  const DrawdownSummary dd = summarize_drawdown(r.equity_curve, r.starting_cash);
  EXPECT_DOUBLE_EQ(dd.max_pct, 25.0);
  EXPECT_EQ(dd.max_duration_bars, 2u);
  EXPECT_EQ(dd.max_duration, Duration::from_seconds(3 * 3600));
  const std::vector<double> series = drawdown_pct_series(r.equity_curve, r.starting_cash);
  ASSERT_EQ(series.size(), 6u);
  EXPECT_DOUBLE_EQ(series[2], 25.0);
  EXPECT_NEAR(series[3], 25.0 / 120.0 * 100.0, 1e-12);  // 95 is 25 below 120
  EXPECT_DOUBLE_EQ(series[4], 0.0);
  EXPECT_DOUBLE_EQ(series[5], 20.0);
}

TEST(Statistics, DrawdownStartsFromStartingCash) {
  // Start 100; first bar 98 (fees) is already 2% below the peak; 99 is 1%; 101 recovers.
  // Stretch {98, 99}: 2 bars, from the first bar (h1) to the recovery (h3) = 2 h.
  const auto r = run_with_curve({"98", "99", "101"}, "100");
  const DrawdownSummary dd = summarize_drawdown(r.equity_curve, r.starting_cash);
  EXPECT_DOUBLE_EQ(dd.max_pct, 2.0);
  EXPECT_EQ(dd.max_duration_bars, 2u);
  EXPECT_EQ(dd.max_duration, Duration::from_seconds(2 * 3600));
}

TEST(Statistics, UnrecoveredDrawdownRunsToLastBar) {
  // Peak 110 at h2; 105, 100, 108 never get back: 3 bars, h2 -> h5 = 3 h; max 100/110.
  const auto r = run_with_curve({"100", "110", "105", "100", "108"}, "100");
  const DrawdownSummary dd = summarize_drawdown(r.equity_curve, r.starting_cash);
  EXPECT_NEAR(dd.max_pct, 10.0 / 110.0 * 100.0, 1e-12);
  EXPECT_EQ(dd.max_duration_bars, 3u);
  EXPECT_EQ(dd.max_duration, Duration::from_seconds(3 * 3600));
}

TEST(Statistics, WinRateProfitFactorAndTradeExtremes) {
  // +30, -10, +20, 0, -20: wins 2, losses 2 (0 is neither), win rate 2/5 = 0.4;
  // gross profit 50, gross loss 30, profit factor 5/3; average 20/5 = 4; best 30, worst -20.
  BacktestResult r = run_with_curve({"100"}, "100");
  for (const char* p : {"30", "-10", "20", "0", "-20"}) r.closed_trades.push_back(trade(p));
  const auto s = compute_statistics(r).value();
  EXPECT_EQ(s.closed_trades, 5u);
  EXPECT_EQ(s.winning_trades, 2u);
  EXPECT_EQ(s.losing_trades, 2u);
  EXPECT_DOUBLE_EQ(s.win_rate, 0.4);
  ASSERT_TRUE(s.profit_factor.has_value());
  EXPECT_DOUBLE_EQ(*s.profit_factor, 50.0 / 30.0);
  EXPECT_EQ(s.gross_profit, money("50"));
  EXPECT_EQ(s.gross_loss, money("30"));
  EXPECT_EQ(s.avg_trade_pnl, money("4"));
  EXPECT_EQ(s.best_trade_pnl, money("30"));
  EXPECT_EQ(s.worst_trade_pnl, money("-20"));
}

TEST(Statistics, ProfitFactorUndefinedWithoutLosses) {
  BacktestResult r = run_with_curve({"100"}, "100");
  r.closed_trades = {trade("5"), trade("7")};
  const auto s = compute_statistics(r).value();
  EXPECT_FALSE(s.profit_factor.has_value());
  EXPECT_DOUBLE_EQ(s.win_rate, 1.0);
}

TEST(Statistics, AverageTradePnlRoundsHalfToEven) {
  // Raw units: (5 + 0) / 2 = 2.5 -> 2; (7 + 0) / 2 = 3.5 -> 4; (-5 + 0) / 2 = -2.5 -> -2.
  const std::pair<std::int64_t, std::int64_t> cases[] = {{5, 2}, {7, 4}, {-5, -2}};
  for (const auto& [sum, expected] : cases) {
    BacktestResult r = run_with_curve({"100"}, "100");
    ClosedTrade a;
    a.pnl = Money::from_raw(sum);
    r.closed_trades = {a, ClosedTrade{}};
    EXPECT_EQ(compute_statistics(r).value().avg_trade_pnl.raw, expected) << "sum " << sum;
  }
}

TEST(Statistics, ExposureAndBuyAndHold) {
  // Position non-zero on 2 of 4 bars -> 50%; close 100 -> 150 -> buy and hold +50%.
  BacktestResult r = run_with_curve({"100", "101", "102", "103"}, "100");
  const std::int64_t positions[] = {0, 5, -5, 0};
  const std::int64_t closes[] = {100, 90, 200, 150};
  for (std::size_t i = 0; i < 4; ++i) {
    r.equity_curve[i].position = Qty::from_raw(positions[i]);
    r.equity_curve[i].close = Price::from_raw(closes[i]);
  }
  const auto s = compute_statistics(r).value();
  EXPECT_DOUBLE_EQ(s.exposure_pct, 50.0);
  ASSERT_TRUE(s.has_buy_and_hold);
  EXPECT_DOUBLE_EQ(s.buy_and_hold_return_pct, 50.0);
}

TEST(Statistics, NoBuyAndHoldWithoutCloses) {
  EXPECT_FALSE(compute_statistics(run_with_curve({"100", "101"}, "100")).value().has_buy_and_hold);
}

TEST(Statistics, CagrOverOneYearOfDailyBars) {
  // 365 daily points: covered span 364 d + 1 d median interval = 1 year; 100 -> 200 -> 100%.
  BacktestResult r;
  r.starting_cash = money("100");
  for (int d = 0; d < 365; ++d) {
    r.equity_curve.push_back(
        EquityPoint{Timestamp::from_seconds(std::int64_t{d} * 86400), money(d == 364 ? "200" : "100"), Qty{}, Price{}});
  }
  r.final_equity = money("200");
  EXPECT_NEAR(compute_statistics(r).value().cagr, 1.0, 1e-12);
}

TEST(Statistics, CagrIsZeroForRunsShorterThanADay) {
  EXPECT_EQ(compute_statistics(run_with_curve({"100", "150"}, "100")).value().cagr, 0.0);
}

TEST(Statistics, EmptyRunHasNoDivisionByZero) {
  for (std::size_t bars : {0u, 1u}) {
    BacktestResult r;
    if (bars == 1) r = run_with_curve({"0"}, "0");  // nothing set at all: zero cash too
    const auto s = compute_statistics(r).value();
    for (double v : {s.return_pct, s.cagr, s.max_drawdown_pct, s.sharpe, s.sortino, s.volatility_pct, s.exposure_pct,
                     s.win_rate, s.periods_per_year}) {
      EXPECT_TRUE(std::isfinite(v));
      EXPECT_EQ(v, 0.0);
    }
    EXPECT_EQ(s.closed_trades, 0u);
    EXPECT_FALSE(s.profit_factor.has_value());
    EXPECT_EQ(s.return_basis, ReturnBasis::kNone);
  }
}

TEST(Statistics, FillsAndFeesComeFromTheResult) {
  BacktestResult r = run_with_curve({"100"}, "100");
  r.fills.resize(3);
  r.fees = money("1.23456789");
  const auto s = compute_statistics(r).value();
  EXPECT_EQ(s.fills, 3u);
  EXPECT_EQ(s.fees, money("1.23456789"));
}

TEST(Statistics, MoneySumOverflowIsAnError) {
  BacktestResult r = run_with_curve({"100"}, "100");
  ClosedTrade big;
  big.pnl = Money::from_raw(std::numeric_limits<std::int64_t>::max());
  r.closed_trades = {big, big};
  const auto s = compute_statistics(r);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kOverflow);
}

// compute_statistics walks a long curve once for several numbers; each must equal what the
// single-purpose helpers give for it.
TEST(Statistics, LongCurveAgreesWithTheHelpers) {
  Rng rng(21);
  BacktestResult r;
  r.starting_cash = money("100000");
  std::int64_t e = r.starting_cash.raw;
  for (std::int64_t i = 0; i < 300'000; ++i) {
    e += static_cast<std::int64_t>(rng.normal() * 1e9);
    r.equity_curve.push_back(EquityPoint{Timestamp::from_seconds(1'700'000'000 + 60 * i), Money::from_raw(e),
                                         Qty::from_raw(rng.uniform() < 0.3 ? 5 : 0), Price::from_raw(100 + i % 7)});
  }
  r.final_equity = r.equity_curve.back().equity;
  const auto s = compute_statistics(r).value();
  const DrawdownSummary dd = summarize_drawdown(r.equity_curve, r.starting_cash);
  const ReturnSeries series = select_returns(r.equity_curve);
  const RiskRatios ratios = annualized_ratios(series);
  const auto exposed = std::count_if(r.equity_curve.begin(), r.equity_curve.end(),
                                     [](const EquityPoint& p) { return !p.position.is_zero(); });
  EXPECT_EQ(s.max_drawdown_pct, dd.max_pct);
  EXPECT_EQ(s.max_drawdown_duration_bars, dd.max_duration_bars);
  EXPECT_EQ(s.max_drawdown_duration, dd.max_duration);
  EXPECT_EQ(s.median_bar_interval, Duration::from_seconds(60));
  EXPECT_EQ(s.return_basis, ReturnBasis::kDaily);
  EXPECT_EQ(s.return_samples, series.returns.size());
  EXPECT_EQ(s.sharpe, ratios.sharpe);
  EXPECT_EQ(s.sortino, ratios.sortino);
  EXPECT_EQ(s.volatility_pct, ratios.volatility_pct);
  EXPECT_EQ(s.exposure_pct, static_cast<double>(exposed) / 300'000.0 * 100.0);
}

}  // namespace
}  // namespace cst::report
