#include "cst/report/drawdown.hpp"

#include <algorithm>

namespace cst::report {

namespace {

double percent_below(Money peak, Money equity) {
  if (!peak.is_positive() || equity >= peak) return 0;
  // The difference is exact in integers; only the ratio goes through double.
  return to_double(peak - equity) / to_double(peak) * 100.0;
}

Money initial_peak(const std::vector<EquityPoint>& curve, Money starting_cash) {
  return starting_cash.is_positive() ? starting_cash : curve.front().equity;
}

}  // namespace

std::vector<double> drawdown_pct_series(const std::vector<EquityPoint>& curve, Money starting_cash) {
  std::vector<double> out;
  if (curve.empty()) return out;
  out.reserve(curve.size());
  Money peak = initial_peak(curve, starting_cash);
  for (const EquityPoint& p : curve) {
    peak = std::max(peak, p.equity);
    out.push_back(percent_below(peak, p.equity));
  }
  return out;
}

DrawdownSummary summarize_drawdown(const std::vector<EquityPoint>& curve, Money starting_cash) {
  DrawdownSummary s;
  if (curve.empty()) return s;
  Money peak = initial_peak(curve, starting_cash);
  Timestamp peak_time = curve.front().time;
  std::size_t underwater_since = 0;
  bool underwater = false;
  for (std::size_t i = 0; i < curve.size(); ++i) {
    const EquityPoint& p = curve[i];
    if (p.equity >= peak) {
      if (underwater) {  // recovered: the stretch ends at this bar
        s.max_duration_bars = std::max<std::uint64_t>(s.max_duration_bars, i - underwater_since);
        s.max_duration = std::max(s.max_duration, p.time - peak_time);
        underwater = false;
      }
      peak = p.equity;
      peak_time = p.time;
      continue;
    }
    if (!underwater) {
      underwater = true;
      underwater_since = i;
    }
    s.max_pct = std::max(s.max_pct, percent_below(peak, p.equity));
  }
  if (underwater) {  // never recovered: the stretch runs to the last bar
    s.max_duration_bars = std::max<std::uint64_t>(s.max_duration_bars, curve.size() - underwater_since);
    s.max_duration = std::max(s.max_duration, curve.back().time - peak_time);
  }
  return s;
}

}  // namespace cst::report
