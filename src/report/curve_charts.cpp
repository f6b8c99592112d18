#include "curve_charts.hpp"

#include <algorithm>
#include <cstdint>

#include "cst/report/drawdown.hpp"
#include "cst/report/min_max_downsampler.hpp"

namespace cst::report::html {

namespace {

double seconds(Timestamp t) { return static_cast<double>(t.ns) / 1e9; }

// What starting_cash would be worth bought at the first close and held: same bars, no fees;
// drawn over the bars whose close is known.
class BuyAndHold {
 public:
  BuyAndHold(const BacktestResult& r, std::size_t known_closes, std::size_t max_points)
      : first_close_(static_cast<double>(r.equity_curve.front().close.raw)),
        cash_(to_double(r.starting_cash)),
        // y = cash * close / first_close grows with the close (cash > 0), unless statistics that
        // do not belong to this run asked for buy and hold with a first close below zero.
        close_sign_(first_close_ < 0 ? -1 : 1),
        chart_(known_closes, max_points) {}

  static bool known(const EquityPoint& p) { return p.close.is_positive(); }

  // Takes the next point whose close is known.
  void add(const EquityPoint& p) {
    chart_.add(close_sign_ * p.close.raw, [&] {
      return ChartPoint{seconds(p.time), cash_ * static_cast<double>(p.close.raw) / first_close_};
    });
  }

  std::vector<ChartPoint> take() && { return std::move(chart_).take(); }

 private:
  double first_close_;
  double cash_;
  std::int64_t close_sign_;
  MinMaxDownsampler<std::int64_t> chart_;
};

}  // namespace

CurveCharts downsample_curve(const BacktestResult& r, bool with_buy_and_hold, std::size_t max_points) {
  with_buy_and_hold = with_buy_and_hold && r.starting_cash.is_positive();
  const std::vector<EquityPoint>& curve = r.equity_curve;
  CurveCharts out;
  if (curve.empty()) return out;
  // Each series is keyed by the integer its y grows with (equity, close), so most bars are
  // decided by an integer comparison; see min_max_downsampler.hpp.
  MinMaxDownsampler<std::int64_t> equity(curve.size(), max_points);
  MinMaxDownsampler<std::int64_t> drawdown(curve.size(), max_points);
  DrawdownTracker peak(r.starting_cash, curve.front());
  // The buy-and-hold buckets depend on how many closes are known. Runs normally know them all,
  // so the walk assumes that rather than count first, and draws the series again if not.
  BuyAndHold hold(r, curve.size(), max_points);
  std::size_t known_closes = 0;

  for (const EquityPoint& p : curve) {
    equity.add(p.equity.raw, [&p] { return ChartPoint{seconds(p.time), to_double(p.equity)}; });
    // Below a fixed peak the drawdown deepens as equity falls, so -drawdown grows with equity;
    // a new peak changes that function, hence the restart.
    const bool at_peak = peak.add(p);
    const auto below_peak = [&] { return ChartPoint{seconds(p.time), -peak.drawdown_pct(p.equity)}; };
    drawdown.add(p.equity.raw, below_peak, at_peak);
    if (with_buy_and_hold && BuyAndHold::known(p)) {
      ++known_closes;
      hold.add(p);
    }
  }
  out.equity = std::move(equity).take();
  out.drawdown = std::move(drawdown).take();
  if (!with_buy_and_hold) return out;
  if (known_closes == curve.size()) {
    out.buy_and_hold = std::move(hold).take();
    return out;
  }
  BuyAndHold known_only(r, known_closes, max_points);
  for (const EquityPoint& p : curve) {
    if (BuyAndHold::known(p)) known_only.add(p);
  }
  out.buy_and_hold = std::move(known_only).take();
  return out;
}

}  // namespace cst::report::html
