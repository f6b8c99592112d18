// Bar backtest speed: sma_cross over in-memory synthetic bars through the whole engine
// (gateway, venue, portfolio, journal, equity curve), excluding data parsing and the report.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "cst/engine/backtest_engine.hpp"
#include "cst/market/synthetic_market.hpp"
#include "cst/strategy/sma_cross.hpp"

namespace {

using namespace cst;

const BarSeries& bars() {
  static const BarSeries series = *generate_synthetic_bars(7, 2'000'000, SyntheticMarketOptions{});
  return series;
}

void BM_BacktestSmaCross(benchmark::State& state) {
  const BarSeries& series = bars();
  const std::string journal = (std::filesystem::temp_directory_path() / "cst_bench_backtest.db").string();
  for (auto _ : state) {
    std::filesystem::remove(journal);
    BacktestConfig config;
    config.instrument.symbol = series.symbol;
    config.instrument.price_decimals = series.price_decimals;
    config.instrument.qty_decimals = series.qty_decimals;
    config.instrument.taker_fee = FeeRate::from_bps(10);
    config.instrument.maker_fee = FeeRate::from_bps(10);
    config.starting_cash = Money::from_raw(100'000'00000000);
    config.risk_profile = RiskProfile::kResearch;
    config.journal_path = journal;
    SmaCross strategy(*SmaCrossParams::parse(
        {{"fast", std::to_string(state.range(0))}, {"slow", std::to_string(state.range(1))}}, *Sizing::parse("1")));
    auto result = run_backtest(config, series.bars, strategy);
    if (!result.ok()) state.SkipWithError(result.error().message.c_str());
    state.counters["fills"] = static_cast<double>(result.ok() ? result->fills.size() : 0);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * series.bars.size()));
  std::filesystem::remove(journal);
}
BENCHMARK(BM_BacktestSmaCross)->Args({10, 30})->Args({50, 200})->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
