// cst backtest: one strategy over bars (a CSV file or the built-in synthetic market), through
// the same gateway as paper and live trading; writes summary.json, report.html, journal.db.
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "backtest_setup.hpp"
#include "commands.hpp"
#include "cst/engine/backtest_engine.hpp"
#include "cst/report/html_report.hpp"
#include "cst/report/statistics.hpp"
#include "cst/report/summary_json.hpp"
#include "cst/strategy/strategy_registry.hpp"
#include "phase_timer.hpp"
#include "progress_bar.hpp"
#include "summary_table.hpp"

namespace cst::cli {
namespace fs = std::filesystem;

namespace {

constexpr const char* kBacktestHelp =
    "Run a strategy over bars through the execution gateway and write DIR/summary.json, DIR/report.html\n"
    "and DIR/journal.db (hash-chained audit journal; check it with `cst audit verify`).\n"
    "Examples:\n"
    "  cst backtest --synthetic 42 --strategy sma_cross --param fast=10 --param slow=30 --cash 100000 \\\n"
    "      --size 10% --commission-bps 10 --out out/syn\n"
    "  cst backtest --data prices.csv --format ohlcv-csv --strategy sma_cross --param fast=10 --param slow=30 \\\n"
    "      --cash 100000 --size 1000 --commission-bps 10 --fill next-open --risk-profile research --out out/run1";

// A share in [0, 1]: CLI::Range(0.0, 1.0) alone lets "nan" through (no comparison with NaN is
// true), and a NaN knob reaches a double-to-integer conversion (undefined behaviour).
const CLI::Validator kShare(
    [](std::string& text) {
      double v = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || end != text.data() + text.size() || !(v >= 0.0 && v <= 1.0))
        return "'" + text + "' is not a number in [0, 1]";
      return std::string();
    },
    "in [0, 1]");

// Runs into a staging directory and moves the results into place only when all succeeded,
// so a failed run never leaves files that look like results.
int run_backtest_command(const BacktestArgs& args) {
  PhaseTimer timer(args.timings);
  auto setup = prepare_backtest(args);
  timer.phase("load and validate data");
  if (!setup.ok()) {
    print_error(setup.error().message);
    return 2;
  }
  std::error_code ec;
  fs::create_directories(args.out_dir, ec);
  if (ec) {
    print_error("cannot create output directory " + args.out_dir + ": " + ec.message());
    return 1;
  }
  const fs::path staging = fs::path(args.out_dir) / (".cst-staging-" + std::to_string(getpid()));
  fs::remove_all(staging, ec);
  fs::create_directories(staging, ec);
  if (ec) {
    print_error("cannot create " + staging.string() + ": " + ec.message());
    return 1;
  }
  auto fail = [&](const std::string& message) {
    print_error(message);
    fs::remove_all(staging, ec);
    return 1;
  };

  BacktestConfig& config = setup->config;
  config.journal_path = (staging / "journal.db").string();
  ProgressBar progress;
  config.progress = [&progress](std::uint64_t done, std::uint64_t total) { progress.update(done, total); };
  auto result = run_backtest(config, setup->series.bars, *setup->strategy);
  progress.finish();
  timer.phase("backtest (engine, gateway, journal)");
  if (!result.ok()) return fail(result.error().message);
  auto stats = report::compute_statistics(*result);
  if (!stats.ok()) return fail(stats.error().message);
  Status s = report::write_summary_json(*result, *stats, (staging / "summary.json").string());
  if (s.ok()) s = report::write_html_report(*result, *stats, (staging / "report.html").string());
  if (!s.ok()) return fail(s.error().message);
  timer.phase("statistics and reports");
  for (const char* name : {"journal.db", "summary.json", "report.html"}) {
    fs::rename(staging / name, fs::path(args.out_dir) / name, ec);
    if (ec) return fail("cannot move " + std::string(name) + " into " + args.out_dir + ": " + ec.message());
  }
  fs::remove_all(staging, ec);
  timer.phase("move results into place");
  print_summary_table(std::cout, *result, *stats);
  for (const auto& e : result->strategy_errors) std::cerr << "cst: warning: " << e << "\n";
  std::cout << "wrote " << args.out_dir << "/summary.json, report.html, journal.db\n";
  return 0;
}

}  // namespace

Runner add_backtest_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("backtest", kBacktestHelp);
  auto args = std::make_shared<BacktestArgs>();
  auto* data = cmd->add_option("--data", args->data_file, "bar file to read");
  cmd->add_option("--format", args->format, "format of --data: ohlcv-csv (header row) or binance-kline")
      ->check(CLI::IsMember({"ohlcv-csv", "binance-kline"}));
  auto* synthetic =
      cmd->add_option("--synthetic", args->synthetic_seed, "use the built-in synthetic market with this seed");
  data->excludes(synthetic);
  cmd->add_option("--bars", args->synthetic_bars, "number of synthetic 1-minute bars")
      ->check(CLI::Range(1, 100'000'000));
  cmd->add_option("--symbol", args->symbol, "instrument symbol for --data (default: file name)");
  cmd->add_option("--strategy", args->strategy, "strategy name (sma_cross)")->required();
  cmd->add_option("--param", args->params, "strategy parameter key=value (repeatable), e.g. fast=10");
  cmd->add_option("--cash", args->cash, "starting cash in quote currency");
  cmd->add_option("--size", args->size, "order size: a quantity (1000) or a percent of equity (10%)");
  cmd->add_option("--commission-bps", args->commission_bps, "fee in basis points of notional, maker and taker");
  cmd->add_option("--maker-bps", args->maker_bps, "maker fee in bps (overrides --commission-bps)");
  cmd->add_option("--taker-bps", args->taker_bps, "taker fee in bps (overrides --commission-bps)");
  cmd->add_option("--fill", args->fill, "market orders fill at the next bar's open or this bar's close")
      ->check(CLI::IsMember({"next-open", "close"}));
  cmd->add_option("--risk-profile", args->risk_profile, "conservative | moderate | aggressive | research")
      ->check(CLI::IsMember({"conservative", "moderate", "aggressive", "research"}));
  cmd->add_flag("--allow-short", args->allow_short, "the account may sell what it does not hold");
  cmd->add_option("--slippage-bps", args->slippage_bps, "fill knob: market orders fill this much worse");
  cmd->add_option("--spread-bps", args->spread_bps, "fill knob: market orders pay half this spread");
  cmd->add_option("--partial-prob", args->partial_probability, "fill knob: probability of a partial fill")
      ->check(kShare);
  cmd->add_option("--partial-ratio", args->partial_ratio, "fill knob: share filled when partial")->check(kShare);
  cmd->add_option("--latency-ms", args->latency_ms, "fill knob: order latency in milliseconds")
      ->check(CLI::Range(0, 86'400'000));
  cmd->add_option("--seed", args->fill_seed, "seed of the fill knobs");
  cmd->add_option("--out", args->out_dir, "output directory")->required();
  cmd->add_flag("--timings", args->timings, "print how long each phase took (stderr)");
  for (const char* name : {"--bars", "--cash", "--size", "--commission-bps", "--fill", "--risk-profile", "--format",
                           "--seed", "--partial-ratio"})
    cmd->get_option(name)->capture_default_str();
  return [cmd, args]() -> int {
    if (!cmd->parsed()) return -1;
    return run_backtest_command(*args);
  };
}

}  // namespace cst::cli
