// Drawdown of an equity curve: how far equity sits below its running peak, and for how long.
//
// Contract: the running peak starts at starting_cash when it is positive (a loss on the first
// bar is a drawdown), otherwise at the first point. Drawdown at a point is
// (peak - equity) / peak * 100, a non-negative percent; it is 0 while the peak is not positive.
// A point at or above the peak ends an underwater stretch. Durations are maximized separately:
// the most consecutive bars below the peak, and the longest time from a peak (the first bar's
// time when the peak is the starting cash) to the bar that recovered it, or to the last bar if
// it never did.
#pragma once

#include <cstdint>
#include <vector>

#include "cst/core/fixed_point.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/engine/backtest_result.hpp"

namespace cst::report {

struct DrawdownSummary {
  double max_pct = 0;                   // largest peak-to-trough fall, percent of the peak
  std::uint64_t max_duration_bars = 0;  // most consecutive bars below the running peak
  Duration max_duration;                // longest peak-to-recovery (or peak-to-end) time
};

// Drawdown percent at every point of the curve (same length as the curve).
std::vector<double> drawdown_pct_series(const std::vector<EquityPoint>& curve, Money starting_cash);

DrawdownSummary summarize_drawdown(const std::vector<EquityPoint>& curve, Money starting_cash);

}  // namespace cst::report
