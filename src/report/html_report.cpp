#include "cst/report/html_report.hpp"

#include <utility>
#include <vector>

#include "cst/core/atomic_file.hpp"
#include "cst/report/returns.hpp"
#include "cst/report/text_format.hpp"
#include "html_sections.hpp"

namespace cst::report {

namespace {

constexpr std::string_view kCss = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#f5f6f8;margin:0}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 12px}h2{font-size:17px;margin:4px 0 10px}h3{font-size:15px;margin:16px 0 8px}
section,header{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:12px 18px;margin-bottom:16px}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
table.compact{width:auto;min-width:320px}
th,td{padding:4px 10px;border-bottom:1px solid #eceef2;text-align:left;vertical-align:top}
th{background:#f0f2f5;font-weight:600}
td.num{text-align:right;white-space:nowrap}
.pos{color:#1e7d32}.neg{color:#b3261e}
.grid2{display:flex;gap:24px;flex-wrap:wrap}.grid2>table{flex:1;min-width:300px}
table.meta th{width:160px;background:none}
.note{color:#5b6270;font-size:12.5px}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
svg.chart{width:100%;height:auto;display:block}
svg .grid{stroke:#e3e6eb;stroke-width:1}
svg .tick,svg .legend{font-size:11px;fill:#5b6270}
ul.errors li{font-family:ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap}
)css";

std::string meta_row(std::string_view label, const std::string& html) {
  return "<tr><th>" + std::string(label) + "</th><td>" + html + "</td></tr>";
}

std::string params_html(const std::map<std::string, std::string>& params) {
  if (params.empty()) return "<span class=\"note\">none</span>";
  std::string out;
  for (const auto& [name, value] : params) {  // std::map: sorted, deterministic
    if (!out.empty()) out += ", ";
    out += "<code>" + html_escape(name) + "=" + html_escape(value) + "</code>";
  }
  return out;
}

std::string period_html(const BacktestResult& r) {
  if (r.bars == 0 && r.equity_curve.empty()) return "no bars";
  return html_escape(format_utc(r.first_bar)) + " &ndash; " + html_escape(format_utc(r.last_bar)) + " (" +
         std::to_string(r.bars) + " bars)";
}

std::string header_html(const BacktestResult& r) {
  const Instrument& ins = r.instrument;
  std::string out = "<header><h1>Backtest report: " + html_escape(r.strategy) + " on " + html_escape(ins.symbol) +
                    "</h1><table class=\"meta\"><tbody>";
  out += meta_row("Strategy", html_escape(r.strategy));
  out += meta_row("Parameters", params_html(r.params));
  out += meta_row("Data", "<code>" + html_escape(r.data_source) + "</code>");
  out += meta_row("Period", period_html(r));
  out += meta_row("Instrument", html_escape(ins.symbol) + " (price decimals " + std::to_string(ins.price_decimals) +
                                    ", qty decimals " + std::to_string(ins.qty_decimals) + ")");
  out += meta_row("Risk profile", html_escape(r.risk_profile));
  out += meta_row("Fill mode", html_escape(r.fill_mode));
  out += meta_row("Journal head", "<code>" + html_escape(r.journal_head_hash) + "</code>");
  return out + "</tbody></table></header>";
}

std::string pct(double v) { return format_fixed(v, 2) + "%"; }
std::string money(Money m) { return format_decimal(m.raw, kMoneyDecimals); }

using Row = std::pair<std::string, std::string>;  // label html, value html

std::vector<Row> summary_rows(const BacktestResult& r, const Statistics& s) {
  const std::string fn = "<sup><a href=\"#risk-def\">1</a></sup>";
  return {
      {"Starting cash", money(s.starting_cash)},
      {"Final equity", money(s.final_equity)},
      {"Net PnL", money(s.net_pnl)},
      {"Return", pct(s.return_pct)},
      {"Buy &amp; hold return", s.has_buy_and_hold ? pct(s.buy_and_hold_return_pct) : "n/a"},
      {"CAGR", pct(s.cagr * 100.0)},
      {"Max drawdown", pct(s.max_drawdown_pct)},
      {"Max drawdown duration",
       std::to_string(s.max_drawdown_duration_bars) + " bars / " + html::format_duration(s.max_drawdown_duration)},
      {"Sharpe" + fn, format_fixed(s.sharpe, 3)},
      {"Sortino" + fn, format_fixed(s.sortino, 3)},
      {"Volatility (annualized)" + fn, pct(s.volatility_pct)},
      {"Exposure", pct(s.exposure_pct)},
      {"Fills", std::to_string(s.fills)},
      {"Closed trades", std::to_string(s.closed_trades) + " (" + std::to_string(s.winning_trades) + " won, " +
                            std::to_string(s.losing_trades) + " lost)"},
      {"Win rate", pct(s.win_rate * 100.0)},
      {"Profit factor", s.profit_factor ? format_fixed(*s.profit_factor, 3) : "n/a"},
      {"Average trade PnL", money(s.avg_trade_pnl)},
      {"Best / worst trade", money(s.best_trade_pnl) + " / " + money(s.worst_trade_pnl)},
      {"Fees", money(s.fees)},
      {"Realized / unrealized PnL", money(r.realized_pnl) + " / " + money(r.unrealized_pnl)},
      {"Final position", html_escape(r.instrument.format(r.final_position))},
  };
}

std::string basis_note(const Statistics& s) {
  switch (s.return_basis) {
    case ReturnBasis::kDaily:
      return "This run: daily returns, " + std::to_string(s.return_samples) + " samples, P = 365.";
    case ReturnBasis::kPerBar:
      return "This run: bar-to-bar returns (less than 2 days of data), " + std::to_string(s.return_samples) +
             " samples, P = " + format_fixed(s.periods_per_year, 1) + ".";
    case ReturnBasis::kNone: break;
  }
  return "This run: fewer than 2 returns, so Sharpe, Sortino and volatility are 0.";
}

std::string summary_html(const BacktestResult& r, const Statistics& s) {
  const std::vector<Row> rows = summary_rows(r, s);
  const std::size_t half = (rows.size() + 1) / 2;
  std::string out = "<section><h2>Summary</h2><div class=\"grid2\">";
  for (std::size_t part = 0; part < 2; ++part) {
    out += "<table><tbody>";
    const std::size_t end = part == 0 ? half : rows.size();
    for (std::size_t i = part == 0 ? 0 : half; i < end; ++i) {
      out += "<tr><th>" + rows[i].first + "</th><td class=\"num\">" + rows[i].second + "</td></tr>";
    }
    out += "</tbody></table>";
  }
  out += "</div><p class=\"note\" id=\"risk-def\"><sup>1</sup> " + html_escape(kRiskRatioDefinition) + " " +
         html_escape(basis_note(s)) + " Money is exact (quote currency); PnL of a trade is net of its fees.</p>";
  return out + "</section>";
}

}  // namespace

std::string render_html_report(const BacktestResult& result, const Statistics& stats) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Backtest: " +
      html_escape(result.strategy) + " on " + html_escape(result.instrument.symbol) + "</title><style>" +
      std::string(kCss) + "</style></head>\n<body><main>\n";
  out += header_html(result) + "\n";
  out += summary_html(result, stats) + "\n";
  // One walk over the curve for all three charts.
  html::CurveCharts charts = html::downsample_curve(result, stats.has_buy_and_hold, kMaxChartPoints);
  out += html::equity_section(stats, charts) + "\n";
  out += html::drawdown_section(charts) + "\n";
  out += html::decisions_section(result.decisions) + "\n";
  out += html::trades_section(result) + "\n";
  out += html::errors_section(result);
  out += "</main></body></html>\n";
  return out;
}

Status write_html_report(const BacktestResult& result, const Statistics& stats, const std::string& path) {
  return write_file_atomically(path, render_html_report(result, stats));
}

}  // namespace cst::report
