// BacktestEngine: the single-threaded event loop over bars with a simulated clock.
//
// Per bar: day roll → venue matches working orders at the bar's open/range → portfolio
// marked at the close → venue told the bar closed → loss limits evaluated → strategy.on_bar at
// the bar's close time (orders it submits go through the ExecutionGateway and, if approved, to
// the SimVenue) → timers → one equity point, after everything the bar brought, so the last
// point equals the final equity. A strategy that throws is stopped and reported once; the run
// completes. Every decision and order event is journaled; the journal is flushed and sealed
// before run() returns. Bars out of time order are refused before the journal is created.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>

#include "cst/core/instrument.hpp"
#include "cst/core/result.hpp"
#include "cst/engine/backtest_result.hpp"
#include "cst/gateway/execution_policy.hpp"
#include "cst/market/market_event.hpp"
#include "cst/risk/risk_limits.hpp"
#include "cst/strategy/strategy.hpp"
#include "cst/venues/sim_venue.hpp"

namespace cst {

struct BacktestConfig {
  Instrument instrument;
  Money starting_cash;
  RiskProfile risk_profile = RiskProfile::kModerate;
  // Limits from the configuration file instead of the profile's (each within the hard ceilings).
  std::optional<RiskLimits> risk_limits;
  ExecutionPolicyConfig policy;
  SimVenueConfig venue;
  std::string journal_path;  // created; must not exist yet
  Duration bar_interval{};   // 0: the smallest gap between the first bars
  // Echoed into the result for the report.
  std::string strategy_name;
  std::map<std::string, std::string> params;
  std::string data_source;
  // Called now and then with (bars done, bars total); may be empty.
  std::function<void(std::uint64_t, std::uint64_t)> progress;
};

// Runs `strategy` over `bars` (strictly increasing times). Errors are about the setup
// (bad config, journal cannot be created); strategy failures are reported in the result.
Result<BacktestResult> run_backtest(const BacktestConfig& config, std::span<const Bar> bars, Strategy& strategy);

}  // namespace cst
