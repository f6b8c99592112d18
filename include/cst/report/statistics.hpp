// Performance statistics of a finished backtest, computed once from its BacktestResult and
// then written by summary_json and html_report.
//
// Contract: compute_statistics is a pure function of the result (deterministic, no I/O).
// Money fields are exact (fixed-point sums and differences); ratios and percents are doubles.
// Units follow the names: *_pct are percents (12.5 means 12.5%), win_rate and cagr are
// fractions (0.125 means 12.5%). Nothing divides by zero: an empty run (no trades, one bar or
// none) gives zeros. Sharpe, Sortino and volatility are defined in returns.hpp
// (kRiskRatioDefinition); drawdown in drawdown.hpp.
//  * return_pct: (final_equity - starting_cash) / starting_cash * 100; 0 if starting_cash <= 0.
//  * cagr: (final_equity / starting_cash)^(365 days / covered span) - 1, covered span = last
//    bar - first bar + median bar interval; 0 when that span is under one day (annualizing
//    hours is noise), -1 when final equity is not positive.
//  * exposure_pct: share of equity points whose position is non-zero.
//  * buy_and_hold_return_pct: last close / first close - 1 over the equity points, in percent;
//    only when has_buy_and_hold (both closes known, i.e. positive).
//  * trades: a win has pnl > 0, a loss pnl < 0 (pnl is net of the trip's fees); win_rate =
//    wins / closed trades; profit_factor = gross profit / gross loss, empty when there is no
//    loss (no trades, or infinite); avg_trade_pnl is rounded half-to-even to the Money unit.
// Fails only with kOverflow if a money sum leaves int64.
#pragma once

#include <cstdint>
#include <optional>

#include "cst/core/fixed_point.hpp"
#include "cst/core/result.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/engine/backtest_result.hpp"
#include "cst/report/returns.hpp"

namespace cst::report {

struct Statistics {
  // Equity and return
  Money starting_cash;
  Money final_equity;
  Money net_pnl;  // final_equity - starting_cash
  double return_pct = 0;
  double cagr = 0;
  bool has_buy_and_hold = false;
  double buy_and_hold_return_pct = 0;

  // Drawdown (drawdown.hpp)
  double max_drawdown_pct = 0;
  std::uint64_t max_drawdown_duration_bars = 0;
  Duration max_drawdown_duration;

  // Risk-adjusted (returns.hpp)
  ReturnBasis return_basis = ReturnBasis::kNone;
  std::uint64_t return_samples = 0;
  double periods_per_year = 0;
  double sharpe = 0;
  double sortino = 0;
  double volatility_pct = 0;

  // Activity
  std::uint64_t equity_points = 0;
  Duration median_bar_interval;
  double exposure_pct = 0;
  std::uint64_t fills = 0;
  Money fees;

  // Closed trades
  std::uint64_t closed_trades = 0;
  std::uint64_t winning_trades = 0;
  std::uint64_t losing_trades = 0;
  double win_rate = 0;
  std::optional<double> profit_factor;
  Money gross_profit;
  Money gross_loss;  // positive: the sum of losing trades' |pnl|
  Money avg_trade_pnl;
  Money best_trade_pnl;
  Money worst_trade_pnl;
};

Result<Statistics> compute_statistics(const BacktestResult& result);

}  // namespace cst::report
