// Turns `cst backtest` arguments into a ready run: bars loaded and checked, instrument,
// strategy and engine configuration built. Every problem is reported with what and where.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cst/core/result.hpp"
#include "cst/engine/backtest_engine.hpp"
#include "cst/market/bar_series.hpp"
#include "cst/strategy/strategy.hpp"

namespace cst::cli {

struct BacktestArgs {
  std::string data_file;
  std::string format = "ohlcv-csv";
  std::optional<std::uint64_t> synthetic_seed;
  std::uint64_t synthetic_bars = 100'000;
  std::string symbol;
  std::string strategy;
  std::vector<std::string> params;
  std::string cash = "100000";
  std::string size = "10%";
  std::string commission_bps = "10";
  std::string maker_bps;
  std::string taker_bps;
  std::string fill = "next-open";
  std::string risk_profile = "moderate";
  std::optional<RiskLimits> risk_limits;  // from a config file's [risk] limits
  bool allow_short = false;
  std::int64_t slippage_bps = 0;
  std::int64_t spread_bps = 0;
  double partial_probability = 0.0;
  double partial_ratio = 0.5;
  std::int64_t latency_ms = 0;
  std::uint64_t fill_seed = 1;
  std::string out_dir;
  bool timings = false;
};

struct BacktestSetup {
  BarSeries series;
  BacktestConfig config;
  std::unique_ptr<Strategy> strategy;
};

Result<BacktestSetup> prepare_backtest(const BacktestArgs& args);

}  // namespace cst::cli
