// Drawdown of an equity curve: how far equity sits below its running peak, and for how long.
//
// Contract: the running peak starts at starting_cash when it is positive (a loss on the first
// bar is a drawdown), otherwise at the first point. Drawdown at a point is
// (peak - equity) / peak * 100, a non-negative percent; it is 0 while the peak is not positive.
// The difference is taken exactly (128 bits), so a fall deeper than int64 is measured, not wrapped.
// A point at or above the peak ends an underwater stretch. Durations are maximized separately:
// the most consecutive bars below the peak, and the longest time from a peak (the first bar's
// time when the peak is the starting cash) to the bar that recovered it, or to the last bar if
// it never did.
#pragma once

#include <cstddef>
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

// The running state behind both functions, for callers that walk a long curve once for several
// purposes (statistics, the drawdown chart). Add every point of the curve in order, starting
// with `first`; summary() then equals summarize_drawdown over the points added so far.
class DrawdownTracker {
 public:
  DrawdownTracker(Money starting_cash, const EquityPoint& first);

  // Takes the next point. True when it is at or above the running peak: its drawdown is 0 and,
  // when above, the peak moves, so drawdown_pct is a new function of equity from here on.
  bool add(const EquityPoint& p) {
    const std::size_t i = count_++;
    last_time_ = p.time;
    if (p.equity >= peak_) {
      if (underwater_) end_stretch(i, p.time);
      peak_ = p.equity;
      peak_time_ = p.time;
      return true;
    }
    // The peak is fixed within a stretch and the percent falls as equity rises, so the
    // stretch's deepest point is one of its new lows: only those need the division.
    if (!underwater_ || p.equity < stretch_low_) new_low(i, p.equity);
    return false;
  }

  // Drawdown percent of `equity` below the current peak, as drawdown_pct_series gives it.
  double drawdown_pct(Money equity) const { return equity >= peak_ ? 0 : percent_below_peak(peak_, equity); }

  DrawdownSummary summary() const;

 private:
  static double percent_below_peak(Money peak, Money equity);
  void end_stretch(std::size_t index, Timestamp time);  // recovered at this bar
  void new_low(std::size_t index, Money equity);

  Money peak_;
  Timestamp peak_time_;
  Timestamp last_time_;
  std::size_t count_ = 0;
  std::size_t underwater_since_ = 0;
  bool underwater_ = false;
  Money stretch_low_;     // lowest equity of the current underwater stretch
  DrawdownSummary done_;  // stretches already closed, and max_pct so far
};

}  // namespace cst::report
