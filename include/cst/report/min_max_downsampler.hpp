// Streaming form of downsample_min_max (svg_chart.hpp), for series too long to materialize: a
// 2M-bar equity curve becomes at most max_points chart points without a 2M-element vector of
// ChartPoint in between, and most points never need their coordinates computed.
//
// Contract: construct with the exact number of points, add() each of them in x order, then
// take(); the result is exactly what downsample_min_max returns for the same points and
// max_points. add() gets each point as a `key` and a callable that builds its ChartPoint; the
// callable runs only for points that can be kept: the first and last points, the first point of
// each bucket, and points whose key is a new low or a new high within their bucket.
//
// That shortcut is exact when y is a non-decreasing function of the key between restarts: the
// first point of a bucket that attains the bucket's lowest y has a strictly lower key than every
// point before it (an earlier point with a lower-or-equal key would have a lower-or-equal y, so
// it would attain the lowest y first), and likewise for the highest y. Callers pass
// restart = true when that function changes (the drawdown's peak moved); the point is then
// compared like any other and key lows and highs start again from it. With key = y itself the
// comparisons are the same ones downsample_min_max makes, NaN included.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

#include "cst/report/svg_chart.hpp"

namespace cst::report {

template <class Key>
class MinMaxDownsampler {
 public:
  MinMaxDownsampler(std::size_t count, std::size_t max_points)
      : count_(count), keep_all_(count <= std::max<std::size_t>(max_points, 4)) {
    const std::size_t cap = std::max<std::size_t>(max_points, 4);
    if (!keep_all_) {
      inner_ = count - 2;  // first and last are always kept
      buckets_ = (cap - 2) / 2;
    }
    out_.reserve(keep_all_ ? count : cap);
  }

  // The next point in x order; make_point() -> ChartPoint is called at most once.
  template <class MakePoint>
  void add(Key key, MakePoint&& make_point, bool restart = false) {
    const std::size_t i = next_++;
    // Inside a bucket most points of a long series fail both key comparisons and cost no more.
    if (i == next_event_ || restart) {
      add_rare(i, key, make_point);
    } else if (key < key_low_) {
      key_low_ = key;
      offer_low(make_point(), i);
    } else if (key > key_high_) {
      key_high_ = key;
      offer_high(make_point(), i);
    }
  }

  std::vector<ChartPoint> take() && { return std::move(out_); }

 private:
  struct Candidate {
    ChartPoint point;
    std::size_t index = 0;
  };

  // Bucket b holds the points [bound(b), bound(b + 1)); bound(buckets_) is the last point.
  std::size_t bound(std::size_t b) const { return 1 + b * inner_ / buckets_; }

  // Points at which something other than a comparison happens: every point when all are kept,
  // else the first point, each bucket's first point and the last point; and restarts.
  template <class MakePoint>
  void add_rare(std::size_t i, Key key, MakePoint& make_point) {
    if (i != next_event_) {  // a restart inside a bucket
      key_low_ = key;
      key_high_ = key;
      const ChartPoint p = make_point();
      offer_low(p, i);
      offer_high(p, i);
      return;
    }
    if (keep_all_ || i == 0) {
      out_.push_back(make_point());
      next_event_ = i + 1;
      return;
    }
    close_bucket();  // the one that ended at i - 1
    if (i + 1 == count_) {
      out_.push_back(make_point());
      return;
    }
    key_low_ = key;
    key_high_ = key;
    low_ = {make_point(), i};
    high_ = low_;
    next_event_ = bound(++bucket_);
  }

  // Strict comparisons: on equal y the earlier point stays, as in downsample_min_max.
  void offer_low(const ChartPoint& p, std::size_t i) {
    if (p.y < low_.point.y) low_ = {p, i};
  }
  void offer_high(const ChartPoint& p, std::size_t i) {
    if (p.y > high_.point.y) high_ = {p, i};
  }

  void close_bucket() {
    if (bucket_ == 0) return;  // none started yet
    const Candidate& first = low_.index <= high_.index ? low_ : high_;
    const Candidate& second = low_.index <= high_.index ? high_ : low_;
    out_.push_back(first.point);
    if (low_.index != high_.index) out_.push_back(second.point);
  }

  std::size_t count_ = 0;
  bool keep_all_ = true;
  std::size_t inner_ = 0;
  std::size_t buckets_ = 0;
  std::size_t bucket_ = 0;  // buckets started so far
  std::size_t next_ = 0;
  std::size_t next_event_ = 0;
  Key key_low_{};
  Key key_high_{};
  Candidate low_;
  Candidate high_;
  std::vector<ChartPoint> out_;
};

}  // namespace cst::report
