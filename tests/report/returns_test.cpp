// Sharpe/Sortino/volatility definitions of returns.hpp against hand computations.
#include "cst/report/returns.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string_view>

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

}  // namespace
}  // namespace cst::report
