// run_backtest: error isolation, the equity curve, fills and round trips, input validation and
// determinism (gateway decisions, risk profiles and order endings are in
// backtest_engine_orders_test.cpp). Every run writes a real journal in a temp directory.
//
// Units (engine_fixtures.hpp): price raw 10'000 = 100.00, qty raw 1'000 = 1.000, Money raw 1e-8
// (kMoneyUnit = 1.00). The engine's test instrument charges 10 bps maker and taker.
#include "cst/engine/backtest_engine.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "cst/core/rng.hpp"
#include "support/engine_fixtures.hpp"
#include "support/engine_run.hpp"

namespace cst {
namespace {

using namespace testing_support;

// ---------------------------------------------------------------------------------------------
// Error isolation

TEST(BacktestEngine, StrategyThatThrowsIsStoppedReportedAndTheRunCompletes) {
  TempDir dir;
  const BacktestConfig config = engine_config(dir);
  const auto bars = bars_from_closes({10'000, 10'100, 10'200, 10'300, 10'400, 10'500});
  ScriptedStrategy strategy([](StrategyContext& ctx, const Bar&, std::size_t i) {
    if (i == 1) ctx.submit(OrderRequest{Side::kBuy, OrderType::kMarket, qty(1'000), {}, false, false});
    if (i == 3) throw std::runtime_error("boom at bar 3");
  });
  const BacktestResult r = run_ok(config, bars, strategy);
  ASSERT_EQ(r.strategy_errors.size(), 1u);
  EXPECT_NE(r.strategy_errors[0].find("boom at bar 3"), std::string::npos) << r.strategy_errors[0];
  EXPECT_NE(r.strategy_errors[0].find("scripted"), std::string::npos) << r.strategy_errors[0];
  EXPECT_EQ(strategy.bars_seen, 4u);     // bars 0..3; never called again after the throw
  EXPECT_EQ(r.equity_curve.size(), 6u);  // but the run went through all six bars
  EXPECT_EQ(r.bars, 6u);
  // The order sent at bar 1 filled at bar 2's open (= bar 1's close 101.00) before the throw;
  // the position is still marked to the end: 1.000 at the last close 105.00.
  ASSERT_EQ(r.fills.size(), 1u);
  EXPECT_EQ(r.fills[0].price, px(10'100));
  EXPECT_EQ(r.final_position, qty(1'000));
  // cash 100,000 - 101.00 - 0.101 fee + 105.00 = 100,003.899
  EXPECT_EQ(r.final_equity, money(100'003 * kMoneyUnit + 89'900'000));
  expect_journal_verifies(config.journal_path);
  EXPECT_EQ(count_records(config.journal_path, "strategy_stopped"), 1u);
  EXPECT_EQ(count_records(config.journal_path, "run_start"), 1u);
  EXPECT_EQ(count_records(config.journal_path, "run_end"), 1u);
}

TEST(BacktestEngine, ThrowFromOnFillInsideOnBarIsReportedAndJournaledOnce) {
  // Close mode: the buy fills inside submit(), so on_fill runs (and throws) inside on_bar.
  TempDir dir;
  BacktestConfig config = engine_config(dir);
  config.venue.timing = FillTiming::kThisClose;
  const auto bars = bars_from_closes({10'000, 10'100, 10'200});
  ScriptedStrategy strategy(
      [](StrategyContext& ctx, const Bar&, std::size_t i) {
        if (i == 0) ctx.submit(OrderRequest{Side::kBuy, OrderType::kMarket, qty(1'000), {}, false, false});
      },
      [](StrategyContext&, const Fill&) { throw std::runtime_error("on_fill failed"); });
  const BacktestResult r = run_ok(config, bars, strategy);
  ASSERT_EQ(r.strategy_errors.size(), 1u);
  EXPECT_NE(r.strategy_errors[0].find("on_fill failed"), std::string::npos);
  EXPECT_EQ(strategy.bars_seen, 1u);
  EXPECT_EQ(r.fills.size(), 1u);  // the fill itself stands
  expect_journal_verifies(config.journal_path);
  EXPECT_EQ(count_records(config.journal_path, "strategy_stopped"), 1u);
}

// ---------------------------------------------------------------------------------------------
// Equity curve, fills, round trips

// Closes 100, 101, 99, 102, each bar opening at the previous close.
std::vector<Bar> buy_and_hold_bars() { return bars_from_closes({10'000, 10'100, 9'900, 10'200}); }

// A run over `bars` that buys 2.000 at bar 0's close (filled at bar 1's open) and holds it.
BacktestResult run_buy_and_hold(const std::vector<Bar>& bars) {
  TempDir dir;
  ScriptedStrategy strategy([](StrategyContext& ctx, const Bar&, std::size_t i) {
    if (i == 0) ctx.submit(OrderRequest{Side::kBuy, OrderType::kMarket, qty(2'000), {}, false, false});
  });
  return run_ok(engine_config(dir), bars, strategy);
}

TEST(BacktestEngine, EquityCurveHasOnePointPerBarAtItsCloseTime) {
  // Closes 100, 101, 99, 102 (each bar opens at the previous close). Buy 2.000 at bar 0's
  // close; it fills at bar 1's open 100.00: notional 200.00 + fee 0.20, cash 99,799.80.
  //   bar 0: no position                 equity 100,000.00
  //   bar 1: 99,799.80 + 2 x 101 = 100,001.80
  //   bar 2: 99,799.80 + 2 x  99 =  99,997.80
  //   bar 3: 99,799.80 + 2 x 102 = 100,003.80
  const auto bars = buy_and_hold_bars();
  const BacktestResult r = run_buy_and_hold(bars);
  const std::int64_t cents = kMoneyUnit / 100;
  const std::int64_t expected_equity[] = {10'000'000 * cents, 10'000'180 * cents, 9'999'780 * cents,
                                          10'000'380 * cents};
  const std::int64_t expected_position[] = {0, 2'000, 2'000, 2'000};
  ASSERT_EQ(r.equity_curve.size(), bars.size());
  for (std::size_t i = 0; i < bars.size(); ++i) {
    SCOPED_TRACE("bar " + std::to_string(i));
    EXPECT_EQ(r.equity_curve[i].time, bars[i].time + kMinute);
    EXPECT_EQ(r.equity_curve[i].equity.raw, expected_equity[i]);
    EXPECT_EQ(r.equity_curve[i].position.raw, expected_position[i]);
    EXPECT_EQ(r.equity_curve[i].close, bars[i].close);
  }
  ASSERT_EQ(r.fills.size(), 1u);
  EXPECT_EQ(r.fills[0].time, bars[1].time);
  EXPECT_EQ(r.fills[0].price, px(10'000));
  EXPECT_EQ(r.fills[0].fee, money(20'000'000));  // 0.20
}

TEST(BacktestEngine, OpenPositionAtTheEndIsValuedAtTheLastClose) {
  // Same run as above: 2.000 bought at 100.00 and still held; last close 102.00.
  const BacktestResult r = run_buy_and_hold(buy_and_hold_bars());
  EXPECT_EQ(r.final_position, qty(2'000));
  EXPECT_EQ(r.final_cash, money(99'799 * kMoneyUnit + 80'000'000));     // 99,799.80
  EXPECT_EQ(r.final_equity, money(100'003 * kMoneyUnit + 80'000'000));  // + 2 x 102.00
  EXPECT_EQ(r.unrealized_pnl, money(4 * kMoneyUnit));                   // 2 x (102 - 100)
  EXPECT_EQ(r.realized_pnl, Money{});
  EXPECT_EQ(r.fees, money(20'000'000));
  EXPECT_TRUE(r.closed_trades.empty());  // an open position is not a round trip
  EXPECT_EQ(r.equity_curve.back().equity, r.final_equity);
}

TEST(BacktestEngine, FillsCountExecutionsAndClosedTradesCountRoundTrips) {
  // Partial fills of half the remainder, every time. Buy 0.004 at bar 0's close:
  //   bar 1 open: 0.002, bar 2: 0.001, bar 3: 0.001 (half of 0.001 rounds to 0: the last lot)
  // At bar 3's close the strategy holds 0.004 and sells it: bars 4, 5, 6 fill 0.002, 0.001,
  // 0.001. Two orders, six executions, one round trip. Prices stay 100.00, so each fill's fee
  // is 10 bps of its notional: 0.002 -> 0.0002 (raw 20,000), 0.001 -> 0.0001 (raw 10,000).
  TempDir dir;
  BacktestConfig config = engine_config(dir);
  config.venue.model.partial_probability = 1.0;
  config.venue.model.partial_ratio = 0.5;
  const auto bars = bars_from_closes(std::vector<std::int64_t>(10, 10'000));
  bool sold = false;
  ScriptedStrategy strategy([&](StrategyContext& ctx, const Bar&, std::size_t i) {
    if (i == 0) ctx.submit(OrderRequest{Side::kBuy, OrderType::kMarket, qty(4), {}, false, false});
    if (!sold && ctx.position() == qty(4) && !ctx.has_open_orders()) {
      sold = true;
      ctx.submit(OrderRequest{Side::kSell, OrderType::kMarket, qty(4), {}, false, true});
    }
  });
  const BacktestResult r = run_ok(config, bars, strategy);
  const std::int64_t expected_qty[] = {2, 1, 1, 2, 1, 1};
  ASSERT_EQ(r.fills.size(), 6u);
  for (std::size_t i = 0; i < 6; ++i) {
    SCOPED_TRACE("fill " + std::to_string(i));
    EXPECT_EQ(r.fills[i].qty.raw, expected_qty[i]);
    EXPECT_EQ(r.fills[i].side, i < 3 ? Side::kBuy : Side::kSell);
    EXPECT_EQ(r.fills[i].time, bars[i + 1].time);
    EXPECT_EQ(r.fills[i].fee.raw, expected_qty[i] * 10'000);
  }
  EXPECT_EQ(strategy.fills_seen, 6u);  // on_fill once per execution
  EXPECT_EQ(r.decisions.approved, 2u);
  ASSERT_EQ(r.closed_trades.size(), 1u);
  const ClosedTrade& t = r.closed_trades[0];
  EXPECT_EQ(t.side, Side::kBuy);
  EXPECT_EQ(t.qty, qty(4));
  EXPECT_EQ(t.entry_time, bars[1].time);
  EXPECT_EQ(t.exit_time, bars[6].time);
  EXPECT_EQ(t.entry_price, px(10'000));
  EXPECT_EQ(t.exit_price, px(10'000));
  EXPECT_EQ(t.fees, money(80'000));  // 2 x (20,000 + 10,000 + 10,000)
  EXPECT_EQ(t.pnl, money(-80'000));  // flat prices: the fees are the whole loss
  EXPECT_EQ(r.final_equity, money(100'000 * kMoneyUnit - 80'000));
  EXPECT_EQ(r.final_position, Qty{});
}

TEST(BacktestEngine, ThisCloseModeFillsAtTheDecisionBarsCloseAndTheCurveIncludesIt) {
  // Close mode, buy 1.000 at the last bar (close 101.00): it fills at that close, at the bar's
  // close time, paying 0.101. The last equity point is the final equity, 99,999.899, and
  // shows the position.
  TempDir dir;
  BacktestConfig config = engine_config(dir);
  config.venue.timing = FillTiming::kThisClose;
  const auto bars = bars_from_closes({10'000, 10'000, 10'100});
  ScriptedStrategy strategy([](StrategyContext& ctx, const Bar&, std::size_t i) {
    if (i == 2) ctx.submit(OrderRequest{Side::kBuy, OrderType::kMarket, qty(1'000), {}, false, false});
  });
  const BacktestResult r = run_ok(config, bars, strategy);
  ASSERT_EQ(r.fills.size(), 1u);
  EXPECT_EQ(r.fills[0].price, px(10'100));
  EXPECT_EQ(r.fills[0].time, bars[2].time + kMinute);
  EXPECT_EQ(r.final_equity, money(100'000 * kMoneyUnit - 10'100'000));
  ASSERT_EQ(r.equity_curve.size(), 3u);
  EXPECT_EQ(r.equity_curve.back().equity, r.final_equity);
  EXPECT_EQ(r.equity_curve.back().position, qty(1'000));
  EXPECT_EQ(r.fill_mode, "close");
}

TEST(BacktestEngine, EquityPointTimesFollowTheInferredBarInterval) {
  // Five-minute bars: the close time of each bar is its open + 5 minutes.
  TempDir dir;
  const BacktestConfig config = engine_config(dir);
  std::vector<Bar> bars;
  for (int i = 0; i < 4; ++i) {
    Bar b = flat_bar(0, 10'000, 10'000);
    b.time = kT0 + Duration::from_seconds(300 * i);
    bars.push_back(b);
  }
  ScriptedStrategy strategy;
  const BacktestResult r = run_ok(config, bars, strategy);
  ASSERT_EQ(r.equity_curve.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(r.equity_curve[i].time, kT0 + Duration::from_seconds(300 * (i + 1)));
}

TEST(BacktestEngine, EmptyBarSeriesGivesAnEmptyRun) {
  TempDir dir;
  const BacktestConfig config = engine_config(dir);
  ScriptedStrategy strategy;
  const BacktestResult r = run_ok(config, {}, strategy);
  EXPECT_EQ(r.bars, 0u);
  EXPECT_TRUE(r.equity_curve.empty());
  EXPECT_EQ(r.final_equity, config.starting_cash);
  expect_journal_verifies(config.journal_path);
}

// ---------------------------------------------------------------------------------------------
// Input validation

TEST(BacktestEngine, BarsOutOfOrderAreAnErrorBeforeAnythingRuns) {
  const std::vector<std::vector<std::int64_t>> minute_orders = {{0, 2, 1}, {0, 1, 1}};
  for (const auto& minutes : minute_orders) {
    TempDir dir;
    const BacktestConfig config = engine_config(dir);
    std::vector<Bar> bars;
    for (std::int64_t m : minutes) bars.push_back(flat_bar(m, 10'000, 10'000));
    ScriptedStrategy strategy;
    auto r = run_backtest(config, bars, strategy);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find("bar 2"), std::string::npos) << r.error().message;
    EXPECT_EQ(strategy.bars_seen, 0u);
    EXPECT_FALSE(std::filesystem::exists(config.journal_path));  // no half-written journal
  }
}

TEST(BacktestEngine, SetupErrorsAreReturned) {
  TempDir dir;
  ScriptedStrategy strategy;
  const auto bars = bars_from_closes({10'000});
  {
    BacktestConfig c = engine_config(dir, Money{});
    EXPECT_FALSE(run_backtest(c, bars, strategy).ok());  // no cash
  }
  {
    BacktestConfig c = engine_config(dir);
    c.instrument.tick_size = Price{};
    EXPECT_FALSE(run_backtest(c, bars, strategy).ok());  // invalid instrument
  }
  {
    BacktestConfig c = engine_config(dir);
    c.journal_path = dir.file("no_such_dir/run.journal");
    EXPECT_FALSE(run_backtest(c, bars, strategy).ok());  // journal cannot be created
  }
}

// ---------------------------------------------------------------------------------------------
// Determinism

std::vector<Bar> random_walk_bars(std::uint64_t seed, int n) {
  Rng rng(seed);
  std::vector<std::int64_t> closes;
  std::int64_t p = 10'000;
  for (int i = 0; i < n; ++i) {
    p += static_cast<std::int64_t>(rng.next_u64() % 41) - 20;
    closes.push_back(p);
  }
  return bars_from_closes(closes);
}

BacktestResult knob_run(const TempDir& dir, const std::string& journal, std::uint64_t fill_seed) {
  BacktestConfig config = engine_config(dir, money(100'000 * kMoneyUnit), journal);
  config.venue.model.partial_probability = 0.3;
  config.venue.model.partial_ratio = 0.5;
  config.venue.model.slippage_bps = 5;
  config.venue.model.spread_bps = 2;
  config.venue.model.seed = fill_seed;
  auto strategy = sma_cross(3, 8, "5%");
  return run_ok(config, random_walk_bars(77, 400), *strategy);
}

TEST(BacktestEngine, SameInputsGiveTheSameJournalAndResults) {
  TempDir dir;
  const BacktestResult a = knob_run(dir, "a.journal", 9);
  const BacktestResult b = knob_run(dir, "b.journal", 9);
  ASSERT_FALSE(a.fills.empty());
  EXPECT_EQ(a.journal_head_hash.size(), 64u);
  EXPECT_NE(a.journal_head_hash, std::string(64, '0'));
  EXPECT_EQ(a.journal_head_hash, b.journal_head_hash);
  ASSERT_EQ(a.fills.size(), b.fills.size());
  for (std::size_t i = 0; i < a.fills.size(); ++i) {
    SCOPED_TRACE("fill " + std::to_string(i));
    EXPECT_EQ(a.fills[i].time, b.fills[i].time);
    EXPECT_EQ(a.fills[i].client_order_id, b.fills[i].client_order_id);
    EXPECT_EQ(a.fills[i].side, b.fills[i].side);
    EXPECT_EQ(a.fills[i].qty, b.fills[i].qty);
    EXPECT_EQ(a.fills[i].price, b.fills[i].price);
    EXPECT_EQ(a.fills[i].fee, b.fills[i].fee);
  }
  ASSERT_EQ(a.equity_curve.size(), b.equity_curve.size());
  for (std::size_t i = 0; i < a.equity_curve.size(); ++i) {
    EXPECT_EQ(a.equity_curve[i].equity, b.equity_curve[i].equity);
    EXPECT_EQ(a.equity_curve[i].position, b.equity_curve[i].position);
  }
  ASSERT_EQ(a.closed_trades.size(), b.closed_trades.size());
  for (std::size_t i = 0; i < a.closed_trades.size(); ++i) EXPECT_EQ(a.closed_trades[i].pnl, b.closed_trades[i].pnl);
  EXPECT_EQ(a.final_equity, b.final_equity);
  // Partial fills happened (more executions than orders), so the seed mattered: another seed
  // splits orders differently and the journal, which records every execution, differs.
  EXPECT_GT(a.fills.size(), a.decisions.approved);
  const BacktestResult c = knob_run(dir, "c.journal", 10);
  EXPECT_NE(a.journal_head_hash, c.journal_head_hash);
}

}  // namespace
}  // namespace cst
