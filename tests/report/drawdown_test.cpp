// The streaming DrawdownTracker gives the same numbers as the per-point definition, and a fall
// too deep for int64 is measured, not wrapped.
#include "cst/report/drawdown.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "cst/core/rng.hpp"

namespace cst::report {
namespace {

// Minutely points: a random walk of equity with flat stretches, from `start` raw units.
std::vector<EquityPoint> walk(std::uint64_t seed, std::size_t n, std::int64_t start, std::int64_t step) {
  Rng rng(seed);
  std::vector<EquityPoint> out;
  std::int64_t e = start;
  for (std::size_t i = 0; i < n; ++i) {
    if (rng.uniform() > 0.1) e += static_cast<std::int64_t>(rng.next_u64() % (2 * step + 1)) - step;
    out.push_back(EquityPoint{Timestamp::from_seconds(60 * static_cast<std::int64_t>(i + 1)), Money::from_raw(e), Qty{},
                              Price{}});
  }
  return out;
}

// The durations by the contract's words, point by point.
DrawdownSummary durations_by_definition(const std::vector<EquityPoint>& curve, Money starting_cash) {
  DrawdownSummary s;
  Money peak = starting_cash.is_positive() ? starting_cash : curve.front().equity;
  Timestamp peak_time = curve.front().time;
  std::size_t since = 0;
  bool underwater = false;
  for (std::size_t i = 0; i < curve.size(); ++i) {
    if (curve[i].equity >= peak) {
      if (underwater) {
        s.max_duration_bars = std::max<std::uint64_t>(s.max_duration_bars, i - since);
        s.max_duration = std::max(s.max_duration, curve[i].time - peak_time);
      }
      underwater = false;
      peak = curve[i].equity;
      peak_time = curve[i].time;
    } else if (!underwater) {
      underwater = true;
      since = i;
    }
  }
  if (underwater) {
    s.max_duration_bars = std::max<std::uint64_t>(s.max_duration_bars, curve.size() - since);
    s.max_duration = std::max(s.max_duration, curve.back().time - peak_time);
  }
  return s;
}

TEST(Drawdown, SummaryMatchesThePerPointSeries) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const Money cash = Money::from_raw(seed % 3 == 0 ? 0 : 1'000'000'000'000);
    for (std::size_t n : {std::size_t{1}, std::size_t{2}, std::size_t{17}, std::size_t{20'000}}) {
      const auto curve = walk(seed, n, 1'000'000'000'000, 5'000'000'000);
      const std::vector<double> series = drawdown_pct_series(curve, cash);
      const DrawdownSummary want = durations_by_definition(curve, cash);
      const DrawdownSummary got = summarize_drawdown(curve, cash);
      SCOPED_TRACE(testing::Message() << "seed=" << seed << " n=" << n);
      EXPECT_EQ(got.max_pct, *std::max_element(series.begin(), series.end()));  // bit for bit
      EXPECT_EQ(got.max_duration_bars, want.max_duration_bars);
      EXPECT_EQ(got.max_duration, want.max_duration);
    }
  }
}

TEST(Drawdown, TrackerGivesTheSeriesAtEachPoint) {
  const auto curve = walk(7, 5'000, 1'000'000, 30'000);
  const Money cash = Money::from_raw(1'000'000);
  const std::vector<double> series = drawdown_pct_series(curve, cash);
  DrawdownTracker tracker(cash, curve.front());
  for (std::size_t i = 0; i < curve.size(); ++i) {
    const bool at_peak = tracker.add(curve[i]);
    EXPECT_EQ(at_peak, series[i] == 0.0) << i;  // the peak stays positive here
    EXPECT_EQ(tracker.drawdown_pct(curve[i].equity), series[i]) << i;
  }
}

// 90 billion down to -90 billion (quote units) is a 200% fall; the raw difference does not fit
// in int64 and used to wrap into a negative, ignored, drawdown.
TEST(Drawdown, FallBeyondInt64IsMeasured) {
  const std::int64_t peak = 9'000'000'000'000'000'000;
  const std::vector<EquityPoint> curve = {
      EquityPoint{Timestamp::from_seconds(60), Money::from_raw(peak), Qty{}, Price{}},
      EquityPoint{Timestamp::from_seconds(120), Money::from_raw(-peak), Qty{}, Price{}}};
  EXPECT_DOUBLE_EQ(summarize_drawdown(curve, Money{}).max_pct, 200.0);
  EXPECT_DOUBLE_EQ(drawdown_pct_series(curve, Money{})[1], 200.0);
}

}  // namespace
}  // namespace cst::report
