#include "cst/report/returns.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace cst::report {

namespace {

constexpr std::int64_t kNsPerDay = 86'400'000'000'000;
constexpr double kNsPerYear = 365.0 * static_cast<double>(kNsPerDay);
// Returns of a constant-rate curve differ only by rounding; treat such spread as none.
constexpr double kZeroStdev = 1e-12;

// Median of the spacings: curves with fewer spacings than this copy them all and select. Longer
// ones sample kMedianSample spacings at even strides, take the window of kMedianWindow sample
// ranks either side of the sample median (4 standard deviations of the sample median's rank),
// and count in one pass where every spacing falls around that window, copying only the ones
// strictly inside it. The median's rank almost always lands in the window (then the answer is
// exact); if not, or if the window holds too many spacings, the copy-and-select path runs.
constexpr std::size_t kSampledMedianMinGaps = std::size_t{1} << 16;
constexpr std::size_t kMedianSample = 4096;
constexpr std::size_t kMedianWindow = 128;

// Calls f(r) with each defined simple return between consecutive points, in order.
template <class F>
void for_each_simple_return(const std::vector<EquityPoint>& points, F&& f) {
  for (std::size_t i = 1; i < points.size(); ++i) {
    const Money prev = points[i - 1].equity;
    if (!prev.is_positive()) continue;  // undefined: nothing to return on
    const double change = to_double(points[i].equity - prev);
    f(change / to_double(prev));
  }
}

std::vector<double> simple_returns(const std::vector<EquityPoint>& points) {
  std::vector<double> out;
  if (points.size() < 2) return out;
  out.reserve(points.size() - 1);
  for_each_simple_return(points, [&out](double r) { out.push_back(r); });
  return out;
}

std::size_t count_simple_returns(const std::vector<EquityPoint>& points) {
  std::size_t n = 0;
  for (std::size_t i = 1; i < points.size(); ++i) n += points[i - 1].equity.is_positive() ? 1 : 0;
  return n;
}

// Ratios of `count` returns that for_each_return(f) visits in order; it is called twice (mean
// first, then deviations), so a long series can be recomputed instead of stored.
template <class ForEachReturn>
RiskRatios ratios_of(std::size_t count, double periods_per_year, ForEachReturn&& for_each_return) {
  RiskRatios out;
  const auto n = static_cast<double>(count);
  double sum = 0;
  for_each_return([&sum](double x) { sum += x; });
  const double mean = sum / n;
  double sq = 0;
  double down_sq = 0;
  for_each_return([&](double x) {
    sq += (x - mean) * (x - mean);
    if (x < 0) down_sq += x * x;
  });
  const double stdev = std::sqrt(sq / (n - 1));
  const double downside = std::sqrt(down_sq / n);
  const double annual = std::sqrt(periods_per_year);
  if (stdev > kZeroStdev) {
    out.sharpe = mean / stdev * annual;
    out.volatility_pct = stdev * annual * 100.0;
  }
  if (downside > kZeroStdev) out.sortino = mean / downside * annual;
  return out;
}

double covered_span_ns(const std::vector<EquityPoint>& curve, Duration median_interval) {
  if (curve.empty()) return 0;
  const double span = static_cast<double>((curve.back().time - curve.front().time).ns);
  return span + static_cast<double>(median_interval.ns);
}

bool covers_two_days(const std::vector<EquityPoint>& curve, Duration median_interval) {
  return covered_span_ns(curve, median_interval) >= 2.0 * static_cast<double>(kNsPerDay);
}

std::int64_t gap_before(const std::vector<EquityPoint>& curve, std::size_t i) {
  return (curve[i].time - curve[i - 1].time).ns;
}

// Mean of the two middle values, without the overflow of (lower + upper) / 2.
Duration midpoint(std::int64_t lower, std::int64_t upper) { return Duration{lower + (upper - lower) / 2}; }

Duration median_by_copy(const std::vector<EquityPoint>& curve) {
  std::vector<std::int64_t> gaps;
  gaps.reserve(curve.size() - 1);
  for (std::size_t i = 1; i < curve.size(); ++i) gaps.push_back(gap_before(curve, i));
  const std::size_t mid = gaps.size() / 2;
  std::nth_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(mid), gaps.end());
  const std::int64_t upper = gaps[mid];
  if (gaps.size() % 2 == 1) return Duration{upper};
  const std::int64_t lower = *std::max_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(mid));
  return midpoint(lower, upper);
}

// How all spacings sit around the value window [lo, hi]: in sorted order they are `below`,
// then `at_lo` copies of lo, then `inside` (sorted), then `at_hi` copies of hi, then `above`.
struct GapWindow {
  std::int64_t lo = 0;
  std::int64_t hi = 0;
  std::size_t below = 0;
  std::size_t at_lo = 0;
  std::size_t at_hi = 0;  // stays 0 when lo == hi
  std::vector<std::int64_t> inside;

