// Periodic returns of an equity curve and the annualized ratios built on them (Sharpe,
// Sortino, volatility). Statistics, not accounting: doubles are fine here (DESIGN.md 3.7).
//
// Contract (the definition the report prints; keep kRiskRatioDefinition in step):
//  * Day of a point: the UTC day of (time - 1 ns), so a bar closing exactly at 00:00 UTC ends
//    the day before. Day-end equity is the equity of the last point of each such day.
//  * Covered span: last point time - first point time + median bar interval.
//  * Daily basis when the covered span is at least 2 days and there are at least 2 daily
//    returns: simple returns between consecutive day-end equities, 365 periods per year.
//  * Otherwise per-bar basis when there are at least 2 returns between consecutive points:
//    periods per year = 365 days / median bar interval.
//  * Otherwise no basis: all ratios are 0.
//  * A return whose starting equity is not positive is undefined and skipped.
//  * sharpe = mean / sample stdev (n-1) * sqrt(periods per year), risk-free rate 0;
//    0 when the stdev is 0 (below 1e-12, which absorbs rounding of constant returns).
//  * sortino = mean / downside deviation * sqrt(periods per year), downside deviation =
//    sqrt(sum(min(r, 0)^2) / n) (target 0, Sortino & Price 1994); 0 when it is 0.
//  * volatility_pct = sample stdev * sqrt(periods per year) * 100.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "cst/core/timestamp.hpp"
#include "cst/engine/backtest_result.hpp"

namespace cst::report {

// The definition above in one paragraph, printed under the report's statistics table.
inline constexpr std::string_view kRiskRatioDefinition =
    "Sharpe = mean(r) / stdev(r) * sqrt(P), where r are the simple returns of the equity at the "
    "end of each UTC day (the last bar of the day; a bar closing at 00:00 UTC ends the previous "
    "day), stdev is the sample standard deviation (n-1), P = 365 and the risk-free rate is 0. "
    "When the run covers less than 2 days or yields fewer than 2 daily returns, r are the "
    "bar-to-bar returns and P = 365 days / median bar interval. Sharpe is 0 when the standard "
    "deviation is 0. Sortino uses the same r and P with the downside deviation "
    "sqrt(sum(min(r, 0)^2) / n) in place of the standard deviation (0 when there is no "
    "downside). Volatility = stdev(r) * sqrt(P).";

enum class ReturnBasis : std::uint8_t {
  kNone,    // fewer than 2 returns: ratios are 0
  kDaily,   // UTC day-end equity, 365 periods per year
  kPerBar,  // consecutive points, periods per year from the median bar interval
};

// "none" | "daily" | "per_bar", as written to summary.json.
std::string_view to_string(ReturnBasis basis);

struct ReturnSeries {
  ReturnBasis basis = ReturnBasis::kNone;
  std::vector<double> returns;
  double periods_per_year = 0;
};

struct RiskRatios {
  double sharpe = 0;
  double sortino = 0;
  double volatility_pct = 0;
};

// Median spacing of consecutive points (mean of the two middle ones for an even count);
// zero with fewer than two points. Exact, in O(n) time, without copying every spacing of a
// long curve (see returns.cpp).
Duration median_bar_interval(const std::vector<EquityPoint>& curve);

// Last point of each UTC day, in order (see the day rule above).
std::vector<EquityPoint> day_end_points(const std::vector<EquityPoint>& curve);

// day_end_points for a caller that walks the curve itself: add every point in order, then
// take() the same points day_end_points would return.
class DayEndCollector {
 public:
  void add(const EquityPoint& p) {
    const std::int64_t t = p.time.ns - 1;  // a bar closing at 00:00 UTC ends the day before
    if (!points_.empty() && t >= day_first_ns_ && t <= day_last_ns_) {
      points_.back() = p;  // a later point of the same day replaces the earlier one
      return;
    }
    points_.push_back(p);
    set_day(utc_day(Timestamp{t}));
  }
  std::vector<EquityPoint> take() && { return std::move(points_); }

 private:
  void set_day(std::int64_t day);  // the day of points_.back()

  std::vector<EquityPoint> points_;
  // Bounds of that day (clamped to int64): a range test instead of a division per point.
  std::int64_t day_first_ns_ = 0;
  std::int64_t day_last_ns_ = 0;
};

// The returns the ratios are computed on, chosen by the rules above.
ReturnSeries select_returns(const std::vector<EquityPoint>& curve);

// Annualized ratios of a series; all 0 for ReturnBasis::kNone.
RiskRatios annualized_ratios(const ReturnSeries& series);

// What statistics need from the returns of a (long) curve, without a vector of per-bar returns.
struct ReturnSummary {
  ReturnBasis basis = ReturnBasis::kNone;
  std::uint64_t samples = 0;  // returns.size()
  double periods_per_year = 0;
  RiskRatios ratios;
};

// The same basis, sample count, periods per year and ratios (bit for bit) as
// annualized_ratios(select_returns(curve)); the caller passes what it already computed:
// median_interval = median_bar_interval(curve), day_ends = day_end_points(curve).
ReturnSummary summarize_returns(const std::vector<EquityPoint>& curve, Duration median_interval,
                                const std::vector<EquityPoint>& day_ends);

}  // namespace cst::report
