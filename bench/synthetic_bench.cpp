// Synthetic market generation speed: bars alone (2M, a ~4-year minute history) and bars with
// trades and top of book.
#include <benchmark/benchmark.h>

#include "cst/market/synthetic_market.hpp"

namespace {

void BM_GenerateSyntheticBars(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    auto r = cst::generate_synthetic_bars(42, count);
    if (!r.ok()) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(r->bars.data());
  }
  state.counters["bars/s"] =
      benchmark::Counter(static_cast<double>(count), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_GenerateSyntheticBars)->Arg(2'000'000)->Unit(benchmark::kMillisecond);

void BM_GenerateSyntheticTicks(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  std::size_t trades = 0;
  for (auto _ : state) {
    auto r = cst::generate_synthetic_ticks(42, count);
    if (!r.ok()) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    trades = r->trades.size();
    benchmark::DoNotOptimize(r->trades.data());
  }
  state.counters["bars/s"] =
      benchmark::Counter(static_cast<double>(count), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["trades/s"] =
      benchmark::Counter(static_cast<double>(trades), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_GenerateSyntheticTicks)->Arg(200'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
