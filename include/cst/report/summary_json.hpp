// summary.json: the machine-readable result of one backtest, for sweeps, CI and comparisons.
//
// Contract: the document is a pretty-printed JSON object whose keys appear in a fixed order.
// Money and quantities are JSON numbers with the exact decimal text of the fixed-point value
// (100123.45678901, trailing zeros trimmed); doubles have exactly 6 decimals (locale-free), and
// a value that is undefined (profit factor without losses, non-finite) is null. first_bar and
// last_bar are ISO 8601 UTC, null for a run without bars. by_reason lists only reasons with a
// non-zero count, in ReasonCode order. Percents end in _pct; win_rate and cagr are fractions.
// The same inputs always give the same bytes. Written with write_file_atomically.
#pragma once

#include <string>

#include "cst/core/result.hpp"
#include "cst/engine/backtest_result.hpp"
#include "cst/report/statistics.hpp"

namespace cst::report {

// Bumped when a key is renamed or removed (adding keys keeps the version).
inline constexpr int kSummarySchemaVersion = 1;

std::string render_summary_json(const BacktestResult& result, const Statistics& stats);

// Renders and writes atomically to `path`; kIo if the file cannot be written.
Status write_summary_json(const BacktestResult& result, const Statistics& stats, const std::string& path);

}  // namespace cst::report
