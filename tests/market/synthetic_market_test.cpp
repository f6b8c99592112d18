// The synthetic market: determinism, OHLC consistency, regime volatility, jumps, volume, and
// trades/quotes that agree with the bars.
#include "cst/market/synthetic_market.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace cst {
namespace {

void expect_same_bars(const BarSeries& a, const BarSeries& b) {
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(a.symbol, b.symbol);
  EXPECT_EQ(a.price_decimals, b.price_decimals);
  EXPECT_EQ(a.qty_decimals, b.qty_decimals);
  for (std::size_t i = 0; i < a.size(); ++i) {
    const Bar& x = a.bars[i];
    const Bar& y = b.bars[i];
    ASSERT_TRUE(x.time == y.time && x.open == y.open && x.high == y.high && x.low == y.low && x.close == y.close &&
                x.volume == y.volume)
        << "bar " << i;
  }
}

BarSeries bars_ok(std::uint64_t seed, std::size_t count, const SyntheticMarketOptions& options = {}) {
  auto r = generate_synthetic_bars(seed, count, options);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : BarSeries{};
}

// Robust sigma (1.4826 * median absolute deviation), so rare jumps do not move it.
double robust_sigma(std::vector<double> v) {
  if (v.empty()) return 0.0;
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  const double median = *mid;
  for (double& x : v) x = std::fabs(x - median);
  std::nth_element(v.begin(), mid, v.end());
  return 1.4826 * *mid;
}

TEST(SyntheticMarket, DefaultsDescribeSynUsd) {
  const BarSeries s = bars_ok(1, 3);
  EXPECT_EQ(s.symbol, "SYN-USD");
  EXPECT_EQ(s.price_decimals, 2);
  EXPECT_EQ(s.qty_decimals, 6);
  EXPECT_EQ(s.bars[0].open.raw, 3'000'000);                           // 30000.00
  EXPECT_EQ(s.bars[0].time, Timestamp::from_seconds(1'704'067'200));  // 2024-01-01T00:00:00Z
  EXPECT_EQ(s.bars[1].time, Timestamp::from_seconds(1'704'067'260));
}

TEST(SyntheticMarket, SameSeedSameBars) { expect_same_bars(bars_ok(42, 20'000), bars_ok(42, 20'000)); }

TEST(SyntheticMarket, StreamingGivesTheSameBarsAsTheBatch) {
  const BarSeries batch = bars_ok(7, 1'000);
  auto gen = SyntheticMarketGenerator::create(7);
  ASSERT_TRUE(gen.ok());
  BarSeries streamed = batch;
  for (Bar& b : streamed.bars) b = gen->next_bar();
  expect_same_bars(batch, streamed);
}

TEST(SyntheticMarket, DifferentSeedDifferentBars) {
  const BarSeries a = bars_ok(1, 1'000);
  const BarSeries b = bars_ok(2, 1'000);
  std::size_t differing = 0;
  for (std::size_t i = 0; i < a.size(); ++i) differing += a.bars[i].close != b.bars[i].close ? 1 : 0;
  EXPECT_GT(differing, 900u);
}

TEST(SyntheticMarket, OhlcConsistentOverManyBars) {
  const BarSeries s = bars_ok(3, 100'000);
  ASSERT_EQ(s.size(), 100'000u);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const Bar& b = s.bars[i];
    ASSERT_GE(b.low.raw, 1) << i;
    ASSERT_LE(b.low, b.open) << i;
    ASSERT_LE(b.low, b.close) << i;
    ASSERT_GE(b.high, b.open) << i;
    ASSERT_GE(b.high, b.close) << i;
    ASSERT_GT(b.volume.raw, 0) << i;
    if (i > 0) {
      ASSERT_EQ(b.open, s.bars[i - 1].close) << i;
      ASSERT_EQ((b.time - s.bars[i - 1].time).ns, 60'000'000'000) << i;
    }
  }
}

TEST(SyntheticMarket, PricesStayPositiveUnderExtremeVolatility) {
  SyntheticMarketOptions options;
  options.start_price = Price::from_raw(5);  // 0.05
  for (auto& r : options.regimes) r.sigma = 0.5;
  const BarSeries s = bars_ok(9, 20'000, options);
  for (const Bar& b : s.bars) {
    ASSERT_GE(b.low.raw, 1);
    ASSERT_LE(b.low, std::min(b.open, b.close));
    ASSERT_GE(b.high, std::max(b.open, b.close));
  }
}

// The realised volatility in each regime is that regime's sigma. Had the generator ignored
// regimes, the three estimates would coincide and at least two would miss by far more than 15%.
TEST(SyntheticMarket, RegimeVolatilityMatchesItsSigma) {
  const SyntheticMarketOptions options;
  auto gen = SyntheticMarketGenerator::create(11, options);
  ASSERT_TRUE(gen.ok());
  std::array<std::vector<double>, kVolatilityRegimeCount> returns;
  for (int i = 0; i < 300'000; ++i) {
    const Bar b = gen->next_bar();
    returns[static_cast<std::size_t>(gen->regime())].push_back(
        std::log(static_cast<double>(b.close.raw) / static_cast<double>(b.open.raw)));
  }
  for (std::size_t r = 0; r < kVolatilityRegimeCount; ++r) {
    const auto name = to_string(static_cast<VolatilityRegime>(r));
    ASSERT_GT(returns[r].size(), 10'000u) << name;
    const double sigma = options.regimes[r].sigma;
    EXPECT_NEAR(robust_sigma(returns[r]), sigma, 0.15 * sigma) << name;
  }
}

TEST(SyntheticMarket, RegimesSwitchAndPersist) {
  auto gen = SyntheticMarketGenerator::create(5);
  ASSERT_TRUE(gen.ok());
  int switches = 0;
  VolatilityRegime prev = gen->regime();
  for (int i = 0; i < 100'000; ++i) {
    (void)gen->next_bar();
    switches += gen->regime() != prev ? 1 : 0;
    prev = gen->regime();
  }
  // Mean durations of hours, not minutes: a few hundred switches in ~70 days.
  EXPECT_GT(switches, 100);
  EXPECT_LT(switches, 2'000);
}

TEST(SyntheticMarket, JumpsArriveAtTheirIntensity) {
  SyntheticMarketOptions options;
  for (auto& r : options.regimes) r.sigma = 0.001;
  options.jump_sigma = 0.05;
  const auto count_large_moves = [&](double intensity) {
    options.jump_intensity = intensity;
    const BarSeries s = bars_ok(13, 100'000, options);
    int large = 0;
    for (const Bar& b : s.bars)
      large += std::fabs(std::log(static_cast<double>(b.close.raw) / static_cast<double>(b.open.raw))) > 0.007 ? 1 : 0;
    return large;
  };
  EXPECT_EQ(count_large_moves(0.0), 0);  // 7 sigma without jumps
  // 1000 jumps expected; 89% of N(0, 0.05) lies beyond 0.007.
  const int large = count_large_moves(0.01);
  EXPECT_GT(large, 750);
  EXPECT_LT(large, 1'050);
}

TEST(SyntheticMarket, VolumeGrowsWithAbsoluteReturn) {
  const BarSeries s = bars_ok(17, 100'000);
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (const Bar& b : s.bars) {
    const double x = std::fabs(std::log(static_cast<double>(b.close.raw) / static_cast<double>(b.open.raw)));
    const double y = s.to_double(b.volume);
    sx += x;
    sy += y;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
  }
  const double n = static_cast<double>(s.size());
  const double corr = (sxy - sx * sy / n) / std::sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
  EXPECT_GT(corr, 0.3);
}

TEST(SyntheticMarket, TicksDoNotChangeTheBars) {
  auto ticks = generate_synthetic_ticks(21, 2'000);
  ASSERT_TRUE(ticks.ok());
  expect_same_bars(ticks->bars, bars_ok(21, 2'000));
}

TEST(SyntheticMarket, TradesAndQuotesAgreeWithTheirBar) {
  const SyntheticMarketOptions options;
  auto r = generate_synthetic_ticks(23, 5'000, options);
  ASSERT_TRUE(r.ok());
  const SyntheticTicks& t = *r;
  const std::size_t per_bar = static_cast<std::size_t>(options.substeps) + 1;
  ASSERT_EQ(t.trades.size(), t.bars.size() * per_bar);
  ASSERT_EQ(t.quotes.size(), t.trades.size());
  for (std::size_t i = 0; i < t.bars.size(); ++i) {
    const Bar& bar = t.bars.bars[i];
    std::int64_t qty_sum = 0;
    Price hi = Price::from_raw(0);
    Price lo = Price::from_raw(INT64_MAX);
    for (std::size_t k = 0; k < per_bar; ++k) {
      const std::size_t j = i * per_bar + k;
      const TradeTick& tr = t.trades[j];
      const TopOfBook& q = t.quotes[j];
      ASSERT_GE(tr.time, bar.time);
      ASSERT_LT(tr.time, bar.time + options.bar_interval);
      if (j > 0) {
        ASSERT_GT(tr.time, t.trades[j - 1].time);
      }
      ASSERT_GT(tr.qty.raw, 0);
      qty_sum += tr.qty.raw;
      hi = std::max(hi, tr.price);
      lo = std::min(lo, tr.price);
      ASSERT_EQ(q.time, tr.time);
      ASSERT_GT(q.bid.raw, 0);
      ASSERT_LT(q.bid, q.ask);
      if (tr.aggressor == Side::kBuy) {
        ASSERT_EQ(tr.price, q.ask) << j;
        ASSERT_GE(q.ask_qty, tr.qty) << j;
      } else {
        ASSERT_EQ(tr.price, q.bid) << j;
        ASSERT_GE(q.bid_qty, tr.qty) << j;
      }
    }
    ASSERT_EQ(t.trades[i * per_bar].price, bar.open) << i;
    ASSERT_EQ(t.trades[i * per_bar + per_bar - 1].price, bar.close) << i;
    ASSERT_EQ(hi, bar.high) << i;
    ASSERT_EQ(lo, bar.low) << i;
    ASSERT_EQ(qty_sum, bar.volume.raw) << i;
  }
}

TEST(SyntheticMarket, SpreadWidensWithTheRegime) {
  auto gen = SyntheticMarketGenerator::create(29);
  ASSERT_TRUE(gen.ok());
  std::array<double, kVolatilityRegimeCount> sum_bps{};
  std::array<int, kVolatilityRegimeCount> n{};
  std::vector<TradeTick> trades;
  std::vector<TopOfBook> quotes;
  for (int i = 0; i < 100'000; ++i) {
    trades.clear();
    quotes.clear();
    (void)gen->next_bar(trades, quotes);
    const auto r = static_cast<std::size_t>(gen->regime());
    for (const TopOfBook& q : quotes) {
      sum_bps[r] += 1e4 * static_cast<double>(q.ask.raw - q.bid.raw) / static_cast<double>(q.bid.raw);
      ++n[r];
    }
  }
  for (std::size_t r = 0; r < kVolatilityRegimeCount; ++r) ASSERT_GT(n[r], 0);
  const double calm = sum_bps[0] / n[0];
  const double normal = sum_bps[1] / n[1];
  const double turbulent = sum_bps[2] / n[2];
  EXPECT_LT(calm, normal);
  EXPECT_LT(normal * 2, turbulent);
}

TEST(SyntheticMarket, InvalidOptionsAreRejected) {
  SyntheticMarketOptions bad_rows;
  bad_rows.transition[0][0] = 0.5;
  EXPECT_FALSE(SyntheticMarketGenerator::create(1, bad_rows).ok());
  SyntheticMarketOptions bad_substeps;
  bad_substeps.substeps = 0;
  EXPECT_FALSE(generate_synthetic_bars(1, 10, bad_substeps).ok());
  SyntheticMarketOptions bad_sigma;
  bad_sigma.regimes[2].sigma = -0.1;
  auto r = generate_synthetic_ticks(1, 10, bad_sigma);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("turbulent"), std::string::npos);
  SyntheticMarketOptions bad_price;
  bad_price.start_price = Price::from_raw(0);
  EXPECT_FALSE(generate_synthetic_bars(1, 10, bad_price).ok());
}

}  // namespace
}  // namespace cst
