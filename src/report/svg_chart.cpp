#include "cst/report/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include "cst/core/timestamp.hpp"
#include "cst/report/min_max_downsampler.hpp"
#include "cst/report/text_format.hpp"

namespace cst::report {

namespace {

constexpr double kLeft = 76;
constexpr double kRight = 16;
constexpr double kTop = 30;
constexpr double kBottom = 30;
constexpr double kSecondsPerDay = 86400;
constexpr int kYTicksWanted = 5;
constexpr int kXLabels = 6;

struct Range {
  double lo = 0;
  double hi = 0;
};

// Maps data coordinates to the plot area inside the margins.
struct Plot {
  Range x;
  Range y;
  double width = 0;
  double height = 0;
  double px(double v) const { return kLeft + (v - x.lo) / (x.hi - x.lo) * (width - kLeft - kRight); }
  double py(double v) const { return kTop + (y.hi - v) / (y.hi - y.lo) * (height - kTop - kBottom); }
};

std::string num(double v) { return format_fixed(v, 1); }

bool finite(const ChartPoint& p) { return std::isfinite(p.x) && std::isfinite(p.y); }

bool data_range(const std::vector<ChartSeries>& series, Range& x, Range& y) {
  bool any = false;
  for (const ChartSeries& s : series) {
    for (const ChartPoint& p : s.points) {
      if (!finite(p)) continue;
      if (!any) {
        x = {p.x, p.x};
        y = {p.y, p.y};
        any = true;
      }
      x = {std::min(x.lo, p.x), std::max(x.hi, p.x)};
      y = {std::min(y.lo, p.y), std::max(y.hi, p.y)};
    }
  }
  return any;
}

// 1, 2 or 5 times a power of ten, so tick labels are round numbers.
double nice_step(double span) {
  const double raw = span / kYTicksWanted;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  const double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nice * mag;
}

Range nice_y(Range y, bool include_zero, double& step) {
  if (include_zero) y = {std::min(y.lo, 0.0), std::max(y.hi, 0.0)};
  if (y.hi - y.lo <= 1e-12 * std::max(1.0, std::fabs(y.hi))) {  // flat line: give it room
    const double pad = std::max(std::fabs(y.hi) * 0.01, 1.0);
    y = {y.lo - pad, y.hi + pad};
  }
  step = nice_step(y.hi - y.lo);
  return {std::floor(y.lo / step) * step, std::ceil(y.hi / step) * step};
}

std::string x_label(double x, double span, bool is_time) {
  if (!is_time) return format_fixed(x, 0);
  const std::string iso = format_iso8601(Timestamp{static_cast<std::int64_t>(std::llround(x * 1e9))});
  if (span >= 2 * kSecondsPerDay) return iso.substr(0, 10);  // 2024-01-31
  std::string s = iso.substr(5, 11);                         // 01-31T12:00
  s[5] = ' ';
  return s;
}

// Enough decimals to tell ticks apart and no more: step 5000 -> 0, step 0.02 -> 2.
int tick_decimals(double step) { return std::clamp(static_cast<int>(-std::floor(std::log10(step))), 0, 8); }

void render_axes(std::string& out, const Plot& p, double step, const ChartOptions& o) {
  const auto ticks = static_cast<int>(std::llround((p.y.hi - p.y.lo) / step));
  const int decimals = tick_decimals(step);
  for (int i = 0; i <= ticks; ++i) {
    const double v = p.y.lo + i * step;
    const std::string y = num(p.py(v));
    out += "<line class=\"grid\" x1=\"" + num(kLeft) + "\" y1=\"" + y + "\" x2=\"" + num(p.width - kRight) +
           "\" y2=\"" + y + "\"/>";
    out += "<text class=\"tick\" x=\"" + num(kLeft - 6) + "\" y=\"" + y + "\" text-anchor=\"end\" dy=\"0.35em\">" +
           html_escape(format_fixed(v, decimals) + o.y_suffix) + "</text>";
  }
  const double span = p.x.hi - p.x.lo;
  for (int i = 0; i < kXLabels; ++i) {
    const double v = p.x.lo + span * i / (kXLabels - 1);
    const char* anchor = i == 0 ? "start" : i == kXLabels - 1 ? "end" : "middle";
    out += "<text class=\"tick\" x=\"" + num(p.px(v)) + "\" y=\"" + num(p.height - 10) + "\" text-anchor=\"" + anchor +
           "\">" + html_escape(x_label(v, span, o.x_is_time)) + "</text>";
  }
}

void render_series(std::string& out, const Plot& p, const ChartSeries& s) {
  std::string pts;
  const ChartPoint* first = nullptr;
  const ChartPoint* last = nullptr;
  for (const ChartPoint& c : s.points) {
    if (!finite(c)) continue;
    if (!pts.empty()) pts += ' ';
    pts += num(p.px(c.x)) + "," + num(p.py(c.y));
    if (first == nullptr) first = &c;
    last = &c;
  }
  if (first == nullptr) return;
  const std::string color = html_escape(s.color);
  if (s.fill_to_zero) {
    const std::string base = num(p.py(0));
    out += "<polygon fill=\"" + color + "\" fill-opacity=\"0.25\" stroke=\"none\" points=\"" + pts + " " +
           num(p.px(last->x)) + "," + base + " " + num(p.px(first->x)) + "," + base + "\"/>";
  }
  if (first == last) {  // a one-point line draws nothing; show the point
    out += "<circle cx=\"" + num(p.px(first->x)) + "\" cy=\"" + num(p.py(first->y)) + "\" r=\"3\" fill=\"" + color +
           "\"/>";
    return;
  }
  out += "<polyline fill=\"none\" stroke=\"" + color + "\" stroke-width=\"1.5\" stroke-linejoin=\"round\"" +
         std::string(s.dashed ? " stroke-dasharray=\"6 4\"" : "") + " points=\"" + pts + "\"/>";
}

void render_legend(std::string& out, const std::vector<ChartSeries>& series) {
  double x = kLeft;
  for (const ChartSeries& s : series) {
    const std::string color = html_escape(s.color);
    out += "<line x1=\"" + num(x) + "\" y1=\"14\" x2=\"" + num(x + 22) + "\" y2=\"14\" stroke=\"" + color +
           "\" stroke-width=\"2\"" + std::string(s.dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>";
    out +=
        "<text class=\"legend\" x=\"" + num(x + 28) + "\" y=\"14\" dy=\"0.35em\">" + html_escape(s.label) + "</text>";
    x += 40 + 7.0 * static_cast<double>(s.label.size());
  }
}

}  // namespace

std::vector<ChartPoint> downsample_min_max(std::span<const ChartPoint> points, std::size_t max_points) {
  MinMaxDownsampler<double> out(points.size(), max_points);
  for (const ChartPoint& p : points) out.add(p.y, [&p] { return p; });
  return std::move(out).take();
}

std::string render_line_chart(const std::vector<ChartSeries>& series, const ChartOptions& options) {
  Plot p;
  p.width = options.width;
  p.height = options.height;
  std::string out = "<svg class=\"chart\" viewBox=\"0 0 " + std::to_string(options.width) + " " +
                    std::to_string(options.height) + "\" role=\"img\" aria-label=\"" + html_escape(options.title) +
                    "\"><title>" + html_escape(options.title) + "</title>";
  if (!data_range(series, p.x, p.y)) {
    out += "<text class=\"tick\" x=\"" + num(p.width / 2) + "\" y=\"" + num(p.height / 2) +
           "\" text-anchor=\"middle\">no data</text></svg>";
    return out;
  }
  if (p.x.hi <= p.x.lo) p.x = {p.x.lo - 1, p.x.hi + 1};  // one point in time: center it
  double step = 1;
  p.y = nice_y(p.y, options.include_zero, step);
  render_axes(out, p, step, options);
  for (const ChartSeries& s : series) render_series(out, p, s);
  render_legend(out, series);
  out += "</svg>";
  return out;
}

}  // namespace cst::report
