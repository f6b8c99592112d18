// cst data synth: writes the built-in synthetic market as an OHLCV CSV, so the same bars can
// be fed to `cst backtest --data` or to other engines for comparison.
#include <cstdio>
#include <memory>
#include <string>

#include "commands.hpp"
#include "cst/core/atomic_file.hpp"
#include "cst/market/synthetic_market.hpp"

namespace cst::cli {
namespace {

struct SynthArgs {
  std::uint64_t seed = 42;
  std::uint64_t bars = 100'000;
  std::string out;
};

std::string to_csv(const BarSeries& s) {
  std::string csv = "timestamp,open,high,low,close,volume\n";
  csv.reserve(s.bars.size() * 64 + csv.size());
  for (const Bar& b : s.bars) {
    std::string t = format_iso8601(b.time);  // 2024-01-01T00:00:00.000000000Z
    t[10] = ' ';
    csv += t.substr(0, 19);
    for (const Price p : {b.open, b.high, b.low, b.close}) {
      csv += ',';
      csv += format_decimal(p.raw, s.price_decimals, false);
    }
    csv += ',';
    csv += format_decimal(b.volume.raw, s.qty_decimals, false);
    csv += '\n';
  }
  return csv;
}

}  // namespace

Runner add_data_command(CLI::App& app) {
  auto* data = app.add_subcommand(
      "data", "Market data tools.\nExample: cst data synth --seed 42 --bars 100000 --out /tmp/syn.csv");
  data->require_subcommand(1);
  auto* synth = data->add_subcommand(
      "synth",
      "Write the built-in synthetic market (seeded GBM with volatility regimes and jumps, 1-minute bars) as CSV.\n"
      "Example: cst data synth --seed 42 --bars 2000000 --out /tmp/syn.csv");
  auto args = std::make_shared<SynthArgs>();
  synth->add_option("--seed", args->seed, "generator seed")->capture_default_str();
  synth->add_option("--bars", args->bars, "number of bars")->check(CLI::Range(1, 100'000'000))->capture_default_str();
  synth->add_option("--out", args->out, "CSV file to write")->required();
  return [synth, args]() -> int {
    if (!synth->parsed()) return -1;
    auto series = generate_synthetic_bars(args->seed, args->bars, SyntheticMarketOptions{});
    if (!series.ok()) {
      print_error(series.error().message);
      return 2;
    }
    Status s = write_file_atomically(args->out, to_csv(*series));
    if (!s.ok()) {
      print_error(s.error().message);
      return 1;
    }
    std::printf("wrote %llu bars to %s\n", static_cast<unsigned long long>(series->bars.size()), args->out.c_str());
    return 0;
  };
}

}  // namespace cst::cli
