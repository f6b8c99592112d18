// The streaming downsampler keeps exactly the points of a bucket-by-bucket scan of the whole
// series, while building only a few of them.
#include "cst/report/min_max_downsampler.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "cst/core/rng.hpp"

namespace cst::report {
namespace {

// The rule of downsample_min_max, written as a scan over a materialized series.
std::vector<ChartPoint> scan_buckets(const std::vector<ChartPoint>& points, std::size_t max_points) {
  max_points = std::max<std::size_t>(max_points, 4);
  if (points.size() <= max_points) return points;
  const std::size_t inner = points.size() - 2;
  const std::size_t buckets = (max_points - 2) / 2;
  std::vector<ChartPoint> out{points.front()};
  for (std::size_t b = 0; b < buckets; ++b) {
    const std::size_t lo = 1 + b * inner / buckets;
    const std::size_t hi = 1 + (b + 1) * inner / buckets;
    std::size_t imin = lo;
    std::size_t imax = lo;
    for (std::size_t i = lo; i < hi; ++i) {
      if (points[i].y < points[imin].y) imin = i;
      if (points[i].y > points[imax].y) imax = i;
    }
    out.push_back(points[std::min(imin, imax)]);
    if (imin != imax) out.push_back(points[std::max(imin, imax)]);
  }
  out.push_back(points.back());
  return out;
}

// Same x and the same y bits (a NaN equals a NaN).
void expect_same_points(const std::vector<ChartPoint>& got, const std::vector<ChartPoint>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].x, want[i].x) << i;
    if (std::isnan(want[i].y)) {
      EXPECT_TRUE(std::isnan(got[i].y)) << i;
    } else {
      EXPECT_EQ(got[i].y, want[i].y) << i;
    }
  }
}

// Streams points[i] under keys[i], restarting where asked; counts the points built.
template <class Key>
std::vector<ChartPoint> stream(const std::vector<Key>& keys, const std::vector<ChartPoint>& points,
                               const std::vector<bool>& restarts, std::size_t max_points,
                               std::size_t* built = nullptr) {
  MinMaxDownsampler<Key> d(points.size(), max_points);
  for (std::size_t i = 0; i < points.size(); ++i) {
    d.add(
        keys[i],
        [&] {
          if (built != nullptr) ++*built;
          return points[i];
        },
        restarts.empty() ? false : restarts[i]);
  }
  return std::move(d).take();
}

std::vector<std::int64_t> random_walk(Rng& rng, std::size_t n, std::int64_t start, std::int64_t step) {
  std::vector<std::int64_t> out;
  std::int64_t v = start;
  for (std::size_t i = 0; i < n; ++i) {
    v += static_cast<std::int64_t>(rng.next_u64() % static_cast<std::uint64_t>(2 * step + 1)) - step;
    out.push_back(v);
  }
  return out;
}

constexpr std::size_t kCounts[] = {0, 1, 2, 3, 4, 5, 6, 7, 50, 1999, 2000, 2001, 2002, 2003, 4001, 10'007};
constexpr std::size_t kMaxPoints[] = {0, 4, 5, 6, 7, 100, 2000};

TEST(MinMaxDownsampler, KeyedByYMatchesTheBucketScan) {
  Rng rng(1);
  for (std::size_t n : kCounts) {
    for (std::size_t max_points : kMaxPoints) {
      std::vector<ChartPoint> points;
      std::vector<double> keys;
      double y = 0;
      for (std::size_t i = 0; i < n; ++i) {
        y += rng.uniform() < 0.2 ? 0.0 : rng.normal();  // some exact ties
        points.push_back({static_cast<double>(i), y});
        keys.push_back(y);
      }
      SCOPED_TRACE(testing::Message() << "n=" << n << " max=" << max_points);
      expect_same_points(stream(keys, points, {}, max_points), scan_buckets(points, max_points));
    }
  }
}

TEST(MinMaxDownsampler, NanYBehavesAsInTheBucketScan) {
  Rng rng(2);
  std::vector<ChartPoint> points;
  std::vector<double> keys;
  for (std::size_t i = 0; i < 5000; ++i) {
    const double y = rng.uniform() < 0.05 ? std::numeric_limits<double>::quiet_NaN() : rng.normal();
    points.push_back({static_cast<double>(i), y});
    keys.push_back(y);
  }
  points[1].y = keys[1] = std::numeric_limits<double>::quiet_NaN();  // a bucket starting on NaN
  expect_same_points(stream(keys, points, {}, 100), scan_buckets(points, 100));
}

// Money far above 2^53 units: neighbouring integers convert to the same double, so y has ties
// that the integer key does not; the first of the tied points must still win.
TEST(MinMaxDownsampler, IntegerKeyKeepsTheFirstOfEqualYs) {
  Rng rng(3);
  for (std::int64_t step : {std::int64_t{3}, std::int64_t{2'000}, std::int64_t{1'000'000'000}}) {
    const std::vector<std::int64_t> keys = random_walk(rng, 20'000, std::int64_t{1} << 61, step);
    std::vector<ChartPoint> points;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      points.push_back({static_cast<double>(i), static_cast<double>(keys[i]) / 1e8});
    }
    SCOPED_TRACE(step);
    expect_same_points(stream(keys, points, {}, 2000), scan_buckets(points, 2000));
  }
}

// y grows with the key by a different function in each segment (as the drawdown does between
// peaks); restarting at each segment keeps the result exact.
TEST(MinMaxDownsampler, RestartsFollowAChangingKeyToYFunction) {
  Rng rng(4);
  const std::vector<std::int64_t> keys = random_walk(rng, 30'000, 0, 50);
  std::vector<ChartPoint> points;
  std::vector<bool> restarts;
  double scale = 1;
  double offset = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const bool restart = rng.uniform() < 0.01;
    if (restart) {
      scale = 0.25 + rng.uniform();
      offset = rng.normal() * 100;
    }
    restarts.push_back(restart);
    points.push_back({static_cast<double>(i), std::floor(static_cast<double>(keys[i]) * scale / 8) + offset});
  }
  for (std::size_t max_points : {std::size_t{10}, std::size_t{2000}}) {
    expect_same_points(stream(keys, points, restarts, max_points), scan_buckets(points, max_points));
  }
}

TEST(MinMaxDownsampler, BuildsFewPointsOfALongSeries) {
  Rng rng(5);
  const std::vector<std::int64_t> keys = random_walk(rng, 200'000, 0, 1000);
  std::vector<ChartPoint> points;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    points.push_back({static_cast<double>(i), static_cast<double>(keys[i])});
  }
  std::size_t built = 0;  // buckets of 2000 points: a random walk sets ~70 new lows and highs in each
  const auto out = stream(keys, points, {}, 200, &built);
  expect_same_points(out, scan_buckets(points, 200));
  EXPECT_LT(built, keys.size() / 10);
}

}  // namespace
}  // namespace cst::report
