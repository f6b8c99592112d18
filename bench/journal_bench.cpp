// AuditJournal benchmarks.
//   BM_JournalThroughput/N/D   append N DecisionRecords and flush (records/s, wall clock; the
//                              work happens on the writer threads). D = durability 0 none,
//                              1 normal, 2 full. Counters: commits (transactions per run) and
//                              the CPU each writer thread spent per record (fmt_us, sql_us).
//   BM_AppendAndFlushEach/D    the paper/live write-ahead path: one transaction per order.
//   BM_SlowProducer/G          a backtest-like producer: one append every G us, no flush;
//                              commits per 1000 records (the linger groups them).
//   BM_Open/C                  open() of a fresh journal with queue capacity C (the ring is
//                              pre-touched), the file created in kNone mode.
//   BM_AppendLatency           one append into a queue with room (what the gateway pays).
//   BM_AppendLatencyPercentiles the same, timed one by one: p50/p99/p99.9/max counters in ns.
//   BM_FormatDecision, BM_HashRecord  the formatter thread's per-record CPU work.
// Run: build/<dir>/bench/cst_bench_journal --benchmark_min_time=1
// On a shared machine wall-clock numbers move with the load; fmt_us and sql_us (CPU time of
// each writer thread, from /proc) are steadier: throughput on two idle cores is about
// 1 / max(fmt_us, sql_us) records per microsecond.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "cst/audit/audit_journal.hpp"
#include "cst/audit/hash_chain.hpp"
#include "cst/audit/record_format.hpp"

namespace {

using namespace cst;
using bench::reduced_decision;
using bench::thread_cpu_ns;

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
  const DecisionRecord d = reduced_decision(1);
  double commits = 0, fmt_ns = 0, sql_ns = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string path = fresh_path();
    auto j = open_or_die(path, o);
    const double fmt0 = thread_cpu_ns("cst-audit-fmt"), sql0 = thread_cpu_ns("cst-audit-sql");
    state.ResumeTiming();
    for (std::uint64_t i = 0; i < n; ++i) j->append(d);
    if (!j->flush().ok()) state.SkipWithError("flush failed");
    state.PauseTiming();
    fmt_ns += thread_cpu_ns("cst-audit-fmt") - fmt0;
    sql_ns += thread_cpu_ns("cst-audit-sql") - sql0;
    commits += static_cast<double>(j->commits());
    (void)j->close();
    j.reset();
    remove_journal(path);
    state.ResumeTiming();
  }
  const double records = static_cast<double>(state.iterations() * n);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["commits"] = commits / static_cast<double>(state.iterations());
  state.counters["fmt_us"] = fmt_ns / records / 1e3;
  state.counters["sql_us"] = sql_ns / records / 1e3;
}
BENCHMARK(BM_JournalThroughput)
    ->Args({1'000'000, 0})
    ->Args({1'000'000, 1})
    ->Args({200'000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// One append every G microseconds (a backtest deciding every few hundred bars), never a
// flush. Without the linger nearly every record was its own transaction.
void BM_SlowProducer(benchmark::State& state) {
  const std::string path = fresh_path();
  JournalOptions o;
  o.durability = JournalDurability::kNone;
  o.queue_capacity = 4096;
  auto j = open_or_die(path, o);
  DecisionRecord d = reduced_decision(1);
  const auto gap = std::chrono::microseconds(state.range(0));
  for (auto _ : state) {
    ++d.decision_id;
    j->append(d);
    const auto until = std::chrono::steady_clock::now() + gap;
    while (std::chrono::steady_clock::now() < until) {
    }
  }
  if (!j->flush().ok()) state.SkipWithError("flush failed");
  state.counters["commits_per_1000"] =
      1000.0 * static_cast<double>(j->commits()) / static_cast<double>(state.iterations());
  (void)j->close();
  remove_journal(path);
}
BENCHMARK(BM_SlowProducer)->Arg(20)->Arg(100)->Arg(1000)->Iterations(2000)->Unit(benchmark::kMicrosecond);

void BM_Open(benchmark::State& state) {
  JournalOptions o;
  o.durability = JournalDurability::kNone;
  o.queue_capacity = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    const std::string path = fresh_path();
    state.ResumeTiming();
    auto j = open_or_die(path, o);
    state.PauseTiming();
    (void)j->close();
    j.reset();
    remove_journal(path);
    state.ResumeTiming();
  }
}
BENCHMARK(BM_Open)->Arg(4096)->Arg(65536)->Iterations(20)->Unit(benchmark::kMillisecond)->UseRealTime();

// Paper/live: every decision is flushed before its order leaves the process, so each append
// is its own transaction. D as above.
void BM_AppendAndFlushEach(benchmark::State& state) {
  const std::string path = fresh_path();
  JournalOptions o;
  o.durability = static_cast<JournalDurability>(state.range(0));
  auto j = open_or_die(path, o);
  DecisionRecord d = reduced_decision(1);
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
  DecisionRecord d = reduced_decision(1);
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
  DecisionRecord d = reduced_decision(1);
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
  const DecisionRecord d = reduced_decision(1);
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
  audit::format_decision_payload(reduced_decision(1), &payload);
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
