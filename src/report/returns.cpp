#include "cst/report/returns.hpp"

#include <algorithm>
#include <cmath>

namespace cst::report {

namespace {

constexpr std::int64_t kNsPerDay = 86'400'000'000'000;
constexpr double kNsPerYear = 365.0 * static_cast<double>(kNsPerDay);
// Returns of a constant-rate curve differ only by rounding; treat such spread as none.
constexpr double kZeroStdev = 1e-12;

std::vector<double> simple_returns(const std::vector<EquityPoint>& points) {
  std::vector<double> out;
  if (points.size() < 2) return out;
  out.reserve(points.size() - 1);
  for (std::size_t i = 1; i < points.size(); ++i) {
    const Money prev = points[i - 1].equity;
    if (!prev.is_positive()) continue;  // undefined: nothing to return on
    const double change = to_double(points[i].equity - prev);
    out.push_back(change / to_double(prev));
  }
  return out;
}

double covered_span_ns(const std::vector<EquityPoint>& curve) {
  if (curve.empty()) return 0;
  const double span = static_cast<double>((curve.back().time - curve.front().time).ns);
  return span + static_cast<double>(median_bar_interval(curve).ns);
}

}  // namespace

std::string_view to_string(ReturnBasis basis) {
  switch (basis) {
    case ReturnBasis::kNone: return "none";
    case ReturnBasis::kDaily: return "daily";
    case ReturnBasis::kPerBar: return "per_bar";
  }
  return "none";
}

Duration median_bar_interval(const std::vector<EquityPoint>& curve) {
  if (curve.size() < 2) return Duration{};
  std::vector<std::int64_t> gaps;
  gaps.reserve(curve.size() - 1);
  for (std::size_t i = 1; i < curve.size(); ++i) gaps.push_back((curve[i].time - curve[i - 1].time).ns);
  const std::size_t mid = gaps.size() / 2;
  std::nth_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(mid), gaps.end());
  const std::int64_t upper = gaps[mid];
  if (gaps.size() % 2 == 1) return Duration{upper};
  const std::int64_t lower = *std::max_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(mid));
  return Duration{lower + (upper - lower) / 2};  // no overflow, unlike (lower + upper) / 2
}

std::vector<EquityPoint> day_end_points(const std::vector<EquityPoint>& curve) {
  std::vector<EquityPoint> out;
  for (const EquityPoint& p : curve) {
    const std::int64_t day = utc_day(Timestamp{p.time.ns - 1});
    if (!out.empty() && utc_day(Timestamp{out.back().time.ns - 1}) == day) {
      out.back() = p;  // a later point of the same day replaces the earlier one
    } else {
      out.push_back(p);
    }
  }
  return out;
}

ReturnSeries select_returns(const std::vector<EquityPoint>& curve) {
  ReturnSeries s;
  if (covered_span_ns(curve) >= 2.0 * static_cast<double>(kNsPerDay)) {
    std::vector<double> daily = simple_returns(day_end_points(curve));
    if (daily.size() >= 2) {
      s.basis = ReturnBasis::kDaily;
      s.returns = std::move(daily);
      s.periods_per_year = 365.0;
      return s;
    }
  }
  const Duration interval = median_bar_interval(curve);
  std::vector<double> per_bar = simple_returns(curve);
  if (per_bar.size() >= 2 && interval.ns > 0) {
    s.basis = ReturnBasis::kPerBar;
    s.returns = std::move(per_bar);
    s.periods_per_year = kNsPerYear / static_cast<double>(interval.ns);
  }
  return s;
}

RiskRatios annualized_ratios(const ReturnSeries& series) {
  RiskRatios out;
  const std::vector<double>& r = series.returns;
  if (series.basis == ReturnBasis::kNone || r.size() < 2) return out;
  const auto n = static_cast<double>(r.size());
  double sum = 0;
  for (double x : r) sum += x;
  const double mean = sum / n;
  double sq = 0;
  double down_sq = 0;
  for (double x : r) {
    sq += (x - mean) * (x - mean);
    if (x < 0) down_sq += x * x;
  }
  const double stdev = std::sqrt(sq / (n - 1));
  const double downside = std::sqrt(down_sq / n);
  const double annual = std::sqrt(series.periods_per_year);
  if (stdev > kZeroStdev) {
    out.sharpe = mean / stdev * annual;
    out.volatility_pct = stdev * annual * 100.0;
  }
  if (downside > kZeroStdev) out.sortino = mean / downside * annual;
  return out;
}

}  // namespace cst::report