  // The spacing of 0-based rank `rank` in sorted order, if that rank falls in the window.
  std::optional<std::int64_t> at_rank(std::size_t rank) {
    if (rank < below) return std::nullopt;
    rank -= below;
    if (rank < at_lo) return lo;
    rank -= at_lo;
    if (rank < inside.size()) {
      std::nth_element(inside.begin(), inside.begin() + static_cast<std::ptrdiff_t>(rank), inside.end());
      return inside[rank];
    }
    rank -= inside.size();
    if (rank < at_hi) return hi;
    return std::nullopt;
  }
};

std::optional<Duration> median_by_sampled_window(const std::vector<EquityPoint>& curve) {
  const std::size_t gaps = curve.size() - 1;
  std::vector<std::int64_t> sample(kMedianSample);
  for (std::size_t k = 0; k < kMedianSample; ++k) sample[k] = gap_before(curve, 1 + k * gaps / kMedianSample);
  std::sort(sample.begin(), sample.end());
  GapWindow w;
  w.lo = sample[kMedianSample / 2 - kMedianWindow];
  w.hi = sample[kMedianSample / 2 + kMedianWindow];
  const std::size_t max_inside = gaps / 8;
  const bool distinct = w.lo != w.hi;
  for (std::size_t i = 1; i < curve.size(); ++i) {
    const std::int64_t g = gap_before(curve, i);
    // Counted without branches: for regular bars nearly every spacing equals lo, for irregular
    // ones the outcome is unpredictable.
    w.below += static_cast<std::size_t>(g < w.lo);
    w.at_lo += static_cast<std::size_t>(g == w.lo);
    w.at_hi += static_cast<std::size_t>(distinct & (g == w.hi));
    if ((g > w.lo) & (g < w.hi)) {
      if (w.inside.size() == max_inside) return std::nullopt;  // the sample misled us
      w.inside.push_back(g);
    }
  }
  const std::size_t mid = gaps / 2;
  const std::optional<std::int64_t> upper = w.at_rank(mid);
  if (!upper) return std::nullopt;
  if (gaps % 2 == 1) return Duration{*upper};
  const std::optional<std::int64_t> lower = w.at_rank(mid - 1);
  if (!lower) return std::nullopt;
  return midpoint(*lower, *upper);
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
  if (curve.size() - 1 >= kSampledMedianMinGaps) {
    if (const std::optional<Duration> m = median_by_sampled_window(curve)) return *m;
  }
  return median_by_copy(curve);
}

void DayEndCollector::set_day(std::int64_t day) {
  const int128 first = static_cast<int128>(day) * kNsPerDay;
  const int128 last = first + (kNsPerDay - 1);
  day_first_ns_ = static_cast<std::int64_t>(std::max<int128>(first, std::numeric_limits<std::int64_t>::min()));
  day_last_ns_ = static_cast<std::int64_t>(std::min<int128>(last, std::numeric_limits<std::int64_t>::max()));
}

std::vector<EquityPoint> day_end_points(const std::vector<EquityPoint>& curve) {
  DayEndCollector days;
  for (const EquityPoint& p : curve) days.add(p);
  return std::move(days).take();
}

ReturnSeries select_returns(const std::vector<EquityPoint>& curve) {
  ReturnSeries s;
  const Duration interval = median_bar_interval(curve);
  if (covers_two_days(curve, interval)) {
    std::vector<double> daily = simple_returns(day_end_points(curve));
    if (daily.size() >= 2) {
      s.basis = ReturnBasis::kDaily;
      s.returns = std::move(daily);
      s.periods_per_year = 365.0;
      return s;
    }
  }
  std::vector<double> per_bar = simple_returns(curve);
  if (per_bar.size() >= 2 && interval.ns > 0) {
    s.basis = ReturnBasis::kPerBar;
    s.returns = std::move(per_bar);
    s.periods_per_year = kNsPerYear / static_cast<double>(interval.ns);
  }
  return s;
}

RiskRatios annualized_ratios(const ReturnSeries& series) {
  const std::vector<double>& r = series.returns;
  if (series.basis == ReturnBasis::kNone || r.size() < 2) return {};
  return ratios_of(r.size(), series.periods_per_year, [&r](auto&& f) {
    for (double x : r) f(x);
  });
}

ReturnSummary summarize_returns(const std::vector<EquityPoint>& curve, Duration median_interval,
                                const std::vector<EquityPoint>& day_ends) {
  ReturnSummary out;
  if (covers_two_days(curve, median_interval)) {
    ReturnSeries daily{ReturnBasis::kDaily, simple_returns(day_ends), 365.0};
    if (daily.returns.size() >= 2) {
      out.basis = daily.basis;
      out.samples = daily.returns.size();
      out.periods_per_year = daily.periods_per_year;
      out.ratios = annualized_ratios(daily);
      return out;
    }
  }
  // Per-bar returns of a long curve are recomputed in each of the two passes, not stored.
  const std::size_t count = count_simple_returns(curve);
  if (count >= 2 && median_interval.ns > 0) {
    out.basis = ReturnBasis::kPerBar;
    out.samples = count;
    out.periods_per_year = kNsPerYear / static_cast<double>(median_interval.ns);
    out.ratios = ratios_of(count, out.periods_per_year, [&curve](auto&& f) { for_each_simple_return(curve, f); });
  }
  return out;
}

}  // namespace cst::report
