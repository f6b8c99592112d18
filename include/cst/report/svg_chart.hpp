// Inline SVG line charts for the HTML report: no scripts, no external references, no
// namespace URL (the HTML5 parser places <svg> in the SVG namespace by itself).
//
// Contract: render_line_chart returns one <svg> element sized by its viewBox to the page
// width. Coordinates are written with one decimal, so output is deterministic. Points must be
// sorted by x within a series; non-finite points are skipped. All text (title, labels) is
// HTML-escaped here; colors must be CSS color literals chosen by the caller, not run data.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace cst::report {

struct ChartPoint {
  double x = 0;  // seconds since the Unix epoch when ChartOptions::x_is_time
  double y = 0;
};

struct ChartSeries {
  std::string label;
  std::string color = "#1f6fb2";
  std::vector<ChartPoint> points;
  bool dashed = false;
  bool fill_to_zero = false;  // shade the area between the line and y = 0 (drawdown)
};

struct ChartOptions {
  int width = 960;
  int height = 300;
  std::string title;          // accessible name of the chart
  std::string y_suffix;       // appended to y tick labels, e.g. "%"
  bool x_is_time = true;      // x tick labels as UTC dates
  bool include_zero = false;  // stretch the y range to contain 0
};

// At most max_points points (max_points >= 4): the first and the last, and for each bucket of
// consecutive points in between its minimum and maximum in x order, so a one-bar spike
// survives. Returns the input unchanged when it is already small enough. MinMaxDownsampler
// (min_max_downsampler.hpp) gives the same points from a series that is never materialized.
std::vector<ChartPoint> downsample_min_max(std::span<const ChartPoint> points, std::size_t max_points);

std::string render_line_chart(const std::vector<ChartSeries>& series, const ChartOptions& options);

}  // namespace cst::report
