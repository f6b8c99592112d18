// Chart rendering and downsampling: bounded size, spikes kept, nothing external.
#include "cst/report/svg_chart.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

namespace cst::report {
namespace {

std::vector<ChartPoint> ramp(std::size_t n) {
  std::vector<ChartPoint> pts;
  for (std::size_t i = 0; i < n; ++i) pts.push_back({static_cast<double>(i), static_cast<double>(i % 7)});
  return pts;
}

TEST(SvgChart, DownsampleKeepsSpikesAndEnds) {
  std::vector<ChartPoint> pts = ramp(100'000);
  pts[54'321].y = 1e6;   // one-bar spike up
  pts[77'777].y = -1e6;  // and down
  const auto out = downsample_min_max(pts, 2000);
  EXPECT_LE(out.size(), 2000u);
  EXPECT_GE(out.size(), 1000u);
  EXPECT_EQ(out.front().x, 0.0);
  EXPECT_EQ(out.back().x, 99'999.0);
  EXPECT_TRUE(std::is_sorted(out.begin(), out.end(), [](auto a, auto b) { return a.x < b.x; }));
  auto [mn, mx] = std::minmax_element(out.begin(), out.end(), [](auto a, auto b) { return a.y < b.y; });
  EXPECT_EQ(mx->y, 1e6);
  EXPECT_EQ(mx->x, 54'321.0);
  EXPECT_EQ(mn->y, -1e6);
}

TEST(SvgChart, SmallSeriesIsUnchanged) {
  const auto pts = ramp(50);
  const auto out = downsample_min_max(pts, 2000);
  ASSERT_EQ(out.size(), 50u);
  EXPECT_EQ(out[17].y, pts[17].y);
}

TEST(SvgChart, RendersPolylineWithoutExternalReferences) {
  ChartSeries s;
  s.label = "Equity <b>";
  s.points = ramp(10);
  ChartOptions o;
  o.title = "t&t";
  o.x_is_time = false;
  const std::string svg = render_line_chart({s}, o);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("<polyline"), std::string::npos);
  EXPECT_NE(svg.find("Equity &lt;b&gt;"), std::string::npos);
  EXPECT_NE(svg.find("t&amp;t"), std::string::npos);
  EXPECT_EQ(svg.find("http"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
}

TEST(SvgChart, DegenerateInputsRender) {
  ChartOptions o;
  EXPECT_NE(render_line_chart({}, o).find("no data"), std::string::npos);
  ChartSeries one;
  one.points = {{1.7e9, 100.0}};
  const std::string svg = render_line_chart({one}, o);  // one point, flat range
  EXPECT_NE(svg.find("<circle"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
  ChartSeries bad;
  bad.points = {{0, std::numeric_limits<double>::quiet_NaN()}, {1, 5}, {2, 6}};
  EXPECT_EQ(render_line_chart({bad}, o).find("nan"), std::string::npos);
}

}  // namespace
}  // namespace cst::report
