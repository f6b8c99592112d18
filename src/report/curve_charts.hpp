// The report's charts of the equity curve (private to the report module): equity, buy-and-hold
// and drawdown, each downsampled to at most max_points with downsample_min_max's rule, from one
// walk over the curve and without a per-bar vector of any of the three series.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "cst/engine/backtest_result.hpp"
#include "cst/report/svg_chart.hpp"

namespace cst::report::html {

struct CurveCharts {
  std::vector<ChartPoint> equity;                       // empty only for an empty curve
  std::optional<std::vector<ChartPoint>> buy_and_hold;  // when asked for
  std::vector<ChartPoint> drawdown;                     // negative: percent below the peak
};

// x is seconds since the epoch. Buy and hold is starting_cash bought at the first close and
// held, over the bars whose close is known; it is left out (nullopt) unless asked for and
// starting_cash is positive.
CurveCharts downsample_curve(const BacktestResult& result, bool with_buy_and_hold, std::size_t max_points);

}  // namespace cst::report::html
