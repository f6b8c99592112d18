// Gateway decision cost: RiskGuard + ExecutionPolicy + idempotency + journal enqueue, on one
// core, with the journal's writer thread draining on the other. Reports throughput
// (items_per_second) and p50/p99 of individually timed decisions (counters p50_ns, p99_ns).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "cst/audit/audit_journal.hpp"
#include "cst/gateway/execution_gateway.hpp"

namespace {

using namespace cst;

struct Fixture {
  Instrument inst;
  RiskGuard risk = *RiskGuard::create(RiskProfile::kModerate, TradingMode::kBacktest);
  ExecutionPolicy policy{ExecutionPolicyConfig{Duration::from_ms(500), 50, Money::from_raw(1), Qty{}, 200,
                                               Money::from_raw(100'000'00000000), Qty{}, 0, Duration::from_seconds(1),
                                               0, Duration::from_seconds(60)}};
  std::unique_ptr<AuditJournal> journal;
  std::string path;

  explicit Fixture(const std::string& name) {
    inst.symbol = "BTC-USD";
    inst.price_decimals = 2;
    inst.qty_decimals = 8;
    inst.taker_fee = FeeRate::from_bps(10);
    path = (std::filesystem::temp_directory_path() / ("cst_bench_" + name + ".db")).string();
    std::filesystem::remove(path);
    JournalOptions options;
    options.durability = JournalDurability::kNone;
    options.queue_capacity = 1 << 18;
    journal = std::move(*AuditJournal::open(path, options));
  }
  ~Fixture() {
    (void)journal->close();
    journal.reset();
    std::filesystem::remove(path);
  }
};

AccountState flat_account() {
  AccountState account;
  account.equity = Money::from_raw(100'000'00000000);
  account.cash = account.equity;
  account.start_of_day_equity = account.equity;
  account.equity_peak = account.equity;
  return account;
}

// A BTC-like book around 30000.00 with 5 BTC at the touch.
MarketSnapshot book_market() {
  MarketSnapshot market;
  market.time = Timestamp::from_seconds(1'700'000'000);
  market.last = Price::from_raw(3'000'000);
  market.bid = Price::from_raw(2'999'950);
  market.ask = Price::from_raw(3'000'050);
  market.bid_qty = Qty::from_raw(5'00000000);
  market.ask_qty = Qty::from_raw(5'00000000);
  return market;
}

std::vector<ClientOrderId> make_ids(std::size_t n) {
  std::vector<ClientOrderId> ids;
  ids.reserve(n);
  ClientOrderIdGenerator gen("bench");
  for (std::size_t i = 0; i < n; ++i) ids.push_back(gen.next());
  return ids;
}

// A limit order at 30000.00 from source "bench"; vary_intent() gives decision i its id,
// alternating side and one of seven sizes.
OrderIntent limit_intent() {
  OrderIntent intent;
  intent.instrument = InstrumentId{0};
  intent.source = *SourceId::parse("bench");
  intent.type = OrderType::kLimit;
  intent.limit_price = Price::from_raw(3'000'000);
  return intent;
}

void vary_intent(OrderIntent& intent, const std::vector<ClientOrderId>& ids, std::size_t i) {
  intent.client_order_id = ids[i];
  intent.side = (i & 1) ? Side::kSell : Side::kBuy;
  intent.qty = Qty::from_raw(1'000'000 + static_cast<std::int64_t>(i % 7) * 100'000);
}

// One decision, timed with the steady clock; returns nanoseconds.
std::uint32_t timed_decide(ExecutionGateway& gateway, const Fixture& f, const OrderIntent& intent,
                           const AccountState& account, const MarketSnapshot& market) {
  const auto t0 = std::chrono::steady_clock::now();
  auto out = gateway.decide(intent, f.inst, account, market, market.time);
  const auto t1 = std::chrono::steady_clock::now();
  benchmark::DoNotOptimize(out);
  return static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
}

void report_percentiles(benchmark::State& state, std::vector<std::uint32_t>& samples) {
  if (samples.empty()) return;
  std::sort(samples.begin(), samples.end());
  state.counters["p50_ns"] = samples[samples.size() / 2];
  state.counters["p99_ns"] = samples[samples.size() * 99 / 100];
  state.counters["p999_ns"] = samples[samples.size() * 999 / 1000];
}

// Everything a timed-decision benchmark needs: a gateway over a real journal, n distinct ids,
// a flat account, a book, and room for one latency sample per decision.
struct TimedRun {
  Fixture f;
  ExecutionGateway gateway;
  std::vector<ClientOrderId> ids;
  AccountState account = flat_account();
  MarketSnapshot market = book_market();
  OrderIntent intent = limit_intent();
  std::vector<std::uint32_t> samples;

  TimedRun(const std::string& name, std::size_t n, bool journal_decision_time)
      : f(name),
        gateway(f.risk, f.policy, *f.journal, GatewayOptions{journal_decision_time, 1 << 22}),
        ids(make_ids(n)) {
    samples.reserve(n);
  }
  // Decides the i-th order and records its latency.
  void decide(std::size_t i) {
    vary_intent(intent, ids, i);
    samples.push_back(timed_decide(gateway, f, intent, account, market));
  }
};

void BM_GatewayDecision(benchmark::State& state) {
  TimedRun run("gateway", 3'000'000, true);
  std::size_t i = 0;
  for (auto _ : state) {
    if (i == run.ids.size()) {
      state.SkipWithError("ran out of pre-generated ids");
      break;
    }
    run.decide(i++);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(i));
  report_percentiles(state, run.samples);
  const GatewayStats& stats = run.gateway.stats();
  state.counters["approved"] = static_cast<double>(stats.total.approved + stats.total.reduced);
}
BENCHMARK(BM_GatewayDecision)->Iterations(2'000'000)->Unit(benchmark::kNanosecond);

// Throughput without per-decision clock reads (the timer calls above cost ~40 ns each).
void BM_GatewayThroughput(benchmark::State& state) {
  Fixture f("gateway_tp");
  ExecutionGateway gateway(f.risk, f.policy, *f.journal, GatewayOptions{false, 1 << 22});
  const std::size_t n = 3'000'000;
  const auto ids = make_ids(n);
  const AccountState account = flat_account();
  const MarketSnapshot market = book_market();
  OrderIntent intent;
  intent.source = *SourceId::parse("bench");
  intent.qty = Qty::from_raw(1'000'000);
  std::size_t i = 0;
  for (auto _ : state) {
    intent.client_order_id = ids[i % n];
    intent.side = (i & 1) ? Side::kSell : Side::kBuy;
    benchmark::DoNotOptimize(gateway.decide(intent, f.inst, account, market, market.time));
    ++i;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(i));
}
BENCHMARK(BM_GatewayThroughput)->Iterations(3'000'000)->Unit(benchmark::kNanosecond);

// Decision cost alone: bursts of 50,000 decisions that fit in the journal's ring, with the
// writer draining between bursts (outside the timed region), so the producer never waits on
// the writer threads that share this 2-core machine.
void BM_GatewayDecisionBurst(benchmark::State& state) {
  constexpr std::size_t kBurst = 50'000;
  const auto n = static_cast<std::size_t>(state.range(0));  // distinct client order ids over the run
  TimedRun run("gateway_burst", n, false);
  std::size_t i = 0;
  for (auto _ : state) {
    for (std::size_t k = 0; k < kBurst && i < n; ++k) run.decide(i++);
    state.PauseTiming();
    (void)run.f.journal->flush();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(i));
  report_percentiles(state, run.samples);
}
// 100k used ids keep the idempotency table in cache; 2M make each new id's probe a cache miss.
BENCHMARK(BM_GatewayDecisionBurst)->Arg(100'000)->Iterations(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GatewayDecisionBurst)->Arg(2'000'000)->Iterations(40)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
