// The JSON bodies of the engine's journal notes (run start with the configuration in force,
// risk events, a stopped strategy, run end), built with the journal's canonical JSON writer.
#pragma once

#include <cstddef>
#include <string>

#include "cst/engine/backtest_engine.hpp"
#include "cst/risk/risk_guard.hpp"

namespace cst::run_notes {

std::string run_start(const BacktestConfig& config, const RiskGuard& risk);
std::string risk_event(RiskEvent event, Money equity);
std::string strategy_stopped(const std::string& message);
std::string run_end(const BacktestResult& result, std::size_t open_orders);

}  // namespace cst::run_notes
