// AuditJournal benchmarks.
//   BM_JournalThroughput/N/D   append N DecisionRecords and flush (records/s, wall clock; the
//                              work happens on the writer thread). D = durability 0 none,
//                              1 normal, 2 full.
//   BM_AppendLatency           one append into a queue with room (what the gateway pays).
//   BM_AppendLatencyPercentiles the same, timed one by one: p50/p99/p99.9/max counters in ns.
//   BM_FormatDecision, BM_HashRecord  the writer's per-record CPU work, for the breakdown.
// Run: build/<dir>/bench/cst_bench_journal --benchmark_min_time=1
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "cst/audit/audit_journal.hpp"
#include "cst/audit/hash_chain.hpp"
#include "cst/audit/record_format.hpp"

namespace {

using namespace cst;

std::string fresh_path() {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("cst_bench_journal_" + std::to_string(::getpid()) + ".journal"))
          .string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return path;
}

void remove_journal(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

// A realistic decision: all fields set, a reduced verdict with two reasons.
DecisionRecord sample_decision(std::uint64_t id) {
  DecisionRecord d;
  d.decision_id = id;
  d.time = Timestamp{static_cast<std::int64_t>(1'700'000'000'000'000'000 + id * 1'000'000)};
  d.intent.client_order_id = *ClientOrderId::parse("bt-sma-000000012345");
  d.intent.account = AccountId{1};
  d.intent.instrument = InstrumentId{7};
  d.intent.source = *SourceId::parse("sma_cross");
  d.intent.side = Side::kBuy;
  d.intent.type = OrderType::kLimit;
  d.intent.qty = Qty::from_raw(12'345'678);
  d.intent.limit_price = Price::from_raw(4'250'075);
  d.intent.time = d.time;
  d.verdict = Verdict::kReduced;
  d.reason = ReasonCode::kPositionLimit;
  d.reasons_mask =
      (1U << static_cast<int>(ReasonCode::kPositionLimit)) | (1U << static_cast<int>(ReasonCode::kExposureLimit));
  d.approved_qty = Qty::from_raw(10'000'000);
  d.approved_price = Price::from_raw(4'250'075);
  d.price_decimals = 2;
  d.qty_decimals = 8;
  d.market_time = d.time;
  d.bid = Price::from_raw(4'250'000);
  d.ask = Price::from_raw(4'250'150);
  d.last = Price::from_raw(4'250'100);
  d.equity = Money::from_raw(10'012'345'678'901);
  d.cash = Money::from_raw(5'012'345'678'901);
  d.limits = LimitsInForce{1, 500, 1500, 2000, 5000, 300};
  return d;
}

std::unique_ptr<AuditJournal> open_or_die(const std::string& path, JournalOptions o) {
  auto j = AuditJournal::open(path, o);
  if (!j.ok()) {
    std::fprintf(stderr, "%s\n", j.error().message.c_str());
    std::abort();
  }
  return std::move(*j);
}

void BM_JournalThroughput(benchmark::State& state) {
  const auto n = static_cast<std::uint64_t>(state.range(0));
  JournalOptions o;
  o.durability = static_cast<JournalDurability>(state.range(1));
  const DecisionRecord d = sample_decision(1);
  for (auto _ : state) {
    state.PauseTiming();
    const std::string path = fresh_path();
    auto j = open_or_die(path, o);
    state.ResumeTiming();
    for (std::uint64_t i = 0; i < n; ++i) j->append(d);
    if (!j->flush().ok()) state.SkipWithError("flush failed");
    state.PauseTiming();
    (void)j->close();
    j.reset();
    remove_journal(path);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_JournalThroughput)
    ->Args({200'000, 0})
    ->Args({200'000, 1})
    ->Args({20'000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Paper/live: every decision is flushed before its order leaves the process, so each append
// is its own transaction. D as above.
void BM_AppendAndFlushEach(benchmark::State& state) {
  const std::string path = fresh_path();
  JournalOptions o;
  o.durability = static_cast<JournalDurability>(state.range(0));
  auto j = open_or_die(path, o);
  DecisionRecord d = sample_decision(1);
  for (auto _ : state) {
    ++d.decision_id;
    j->append(d);
    if (!j->flush().ok()) state.SkipWithError("flush failed");
  }
  (void)j->close();
  remove_journal(path);
}
BENCHMARK(BM_AppendAndFlushEach)->Arg(0)->Arg(2)->Iterations(2000)->Unit(benchmark::kMicrosecond)->UseRealTime();

// Fixed iterations below the queue capacity, so the producer never waits for the writer and
// the number is the cost of the append itself.
constexpr std::int64_t kLatencyAppends = 100'000;

void BM_AppendLatency(benchmark::State& state) {
  const std::string path = fresh_path();
  JournalOptions o;
  o.durability = JournalDurability::kNone;
  o.queue_capacity = 131'072;
  auto j = open_or_die(path, o);
  DecisionRecord d = sample_decision(1);
  for (auto _ : state) {
    ++d.decision_id;
    j->append(d);
  }
  // After the loop nothing is timed.
  (void)j->close();
  remove_journal(path);
}
BENCHMARK(BM_AppendLatency)->Iterations(kLatencyAppends)->Repetitions(5)->ReportAggregatesOnly(true);

void BM_AppendLatencyPercentiles(benchmark::State& state) {
  const std::string path = fresh_path();
  JournalOptions o;
  o.durability = JournalDurability::kNone;
  o.queue_capacity = 131'072;
  auto j = open_or_die(path, o);
  DecisionRecord d = sample_decision(1);
  std::vector<std::int64_t> ns;
  ns.reserve(static_cast<std::size_t>(kLatencyAppends));
  for (auto _ : state) {
    ++d.decision_id;
    const auto t0 = std::chrono::steady_clock::now();
    j->append(d);
    const auto t1 = std::chrono::steady_clock::now();
    ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
  }
  (void)j->close();
  remove_journal(path);
  std::sort(ns.begin(), ns.end());
  auto at = [&](double q) {
    return static_cast<double>(ns[static_cast<std::size_t>(q * static_cast<double>(ns.size() - 1))]);
  };
  state.counters["p50_ns"] = at(0.50);
  state.counters["p99_ns"] = at(0.99);
  state.counters["p999_ns"] = at(0.999);
  state.counters["max_ns"] = static_cast<double>(ns.back());
}
BENCHMARK(BM_AppendLatencyPercentiles)->Iterations(kLatencyAppends);

void BM_FormatDecision(benchmark::State& state) {
  const DecisionRecord d = sample_decision(1);
  std::string payload;
  for (auto _ : state) {
    audit::format_decision_payload(d, &payload);
    benchmark::DoNotOptimize(payload.data());
  }
  state.counters["payload_bytes"] = static_cast<double>(payload.size());
}
BENCHMARK(BM_FormatDecision);

void BM_HashRecord(benchmark::State& state) {
  std::string payload;
  audit::format_decision_payload(sample_decision(1), &payload);
  audit::RecordHasher hasher;
  audit::Hash256 prev = audit::kZeroHash;
  std::uint64_t seq = 0;
  for (auto _ : state) {
    auto h = hasher.hash(prev, ++seq, 1, "decision", payload);
    prev = *h;
    benchmark::DoNotOptimize(prev.data());
  }
}
BENCHMARK(BM_HashRecord);

}  // namespace

BENCHMARK_MAIN();
