// Section renderers of the HTML report (private to the report module). Each returns an HTML
// fragment with every piece of run text escaped; html_report.cpp assembles the page.
#pragma once

#include <string>
#include <string_view>

#include "cst/core/timestamp.hpp"
#include "cst/engine/backtest_result.hpp"
#include "cst/report/statistics.hpp"
#include "curve_charts.hpp"

namespace cst::report::html {

// "3d 4h 5m", "12m 30s", "0s": enough precision for drawdown lengths.
std::string format_duration(Duration d);

// Exact money text with a class for the sign, for table cells.
std::string money_cell(Money m);

// The chart sections take their series from `charts` (moved out).
std::string equity_section(const Statistics& stats, CurveCharts& charts);
std::string drawdown_section(CurveCharts& charts);
std::string decisions_section(const DecisionCounts& decisions);
std::string trades_section(const BacktestResult& result);
std::string errors_section(const BacktestResult& result);

}  // namespace cst::report::html
