// OHLCV CSV reader throughput on a typical 1-minute file: 2M rows shaped like
//   2022-01-01 00:00:00.000000,46197.0,46247.0,46195.0,46224.0,3353308.7635
// written once to a temp file (deleted at exit). Reports MB/s (bytes_per_second) and rows/s.
//   cst_bench_csv_parse --benchmark_filter=Read
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "cst/core/rng.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/market/ohlcv_csv_reader.hpp"

namespace {

constexpr std::size_t kRows = 2'000'000;

void append_price(std::string& out, std::int64_t half_units) {
  // Prices on a 0.5 grid, written with one decimal like the sample ("46197.0", "46197.5").
  out += std::to_string(half_units / 2);
  out += half_units % 2 == 0 ? ".0" : ".5";
}

// "2022-01-01 00:00:00.000000" from the ISO form "2022-01-01T00:00:00.000000000Z".
void append_time(std::string& out, cst::Timestamp t) {
  std::string iso = cst::format_iso8601(t);
  iso[10] = ' ';
  out.append(iso, 0, 26);
}

std::string make_csv(std::size_t rows) {
  std::string out = "timestamp,open,high,low,close,volume\n";
  out.reserve(rows * 72);
  cst::Rng rng(20220101);
  std::int64_t close = 2 * 46197;
  cst::Timestamp t = cst::Timestamp::from_seconds(1'640'995'200);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::int64_t open = close;
    close = std::max<std::int64_t>(2'000, open + static_cast<std::int64_t>(rng.normal() * 40.0));
    const std::int64_t high = std::max(open, close) + static_cast<std::int64_t>(rng.uniform() * 60.0);
    const std::int64_t low =
        std::max<std::int64_t>(1'000, std::min(open, close) - static_cast<std::int64_t>(rng.uniform() * 60.0));
    const auto volume = static_cast<std::int64_t>(1e7 + rng.uniform() * 1.2e11);  // 1000.0000 .. 12001000.0000
    append_time(out, t);
    for (const std::int64_t p : {open, high, low, close}) {
      out += ',';
      append_price(out, p);
    }
    out += ',';
    out += std::to_string(volume / 10'000);
    out += '.';
    const std::string frac = std::to_string(volume % 10'000);
    out.append(4 - frac.size(), '0');
    out += frac;
    out += '\n';
    t = t + cst::Duration::from_seconds(60);
  }
  return out;
}

// The generated file, created on first use and removed when the process exits.
struct CsvFixture {
  std::string path;
  std::string text;
  CsvFixture() {
    text = make_csv(kRows);
    path = (std::filesystem::temp_directory_path() / ("cst_csv_parse_bench_" + std::to_string(::getpid()) + ".csv"))
               .string();
    std::ofstream(path, std::ios::binary).write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  ~CsvFixture() { std::filesystem::remove(path); }
  CsvFixture(const CsvFixture&) = delete;
  CsvFixture& operator=(const CsvFixture&) = delete;
};

const CsvFixture& fixture() {
  static const CsvFixture f;
  return f;
}

void report(benchmark::State& state, std::size_t bytes, std::size_t rows) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
}

// Runs parse() (returning Result<BarSeries>) once per iteration and reports MB/s and rows/s.
template <class Parse>
void measure(benchmark::State& state, Parse&& parse) {
  const CsvFixture& f = fixture();
  std::size_t rows = 0;
  for (auto _ : state) {
    auto r = parse(f);
    if (!r.ok()) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    rows = r->size();
    benchmark::DoNotOptimize(r->bars.data());
  }
  report(state, f.text.size(), rows);
}

// The whole path a caller takes: open, mmap, parse, validate.
void BM_ReadOhlcvCsvFile(benchmark::State& state) {
  measure(state, [](const CsvFixture& f) { return cst::read_ohlcv_csv(f.path, {}); });
}
BENCHMARK(BM_ReadOhlcvCsvFile)->Unit(benchmark::kMillisecond)->MinTime(3.0);

// Parsing alone, from text already in memory.
void BM_ParseOhlcvCsvInMemory(benchmark::State& state) {
  measure(state, [](const CsvFixture& f) { return cst::parse_ohlcv_csv(f.text, "bench.csv", {}); });
}
BENCHMARK(BM_ParseOhlcvCsvInMemory)->Unit(benchmark::kMillisecond)->MinTime(3.0);

// Fixed decimals skip inference; the difference shows what inference costs.
void BM_ParseOhlcvCsvFixedDecimals(benchmark::State& state) {
  cst::OhlcvCsvOptions options;
  options.price_decimals = 2;
  options.qty_decimals = 8;
  measure(state, [&options](const CsvFixture& f) { return cst::parse_ohlcv_csv(f.text, "bench.csv", options); });
}
BENCHMARK(BM_ParseOhlcvCsvFixedDecimals)->Unit(benchmark::kMillisecond)->MinTime(3.0);

}  // namespace

BENCHMARK_MAIN();
