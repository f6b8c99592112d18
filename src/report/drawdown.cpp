#include "cst/report/drawdown.hpp"

#include <algorithm>
#include <limits>

namespace cst::report {

namespace {

double percent_below(Money peak, Money equity) {
  if (!peak.is_positive() || equity >= peak) return 0;
  // The difference is exact in integers; only the ratio goes through double. It leaves int64
  // when equity is far below zero, hence 128 bits (and the int64 conversion whenever it fits).
  const int128 fall = static_cast<int128>(peak.raw) - equity.raw;
  const double fall_units = fall <= std::numeric_limits<std::int64_t>::max()
                                ? to_double(Money::from_raw(static_cast<std::int64_t>(fall)))
                                : static_cast<double>(fall) / static_cast<double>(pow10(kMoneyDecimals));
  return fall_units / to_double(peak) * 100.0;
}

Money initial_peak(const EquityPoint& first, Money starting_cash) {
  return starting_cash.is_positive() ? starting_cash : first.equity;
}

}  // namespace

std::vector<double> drawdown_pct_series(const std::vector<EquityPoint>& curve, Money starting_cash) {
  std::vector<double> out;
  if (curve.empty()) return out;
  out.reserve(curve.size());
  Money peak = initial_peak(curve.front(), starting_cash);
  for (const EquityPoint& p : curve) {
    peak = std::max(peak, p.equity);
    out.push_back(percent_below(peak, p.equity));
  }
  return out;
}

DrawdownSummary summarize_drawdown(const std::vector<EquityPoint>& curve, Money starting_cash) {
  if (curve.empty()) return {};
  DrawdownTracker tracker(starting_cash, curve.front());
  for (const EquityPoint& p : curve) tracker.add(p);
  return tracker.summary();
}

double DrawdownTracker::percent_below_peak(Money peak, Money equity) { return percent_below(peak, equity); }

DrawdownTracker::DrawdownTracker(Money starting_cash, const EquityPoint& first)
    : peak_(initial_peak(first, starting_cash)), peak_time_(first.time), last_time_(first.time) {}

void DrawdownTracker::end_stretch(std::size_t index, Timestamp time) {
  done_.max_duration_bars = std::max<std::uint64_t>(done_.max_duration_bars, index - underwater_since_);
  done_.max_duration = std::max(done_.max_duration, time - peak_time_);
  underwater_ = false;
}

void DrawdownTracker::new_low(std::size_t index, Money equity) {
  if (!underwater_) {
    underwater_ = true;
    underwater_since_ = index;
  }
  stretch_low_ = equity;
  done_.max_pct = std::max(done_.max_pct, percent_below(peak_, equity));
}

DrawdownSummary DrawdownTracker::summary() const {
  DrawdownSummary s = done_;
  if (underwater_) {  // never recovered: the stretch runs to the last bar
    s.max_duration_bars = std::max<std::uint64_t>(s.max_duration_bars, count_ - underwater_since_);
    s.max_duration = std::max(s.max_duration, last_time_ - peak_time_);
  }
  return s;
}

}  // namespace cst::report
