// Running the backtest engine in tests: a strategy scripted with lambdas, a config with a
// journal in a private temp dir, and readers for what the journal holds.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cst/audit/journal_verify.hpp"
#include "cst/engine/backtest_engine.hpp"
#include "cst/strategy/strategy_registry.hpp"
#include "engine_fixtures.hpp"

namespace cst::testing_support {

// on_bar / on_fill / on_start as lambdas; counts the calls it gets.
class ScriptedStrategy final : public Strategy {
 public:
  using BarFn = std::function<void(StrategyContext&, const Bar&, std::size_t index)>;
  using FillFn = std::function<void(StrategyContext&, const Fill&)>;

  explicit ScriptedStrategy(BarFn on_bar_fn = {}, FillFn on_fill_fn = {})
      : on_bar_fn_(std::move(on_bar_fn)), on_fill_fn_(std::move(on_fill_fn)) {}

  std::string_view name() const override { return "scripted"; }
  void on_bar(StrategyContext& ctx, const Bar& bar) override {
    const std::size_t index = bars_seen++;
    if (on_bar_fn_) on_bar_fn_(ctx, bar, index);
  }
  void on_fill(StrategyContext& ctx, const Fill& fill) override {
    ++fills_seen;
    if (on_fill_fn_) on_fill_fn_(ctx, fill);
  }

  std::size_t bars_seen = 0;
  std::size_t fills_seen = 0;

 private:
  BarFn on_bar_fn_;
  FillFn on_fill_fn_;
};

// sma_cross from the registry, as the CLI builds it.
inline std::unique_ptr<Strategy> sma_cross(int fast, int slow, const std::string& size) {
  auto sizing = Sizing::parse(size);
  EXPECT_TRUE(sizing.ok()) << size;
  auto s = make_strategy("sma_cross", {{"fast", std::to_string(fast)}, {"slow", std::to_string(slow)}}, *sizing);
  EXPECT_TRUE(s.ok()) << s.error().message;
  return s.ok() ? std::move(*s) : nullptr;
}

// A research-profile config over the test instrument with a fresh journal in `dir`.
inline BacktestConfig engine_config(const TempDir& dir, Money cash = Money::from_raw(100'000 * kMoneyUnit),
                                    const std::string& journal_name = "run.journal") {
  BacktestConfig c;
  c.instrument = test_instrument(1000, 1000);  // 10 bps maker and taker
  c.starting_cash = cash;
  c.risk_profile = RiskProfile::kResearch;
  c.journal_path = dir.file(journal_name);
  c.strategy_name = "scripted";
  c.data_source = "test";
  return c;
}

// Runs and fails the test on a setup error.
inline BacktestResult run_ok(const BacktestConfig& config, const std::vector<Bar>& bars, Strategy& strategy) {
  auto r = run_backtest(config, bars, strategy);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(*r) : BacktestResult{};
}

// Number of journal records of `kind`.
inline std::size_t count_records(const std::string& journal, std::string_view kind) {
  std::size_t n = 0;
  Status s = for_each_record(journal, [&](const JournalRecordView& v) {
    if (v.kind == kind) ++n;
    return true;
  });
  EXPECT_TRUE(s.ok()) << s.error().message;
  return n;
}

// Payloads of the order_event records whose payload contains `needle`.
inline std::vector<std::string> order_events_with(const std::string& journal, std::string_view needle) {
  std::vector<std::string> out;
  Status s = for_each_record(journal, [&](const JournalRecordView& v) {
    if (v.kind == "order_event" && v.payload.find(needle) != std::string_view::npos) out.emplace_back(v.payload);
    return true;
  });
  EXPECT_TRUE(s.ok()) << s.error().message;
  return out;
}

inline void expect_journal_verifies(const std::string& journal) {
  auto report = verify_journal(journal);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->ok) << "first bad seq " << report->first_bad_seq << ": " << report->problem;
  EXPECT_TRUE(report->sealed);
}

}  // namespace cst::testing_support
