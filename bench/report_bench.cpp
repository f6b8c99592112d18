// Report cost on a long run: compute_statistics, render_summary_json and render_html_report over
// a BacktestResult with 2M one-minute equity points, 4000 fills and 2000 closed trades (the
// "statistics and reports" phase of `cst backtest`, without the file writes). Each stage is
// timed on its own, then the three together.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "cst/core/rng.hpp"
#include "cst/report/html_report.hpp"
#include "cst/report/statistics.hpp"
#include "cst/report/summary_json.hpp"

namespace {

using namespace cst;

constexpr std::size_t kPoints = 2'000'000;
constexpr std::size_t kTrades = 2'000;

// Uniform in [lo, hi] from the portable seeded generator: the same input on every machine.
std::int64_t draw(Rng& rng, std::int64_t lo, std::int64_t hi) {
  return lo + static_cast<std::int64_t>(rng.next_u64() % static_cast<std::uint64_t>(hi - lo + 1));
}

BacktestResult make_result() {
  BacktestResult r;
  r.strategy = "sma_cross";
  r.params = {{"fast", "10"}, {"slow", "30"}};
  r.data_source = "synthetic:7";
  r.risk_profile = "research";
  r.fill_mode = "next-open";
  r.instrument.symbol = "BTC-USD";
  r.instrument.price_decimals = 2;
  r.instrument.qty_decimals = 6;
  r.starting_cash = Money::from_raw(100'000'00000000);
  Rng rng(7);
  const Timestamp start = Timestamp::from_seconds(1'704'067'200);  // 2024-01-01
  std::int64_t equity = r.starting_cash.raw;
  std::int64_t close = 4'200'000;  // 42000.00
  std::int64_t position = 0;
  r.equity_curve.reserve(kPoints);
  for (std::size_t i = 0; i < kPoints; ++i) {
    close = std::max<std::int64_t>(100, close + draw(rng, -800, 800));
    equity += draw(rng, -2'000'000'000, 2'000'500'000);
    if (i % 1000 == 0) position = position == 0 ? 100'000 : 0;
    r.equity_curve.push_back(EquityPoint{start + Duration::from_seconds(60 * static_cast<std::int64_t>(i + 1)),
                                         Money::from_raw(equity), Qty::from_raw(position), Price::from_raw(close)});
  }
  for (std::size_t i = 0; i < 2 * kTrades; ++i) {
    const EquityPoint& p = r.equity_curve[i * 1000 / 2];
    r.fills.push_back(FillRecord{p.time, "c" + std::to_string(i), i % 2 == 0 ? Side::kBuy : Side::kSell,
                                 Qty::from_raw(100'000), p.close, Money::from_raw(draw(rng, 1'000'000, 9'000'000)),
                                 false});
  }
  for (std::size_t i = 0; i < kTrades; ++i) {
    ClosedTrade t;
    t.entry_time = r.equity_curve[i * 1000].time;
    t.exit_time = r.equity_curve[i * 1000 + 999].time;
    t.qty = Qty::from_raw(100'000);
    t.entry_price = r.equity_curve[i * 1000].close;
    t.exit_price = r.equity_curve[i * 1000 + 999].close;
    t.pnl = Money::from_raw(draw(rng, -50'000'000'000, 60'000'000'000));
    t.fees = Money::from_raw(draw(rng, 1'000'000, 9'000'000));
    r.closed_trades.push_back(t);
  }
  r.bars = kPoints;
  r.first_bar = r.equity_curve.front().time;
  r.last_bar = r.equity_curve.back().time;
  r.final_equity = r.equity_curve.back().equity;
  r.final_cash = r.final_equity;
  r.decisions.approved = 4000;
  return r;
}

const BacktestResult& result() {
  static const BacktestResult r = make_result();
  return r;
}

const report::Statistics& stats() {
  static const report::Statistics s = report::compute_statistics(result()).value();
  return s;
}

void BM_ComputeStatistics(benchmark::State& state) {
  const BacktestResult& r = result();
  for (auto _ : state) {
    auto s = report::compute_statistics(r);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * r.equity_curve.size()));
}
BENCHMARK(BM_ComputeStatistics)->Unit(benchmark::kMillisecond);

void BM_RenderSummaryJson(benchmark::State& state) {
  const BacktestResult& r = result();
  const report::Statistics& s = stats();
  for (auto _ : state) {
    std::string json = report::render_summary_json(r, s);
    benchmark::DoNotOptimize(json);
  }
}
BENCHMARK(BM_RenderSummaryJson)->Unit(benchmark::kMicrosecond);

void BM_RenderHtmlReport(benchmark::State& state) {
  const BacktestResult& r = result();
  const report::Statistics& s = stats();
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string html = report::render_html_report(r, s);
    bytes = html.size();
    benchmark::DoNotOptimize(html);
  }
  state.counters["html_bytes"] = static_cast<double>(bytes);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * r.equity_curve.size()));
}
BENCHMARK(BM_RenderHtmlReport)->Unit(benchmark::kMillisecond);

// The whole phase as `cst backtest` runs it, minus the two atomic file writes.
void BM_StatisticsAndReports(benchmark::State& state) {
  const BacktestResult& r = result();
  for (auto _ : state) {
    const report::Statistics s = report::compute_statistics(r).value();
    std::string json = report::render_summary_json(r, s);
    std::string html = report::render_html_report(r, s);
    benchmark::DoNotOptimize(json);
    benchmark::DoNotOptimize(html);
  }
}
BENCHMARK(BM_StatisticsAndReports)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
