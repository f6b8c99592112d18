// The human summary printed after a backtest.
#pragma once

#include <ostream>

#include "cst/engine/backtest_result.hpp"
#include "cst/report/statistics.hpp"

namespace cst::cli {

void print_summary_table(std::ostream& out, const BacktestResult& result, const report::Statistics& stats);

}  // namespace cst::cli
