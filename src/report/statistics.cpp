#include "cst/report/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "cst/report/drawdown.hpp"

namespace cst::report {

namespace {

constexpr std::int64_t kNsPerDay = 86'400'000'000'000;

Result<Money> to_money(int128 v, const char* what) {
  if (v > std::numeric_limits<std::int64_t>::max() || v < std::numeric_limits<std::int64_t>::min()) {
    return make_error(ErrorCode::kOverflow, std::string(what) + " does not fit in Money");
  }
  return Money::from_raw(static_cast<std::int64_t>(v));
}

// v / d rounded half-to-even, d > 0.
int128 div_half_even(int128 v, int128 d) {
  int128 q = v / d;
  int128 r = v % d;
  if (r < 0) {  // floor division, so the remainder is in [0, d)
    q -= 1;
    r += d;
  }
  if (2 * r > d || (2 * r == d && q % 2 != 0)) q += 1;
  return q;
}

double cagr(const BacktestResult& r, Duration interval) {
  if (r.equity_curve.empty() || !r.starting_cash.is_positive()) return 0;
  const std::int64_t span = (r.equity_curve.back().time - r.equity_curve.front().time).ns + interval.ns;
  if (span < kNsPerDay) return 0;
  if (!r.final_equity.is_positive()) return -1;
  const double ratio = to_double(r.final_equity) / to_double(r.starting_cash);
  const double years = static_cast<double>(span) / (365.0 * static_cast<double>(kNsPerDay));
  return std::pow(ratio, 1.0 / years) - 1.0;
}

// What the statistics need from the equity curve that one walk over it can give; a long curve
// is read once here instead of once per statistic.
struct CurveWalk {
  DrawdownSummary drawdown;
  std::uint64_t exposed = 0;  // points with a non-zero position
  std::vector<EquityPoint> day_ends;
};

CurveWalk walk_curve(const std::vector<EquityPoint>& curve, Money starting_cash) {
  CurveWalk w;
  DrawdownTracker drawdown(starting_cash, curve.front());
  DayEndCollector days;
  for (const EquityPoint& p : curve) {
    drawdown.add(p);
    days.add(p);
    w.exposed += p.position.is_zero() ? 0 : 1;
  }
  w.drawdown = drawdown.summary();
  w.day_ends = std::move(days).take();
  return w;
}

void fill_curve_stats(const BacktestResult& r, Statistics& s) {
  const auto& curve = r.equity_curve;
  s.equity_points = curve.size();
  s.median_bar_interval = median_bar_interval(curve);
  s.cagr = cagr(r, s.median_bar_interval);
  if (curve.empty()) return;  // no drawdown, no returns: the zeros Statistics starts with

  const CurveWalk walk = walk_curve(curve, r.starting_cash);
  s.max_drawdown_pct = walk.drawdown.max_pct;
  s.max_drawdown_duration_bars = walk.drawdown.max_duration_bars;
  s.max_drawdown_duration = walk.drawdown.max_duration;

  const ReturnSummary returns = summarize_returns(curve, s.median_bar_interval, walk.day_ends);
  s.return_basis = returns.basis;
  s.return_samples = returns.samples;
  s.periods_per_year = returns.periods_per_year;
  s.sharpe = returns.ratios.sharpe;
  s.sortino = returns.ratios.sortino;
  s.volatility_pct = returns.ratios.volatility_pct;

  s.exposure_pct = static_cast<double>(walk.exposed) / static_cast<double>(curve.size()) * 100.0;
  const Price first = curve.front().close;
  const Price last = curve.back().close;
  if (first.is_positive() && last.is_positive()) {
    s.has_buy_and_hold = true;
    // Both closes share the instrument's scale, so the ratio of raw counts is the price ratio.
    s.buy_and_hold_return_pct = (static_cast<double>(last.raw) / static_cast<double>(first.raw) - 1.0) * 100.0;
  }
}

Status fill_trade_stats(const std::vector<ClosedTrade>& trades, Statistics& s) {
  s.closed_trades = trades.size();
  if (trades.empty()) return Status::Ok();
  int128 profit = 0;
  int128 loss = 0;
  Money best = trades.front().pnl;
  Money worst = trades.front().pnl;
  for (const ClosedTrade& t : trades) {
    if (t.pnl.is_positive()) {
      ++s.winning_trades;
      profit += t.pnl.raw;
    } else if (t.pnl.is_negative()) {
      ++s.losing_trades;
      loss -= t.pnl.raw;
    }
    best = std::max(best, t.pnl);
    worst = std::min(worst, t.pnl);
  }
  auto gp = to_money(profit, "gross profit");
  auto gl = to_money(loss, "gross loss");
  auto avg = to_money(div_half_even(profit - loss, static_cast<int128>(trades.size())), "average trade pnl");
  if (!gp.ok()) return gp.error();
  if (!gl.ok()) return gl.error();
  if (!avg.ok()) return avg.error();
  s.gross_profit = *gp;
  s.gross_loss = *gl;
  s.avg_trade_pnl = *avg;
  s.best_trade_pnl = best;
  s.worst_trade_pnl = worst;
  s.win_rate = static_cast<double>(s.winning_trades) / static_cast<double>(trades.size());
  if (loss > 0) s.profit_factor = to_double(*gp) / to_double(*gl);
  return Status::Ok();
}

}  // namespace

Result<Statistics> compute_statistics(const BacktestResult& result) {
  Statistics s;
  s.starting_cash = result.starting_cash;
  s.final_equity = result.final_equity;
  auto net = to_money(static_cast<int128>(result.final_equity.raw) - result.starting_cash.raw, "net pnl");
  if (!net.ok()) return net.error();
  s.net_pnl = *net;
  if (result.starting_cash.is_positive()) {
    s.return_pct = to_double(s.net_pnl) / to_double(result.starting_cash) * 100.0;
  }
  s.fills = result.fills.size();
  s.fees = result.fees;
  fill_curve_stats(result, s);
  Status trades = fill_trade_stats(result.closed_trades, s);
  if (!trades.ok()) return trades.error();
  return s;
}

}  // namespace cst::report
