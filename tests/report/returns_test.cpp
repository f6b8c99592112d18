// Sharpe/Sortino/volatility definitions of returns.hpp against hand computations.
#include "cst/report/returns.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string_view>
#include <vector>

#include "cst/core/rng.hpp"

namespace cst::report {
namespace {

Money money(std::string_view text) { return parse_money(text).value(); }

// Seconds since the epoch of 2024-01-(day) at hour:00 UTC.
Timestamp at(unsigned day, int hour) {
  return Timestamp::from_seconds(days_from_civil(2024, 1, day) * 86400 + hour * 3600);
}

EquityPoint point(Timestamp t, std::string_view equity) { return EquityPoint{t, money(equity), Qty{}, Price{}}; }

// Four UTC days of 6-hour bars closing at 06, 12, 18 and 00 (next day). Intraday values swing
// wildly; only the last point of each day may matter. Day-end equities: 100, 110, 99, 108.9.
std::vector<EquityPoint> four_day_curve() {
  const char* values[4][4] = {{"95", "120", "101", "100"},
                              {"130", "90", "105", "110"},
                              {"80", "99.5", "120", "99"},
                              {"100", "100", "100", "108.9"}};
  std::vector<EquityPoint> curve;
  for (unsigned d = 0; d < 4; ++d) {
    for (int k = 0; k < 4; ++k) {
      const int hour = 6 * (k + 1);  // 6, 12, 18, 24 (= 00:00 of the next day)
      curve.push_back(point(at(1 + d, 0) + Duration::from_seconds(hour * 3600), values[d][k]));
    }
  }
  return curve;
}

TEST(Returns, MidnightCloseEndsThePreviousDay) {
  const auto ends = day_end_points(four_day_curve());
  ASSERT_EQ(ends.size(), 4u);
  EXPECT_EQ(ends[0].equity, money("100"));
  EXPECT_EQ(ends[0].time, at(2, 0));  // the 00:00 close of Jan 2 ends Jan 1
  EXPECT_EQ(ends[3].equity, money("108.9"));
}

TEST(Returns, DailySharpeMatchesHandComputation) {
  // Day-end 100, 110, 99, 108.9 -> r = 0.1, -0.1, 0.1.
  // mean = 1/30; deviations 1/15, -2/15, 1/15; sample var = (6/225)/2 = 1/75;
  // stdev = 0.1154700538; mean/stdev = 1/(2*sqrt(3)); Sharpe = sqrt(365/12) = 5.5151307026.
  // Downside deviation = sqrt(0.01/3); mean/dd = 1/sqrt(3); Sortino = sqrt(365/3) = 11.0302614052.
  // Volatility = stdev * sqrt(365) * 100 = 220.6052281%.
  const ReturnSeries s = select_returns(four_day_curve());
  ASSERT_EQ(s.basis, ReturnBasis::kDaily);
  ASSERT_EQ(s.returns.size(), 3u);
  EXPECT_DOUBLE_EQ(s.periods_per_year, 365.0);
  const RiskRatios r = annualized_ratios(s);
  EXPECT_NEAR(r.sharpe, std::sqrt(365.0 / 12.0), 1e-9);
  EXPECT_NEAR(r.sortino, std::sqrt(365.0 / 3.0), 1e-9);
  EXPECT_NEAR(r.volatility_pct, 220.60522810365728, 1e-7);
}

TEST(Returns, ShortRunUsesPerBarReturnsAnnualizedByMedianInterval) {
  // Hourly 100, 110, 99, 120: covered span 4 h < 2 days -> per bar, P = 8760.
  // r = 0.1, -0.1, 21/99; mean = 0.0707070707; sample stdev = 0.1581090432;
  // Sharpe = 0.0707070707 / 0.1581090432 * sqrt(8760) = 41.856044877.
  std::vector<EquityPoint> curve;
  const char* values[] = {"100", "110", "99", "120"};
  for (int i = 0; i < 4; ++i) curve.push_back(point(at(1, i + 1), values[i]));
  const ReturnSeries s = select_returns(curve);
  ASSERT_EQ(s.basis, ReturnBasis::kPerBar);
  EXPECT_DOUBLE_EQ(s.periods_per_year, 8760.0);
  EXPECT_NEAR(annualized_ratios(s).sharpe, 41.856044876631415, 1e-9);
}

TEST(Returns, TwoDaysWithOnlyOneDailyReturnFallsBackToPerBar) {
  // 48 hourly bars closing 01:00 Jan 1 .. 00:00 Jan 3: two UTC days, one daily return.
  std::vector<EquityPoint> curve;
  for (int i = 1; i <= 48; ++i) curve.push_back(point(at(1, i), i % 2 == 0 ? "100" : "101"));
  EXPECT_EQ(day_end_points(curve).size(), 2u);
  EXPECT_EQ(select_returns(curve).basis, ReturnBasis::kPerBar);
}

TEST(Returns, ZeroVarianceGivesZeroRatios) {
  std::vector<EquityPoint> flat;
  for (unsigned d = 1; d <= 6; ++d) flat.push_back(point(at(d, 12), "100"));
  const RiskRatios r = annualized_ratios(select_returns(flat));
  EXPECT_EQ(r.sharpe, 0.0);
  EXPECT_EQ(r.sortino, 0.0);
  EXPECT_EQ(r.volatility_pct, 0.0);
}

TEST(Returns, ConstantGrowthIsZeroVarianceDespiteRounding) {
  // +7% a day, exact in Money: the double returns differ only in their last bits.
  std::vector<EquityPoint> curve = {point(at(1, 12), "100"), point(at(2, 12), "107"), point(at(3, 12), "114.49"),
                                    point(at(4, 12), "122.5043"), point(at(5, 12), "131.079601")};
  const ReturnSeries s = select_returns(curve);
  ASSERT_EQ(s.basis, ReturnBasis::kDaily);
  EXPECT_EQ(annualized_ratios(s).sharpe, 0.0);
}

TEST(Returns, NoDownsideGivesZeroSortino) {
  std::vector<EquityPoint> curve = {point(at(1, 12), "100"), point(at(2, 12), "110"), point(at(3, 12), "111"),
                                    point(at(4, 12), "130")};
  const RiskRatios r = annualized_ratios(select_returns(curve));
  EXPECT_GT(r.sharpe, 0.0);
  EXPECT_EQ(r.sortino, 0.0);
}

TEST(Returns, TooFewPointsGiveNoBasis) {
  EXPECT_EQ(select_returns({}).basis, ReturnBasis::kNone);
  EXPECT_EQ(select_returns({point(at(1, 1), "100")}).basis, ReturnBasis::kNone);
  EXPECT_EQ(select_returns({point(at(1, 1), "100"), point(at(1, 2), "101")}).basis, ReturnBasis::kNone);
  const RiskRatios r = annualized_ratios(ReturnSeries{});
  EXPECT_EQ(r.sharpe, 0.0);
}

TEST(Returns, ReturnFromNonPositiveEquityIsSkipped) {
  std::vector<EquityPoint> curve = {point(at(1, 1), "100"), point(at(1, 2), "0"), point(at(1, 3), "50"),
                                    point(at(1, 4), "60")};
  const ReturnSeries s = select_returns(curve);
  ASSERT_EQ(s.returns.size(), 2u);  // 100->0 and 50->60; 0->50 is undefined
  EXPECT_DOUBLE_EQ(s.returns[0], -1.0);
  EXPECT_DOUBLE_EQ(s.returns[1], 0.2);
}

TEST(Returns, MedianBarInterval) {
  std::vector<EquityPoint> curve = {point(at(1, 0), "1"), point(at(1, 1), "1"), point(at(1, 2), "1"),
                                    point(at(1, 10), "1")};
  EXPECT_EQ(median_bar_interval(curve), Duration::from_seconds(3600));  // gaps 1h, 1h, 8h
  curve.pop_back();
  curve.push_back(point(at(1, 4), "1"));  // gaps 1h, 1h, 2h
  curve.push_back(point(at(1, 7), "1"));  // ... 3h: middle two are 1h and 2h
  EXPECT_EQ(median_bar_interval(curve), Duration::from_seconds(5400));
  EXPECT_EQ(median_bar_interval({}), Duration{});
}

// Long curves take the sampled path of median_bar_interval; it must give what sorting every
// spacing gives, including when the sample is unrepresentative and it falls back.
Duration median_by_sorting(const std::vector<EquityPoint>& curve) {
  std::vector<std::int64_t> gaps;
  for (std::size_t i = 1; i < curve.size(); ++i) gaps.push_back((curve[i].time - curve[i - 1].time).ns);
  std::sort(gaps.begin(), gaps.end());
  const std::size_t mid = gaps.size() / 2;
  if (gaps.size() % 2 == 1) return Duration{gaps[mid]};
  return Duration{gaps[mid - 1] + (gaps[mid] - gaps[mid - 1]) / 2};
}

std::vector<EquityPoint> curve_with_gaps(std::size_t points, const std::function<std::int64_t(std::size_t)>& gap) {
  std::vector<EquityPoint> curve;
  std::int64_t t = Timestamp::from_seconds(days_from_civil(2024, 1, 1) * 86400).ns;
  for (std::size_t i = 0; i < points; ++i) {
    if (i > 0) t += gap(i);
    curve.push_back(EquityPoint{Timestamp{t}, Money::from_raw(1), Qty{}, Price{}});
  }
  return curve;
}

TEST(Returns, LongCurveMedianEqualsSortedMedian) {
  constexpr std::int64_t kMinute = 60'000'000'000;
  Rng rng(11);
  const std::vector<std::pair<const char*, std::function<std::int64_t(std::size_t)>>> shapes = {
      {"regular", [](std::size_t) { return kMinute; }},
      {"gaps", [&rng](std::size_t) { return rng.uniform() < 0.02 ? 3600 * kMinute : kMinute; }},
      {"distinct", [&rng](std::size_t) { return static_cast<std::int64_t>(rng.next_u64() % 1'000'000'000); }},
      {"two values", [](std::size_t i) { return i % 2 == 0 ? kMinute : 2 * kMinute; }},
      {"backwards", [&rng](std::size_t) { return static_cast<std::int64_t>(rng.next_u64() % 2001) - 1000; }},
      // Every spacing the stride sample reads is 1 ns and every other one a minute: the sample
      // points at the wrong value, so the copy-and-select path must answer.
      {"misleading sample", [](std::size_t i) { return i % 64 == 1 ? 1 : kMinute; }},
      // The sample is spread out and nearly every other spacing falls inside its middle window.
      {"crowded window", [](std::size_t i) { return i % 64 == 1 ? static_cast<std::int64_t>(i / 64) : 2048 + i % 3; }},
  };
  for (const auto& [name, gap] : shapes) {
    for (std::size_t points : {std::size_t{65'538}, std::size_t{262'145}}) {  // odd and even spacing counts
      const auto curve = curve_with_gaps(points, gap);
      EXPECT_EQ(median_bar_interval(curve), median_by_sorting(curve)) << name << " " << points;
    }
  }
}

// The day rule by its words: compare UTC days of (time - 1 ns) with the previous kept point.
std::vector<EquityPoint> day_ends_by_definition(const std::vector<EquityPoint>& curve) {
  std::vector<EquityPoint> out;
  for (const EquityPoint& p : curve) {
    if (!out.empty() && utc_day(Timestamp{out.back().time.ns - 1}) == utc_day(Timestamp{p.time.ns - 1})) {
      out.back() = p;
    } else {
      out.push_back(p);
    }
  }
  return out;
}

TEST(Returns, DayEndsFollowTheDayRuleUpToTheLimitsOfTime) {
  constexpr std::int64_t kDay = 86'400'000'000'000;
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  const std::int64_t min = std::numeric_limits<std::int64_t>::min();
  std::vector<EquityPoint> curve;
  std::int64_t equity = 0;
  const std::vector<std::int64_t> times = {min + 1,    min + 2, min + kDay, -kDay,    -1,       0,
                                           1,          kDay,    kDay + 1,   2 * kDay, 2 * kDay, 5,
                                           max - kDay, max - 1, max,        min + 1,  max};
  for (std::int64_t t : times) {
    curve.push_back(EquityPoint{Timestamp{t}, Money::from_raw(++equity), Qty{}, Price{}});
  }
  const auto got = day_end_points(curve);
  const auto want = day_ends_by_definition(curve);
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].time, want[i].time) << i;
    EXPECT_EQ(got[i].equity, want[i].equity) << i;
  }
}

// summarize_returns must agree bit for bit with the vector-based definition it replaces.
TEST(Returns, SummaryMatchesSelectedSeries) {
  Rng rng(12);
  struct Shape {
    const char* name;
    std::size_t points;
    std::int64_t gap_seconds;
    bool dips_below_zero;
  };
  for (const Shape& shape : {Shape{"daily", 30'000, 600, false}, Shape{"per bar", 20'000, 5, false},
                             Shape{"per bar, undefined returns", 20'000, 5, true}, Shape{"none", 2, 60, false},
                             Shape{"daily, undefined returns", 30'000, 600, true}}) {
    std::vector<EquityPoint> curve;
    std::int64_t e = 1'000'000'000'000;
    for (std::size_t i = 0; i < shape.points; ++i) {
      e += static_cast<std::int64_t>(rng.normal() * 3e9);
      if (shape.dips_below_zero && i % 97 == 0) e = -e;
      curve.push_back(
          EquityPoint{Timestamp::from_seconds(1'700'000'000 + shape.gap_seconds * static_cast<std::int64_t>(i)),
                      Money::from_raw(e), Qty{}, Price{}});
    }
    const ReturnSeries series = select_returns(curve);
    const RiskRatios ratios = annualized_ratios(series);
    const ReturnSummary s = summarize_returns(curve, median_bar_interval(curve), day_end_points(curve));
    SCOPED_TRACE(shape.name);
    EXPECT_EQ(s.basis, series.basis);
    EXPECT_EQ(s.samples, series.returns.size());
    EXPECT_EQ(s.periods_per_year, series.periods_per_year);
    EXPECT_EQ(s.ratios.sharpe, ratios.sharpe);
    EXPECT_EQ(s.ratios.sortino, ratios.sortino);
    EXPECT_EQ(s.ratios.volatility_pct, ratios.volatility_pct);
  }
}

}  // namespace
}  // namespace cst::report
