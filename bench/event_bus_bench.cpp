// EventBus benchmarks, 64-byte events (a quote: time, instrument, bid/ask and sizes, last,
// sequence), default capacity 1000. P = policy: 0 kBlock, 1 kDropOldest.
//   BM_PushPopOneThread/P          push then try_pop on one thread: the cost of the lock and
//                                  the copy with nobody contending.
//   BM_PushThenDrain/P/B           B pushes, then one drain of B: an engine loop taking its
//                                  events in batches.
//   BM_ProducerToConsumer/P/B      one producer thread pushes 1 M events as fast as it can, the
//                                  benchmark thread consumes (pop_until, then drain of up to
//                                  B-1 more). Wall clock. Counters: dropped and blocked pushes
//                                  per event pushed.
// Run: build/<dir>/bench/cst_bench_event_bus
#include <benchmark/benchmark.h>

#include <cstdint>
#include <thread>
#include <vector>

#include "cst/engine/event_bus.hpp"

namespace {

using namespace cst;

struct Quote {
  std::int64_t time_ns = 0;
  std::int64_t instrument = 0;
  std::int64_t bid = 0, ask = 0;
  std::int64_t bid_qty = 0, ask_qty = 0;
  std::int64_t last = 0;
  std::int64_t seq = 0;
};
static_assert(sizeof(Quote) == 64);

OverflowPolicy policy_arg(const benchmark::State& state) {
  return state.range(0) == 0 ? OverflowPolicy::kBlock : OverflowPolicy::kDropOldest;
}

void BM_PushPopOneThread(benchmark::State& state) {
  EventBus<Quote> bus(policy_arg(state));
  Quote q;
  for (auto _ : state) {
    ++q.seq;
    bus.push(q);
    auto out = bus.try_pop();
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PushPopOneThread)->Arg(0)->Arg(1);

void BM_PushThenDrain(benchmark::State& state) {
  EventBus<Quote> bus(policy_arg(state));
  const auto batch = static_cast<std::size_t>(state.range(1));
  std::vector<Quote> out;
  out.reserve(batch);
  Quote q;
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) {
      ++q.seq;
      bus.push(q);
    }
    out.clear();
    bus.drain(out, batch);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(1));
}
BENCHMARK(BM_PushThenDrain)->Args({0, 64})->Args({1, 64});

void BM_ProducerToConsumer(benchmark::State& state) {
  constexpr std::int64_t kEvents = 1'000'000;
  const auto batch = static_cast<std::size_t>(state.range(1));
  double dropped = 0, blocked = 0, received_total = 0;
  std::vector<Quote> out;
  out.reserve(batch);
  for (auto _ : state) {
    EventBus<Quote> bus(policy_arg(state));
    std::thread producer([&bus] {
      Quote q;
      for (std::int64_t i = 0; i < kEvents; ++i) {
        q.seq = i;
        bus.push(q);
      }
      bus.close();
    });
    std::int64_t received = 0;
    while (auto e = bus.pop_until(EventBus<Quote>::Clock::time_point::max())) {
      benchmark::DoNotOptimize(*e);
      out.clear();
      received += 1 + static_cast<std::int64_t>(bus.drain(out, batch - 1));
    }
    producer.join();
    dropped += static_cast<double>(bus.dropped());
    blocked += static_cast<double>(bus.blocked_pushes());
    received_total += static_cast<double>(received);
  }
  const double pushed = static_cast<double>(state.iterations() * kEvents);
  state.SetItemsProcessed(state.iterations() * kEvents);
  state.counters["dropped_pct"] = 100.0 * dropped / pushed;
  state.counters["blocked_pct"] = 100.0 * blocked / pushed;
  state.counters["received_pct"] = 100.0 * received_total / pushed;
}
BENCHMARK(BM_ProducerToConsumer)
    ->Args({0, 1})
    ->Args({1, 1})
    ->Args({0, 64})
    ->Args({1, 64})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
