// The human-readable report of one backtest: a single self-contained HTML file.
//
// Contract: one file with inline CSS and inline SVG charts; no scripts and no external
// resources (no http/https URL anywhere), so it opens offline and can be archived as is.
// Content: run header (strategy, params, data, period, risk profile, fill mode, instrument),
// summary statistics with the Sharpe definition as a footnote, equity curve against buy-and-hold
// (at most kMaxChartPoints per series, min/max per bucket so spikes stay visible), drawdown,
// gateway decisions by reason, the first kMaxTradeRows closed trades (with a count of the rest)
// and strategy errors. Every piece of run text is HTML-escaped. Output is deterministic (no
// generation time) and an empty run (no bars or trades) renders without dividing by zero.
#pragma once

#include <cstddef>
#include <string>

#include "cst/core/result.hpp"
#include "cst/engine/backtest_result.hpp"
#include "cst/report/statistics.hpp"

namespace cst::report {

inline constexpr std::size_t kMaxChartPoints = 2000;
inline constexpr std::size_t kMaxTradeRows = 500;

std::string render_html_report(const BacktestResult& result, const Statistics& stats);

// Renders and writes atomically to `path`; kIo if the file cannot be written.
Status write_html_report(const BacktestResult& result, const Statistics& stats, const std::string& path);

}  // namespace cst::report
