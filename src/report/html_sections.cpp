#include "html_sections.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "cst/report/html_report.hpp"
#include "cst/report/svg_chart.hpp"
#include "cst/report/text_format.hpp"

namespace cst::report::html {

namespace {

constexpr std::string_view kEquityColor = "#1f6fb2";
constexpr std::string_view kHoldColor = "#8a8f98";
constexpr std::string_view kDrawdownColor = "#c0392b";

std::string cell(std::string_view html, std::string_view cls = {}) {
  if (cls.empty()) return "<td>" + std::string(html) + "</td>";
  return "<td class=\"" + std::string(cls) + "\">" + std::string(html) + "</td>";
}

std::string count_cell(std::uint64_t v) { return cell(std::to_string(v), "num"); }

// All of the instrument's decimals, so a column of prices or quantities lines up.
std::string fixed(std::int64_t raw, int decimals) {
  return "<td class=\"num\">" + format_decimal(raw, decimals, false) + "</td>";
}

}  // namespace

std::string format_duration(Duration d) {
  std::int64_t s = d.ns / 1'000'000'000;
  if (s <= 0) return "0s";
  const std::int64_t days = s / 86400;
  const std::int64_t hours = (s / 3600) % 24;
  const std::int64_t minutes = (s / 60) % 60;
  s %= 60;
  std::string out;
  auto part = [&out](std::int64_t v, const char* unit) {
    if (v == 0) return;
    if (!out.empty()) out += ' ';
    out += std::to_string(v) + unit;
  };
  part(days, "d");
  part(hours, "h");
  if (days == 0) part(minutes, "m");
  if (days == 0 && hours == 0) part(s, "s");
  return out.empty() ? "0s" : out;
}

std::string money_cell(Money m) {
  const char* cls = m.is_negative() ? "num neg" : m.is_positive() ? "num pos" : "num";
  return cell(format_decimal(m.raw, kMoneyDecimals), cls);
}

std::string equity_section(const Statistics& stats, CurveCharts& charts) {
  std::vector<ChartSeries> series;
  if (!charts.equity.empty()) {
    series.push_back(ChartSeries{"Strategy equity", std::string(kEquityColor), std::move(charts.equity), false, false});
    if (charts.buy_and_hold) {
      series.push_back(
          ChartSeries{"Buy & hold", std::string(kHoldColor), std::move(*charts.buy_and_hold), true, false});
    }
  }
  ChartOptions o;
  o.title = "Equity curve";
  std::string out = "<section><h2>Equity</h2>" + render_line_chart(series, o);
  if (!stats.has_buy_and_hold) out += "<p class=\"note\">Buy &amp; hold is not shown: bar closes are not known.</p>";
  return out + "</section>";
}

std::string drawdown_section(CurveCharts& charts) {
  std::vector<ChartSeries> series;
  if (!charts.drawdown.empty()) {
    series.push_back(
        ChartSeries{"Drawdown from peak", std::string(kDrawdownColor), std::move(charts.drawdown), false, true});
  }
  ChartOptions o;
  o.title = "Drawdown";
  o.height = 200;
  o.y_suffix = "%";
  o.include_zero = true;
  return "<section><h2>Drawdown</h2>" + render_line_chart(series, o) + "</section>";
}

std::string decisions_section(const DecisionCounts& d) {
  std::string out =
      "<section><h2>Gateway decisions</h2><table class=\"compact\"><thead><tr><th>Approved</th>"
      "<th>Reduced</th><th>Rejected</th></tr></thead><tbody><tr>" +
      count_cell(d.approved) + count_cell(d.reduced) + count_cell(d.rejected) + "</tr></tbody></table>";
  std::string rows;
  for (int i = 0; i < kReasonCodeCount; ++i) {
    const auto idx = static_cast<std::size_t>(i);
    if (d.reduced_by_reason[idx] == 0 && d.rejected_by_reason[idx] == 0) continue;
    rows += "<tr>" + cell(html_escape(to_string(static_cast<ReasonCode>(i)))) + count_cell(d.reduced_by_reason[idx]) +
            count_cell(d.rejected_by_reason[idx]) + "</tr>";
  }
  if (rows.empty()) return out + "<p class=\"note\">No order was reduced or rejected.</p></section>";
  return out +
         "<h3>By reason</h3><table class=\"compact\"><thead><tr><th>Reason</th><th>Reduced</th>"
         "<th>Rejected</th></tr></thead><tbody>" +
         rows + "</tbody></table></section>";
}

std::string trades_section(const BacktestResult& r) {
  const auto& trades = r.closed_trades;
  std::string out = "<section><h2>Trades</h2>";
  if (trades.empty()) return out + "<p class=\"note\">No closed trades.</p></section>";
  out +=
      "<table><thead><tr><th>#</th><th>Entry time</th><th>Exit time</th><th>Side</th><th>Qty</th>"
      "<th>Entry price</th><th>Exit price</th><th>PnL (net)</th><th>Fees</th></tr></thead><tbody>";
  const std::size_t shown = std::min(trades.size(), kMaxTradeRows);
  const Instrument& ins = r.instrument;
  for (std::size_t i = 0; i < shown; ++i) {
    const ClosedTrade& t = trades[i];
    out += "<tr>" + count_cell(i + 1) + cell(html_escape(format_utc(t.entry_time))) +
           cell(html_escape(format_utc(t.exit_time))) + cell(to_string(t.side)) + fixed(t.qty.raw, ins.qty_decimals) +
           fixed(t.entry_price.raw, ins.price_decimals) + fixed(t.exit_price.raw, ins.price_decimals) +
           money_cell(t.pnl) + cell(format_decimal(t.fees.raw, kMoneyDecimals), "num") + "</tr>";
  }
  out += "</tbody></table>";
  if (shown < trades.size()) {
    out += "<p class=\"note\">Showing the first " + std::to_string(shown) + " of " + std::to_string(trades.size()) +
           " trades; " + std::to_string(trades.size() - shown) + " omitted. The statistics cover all of them.</p>";
  }
  return out + "</section>";
}

std::string errors_section(const BacktestResult& r) {
  if (r.strategy_errors.empty()) return {};
  std::string out = "<section><h2>Strategy errors</h2><ul class=\"errors\">";
  for (const std::string& e : r.strategy_errors) out += "<li>" + html_escape(e) + "</li>";
  return out + "</ul></section>";
}

}  // namespace cst::report::html
