// run_backtest and the gateway: decision counts, what the risk profiles do to orders, and how
// orders end (venue refusal at fill time, cancels). Every run writes a real journal in a temp
// directory.
//
// Units (engine_fixtures.hpp): price raw 10'000 = 100.00, qty raw 1'000 = 1.000, Money raw 1e-8
// (kMoneyUnit = 1.00). The engine's test instrument charges 10 bps maker and taker.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cst/engine/backtest_engine.hpp"
#include "support/engine_fixtures.hpp"
#include "support/engine_run.hpp"

namespace cst {
namespace {

using namespace testing_support;

// ---------------------------------------------------------------------------------------------
// Decisions and risk profiles

TEST(BacktestEngine, DecisionCountsMatchWhatTheGatewayDecided) {
  // At bar 0: a valid buy (approved), a zero quantity (rejected: invalid_order) and a
  // reduce-only sell while flat (rejected: insufficient_position).
  TempDir dir;
  const BacktestConfig config = engine_config(dir);
  const auto bars = bars_from_closes({10'000, 10'000, 10'000});
  std::vector<SubmitResult> submits;
  ScriptedStrategy strategy([&](StrategyContext& ctx, const Bar&, std::size_t i) {
    if (i != 0) return;
    submits.push_back(ctx.submit(OrderRequest{Side::kBuy, OrderType::kMarket, qty(1'000), {}, false, false}));
    submits.push_back(ctx.submit(OrderRequest{Side::kBuy, OrderType::kMarket, qty(0), {}, false, false}));
    submits.push_back(ctx.submit(OrderRequest{Side::kSell, OrderType::kMarket, qty(1'000), {}, false, true}));
  });
  const BacktestResult r = run_ok(config, bars, strategy);
  EXPECT_EQ(r.decisions.approved, 1u);
  EXPECT_EQ(r.decisions.reduced, 0u);
  EXPECT_EQ(r.decisions.rejected, 2u);
  EXPECT_EQ(r.decisions.rejected_by_reason[static_cast<int>(ReasonCode::kInvalidOrder)], 1u);
  EXPECT_EQ(r.decisions.rejected_by_reason[static_cast<int>(ReasonCode::kInsufficientPosition)], 1u);
  ASSERT_EQ(submits.size(), 3u);
  EXPECT_TRUE(submits[0].approved);
  EXPECT_EQ(submits[0].approved_qty, qty(1'000));
  EXPECT_FALSE(submits[1].approved);
  EXPECT_EQ(submits[1].reason, ReasonCode::kInvalidOrder);
  EXPECT_FALSE(submits[2].approved);
  EXPECT_EQ(submits[2].reason, ReasonCode::kInsufficientPosition);
  EXPECT_EQ(r.fills.size(), 1u);
  EXPECT_EQ(count_records(config.journal_path, "decision"), 3u);  // every decision journaled
}

// A zigzag that crosses several times, then flat so the last signal still fills.
std::vector<std::int64_t> zigzag_closes() {
  std::vector<std::int64_t> closes;
  for (int i = 0; i < 72; ++i) {
    const int phase = i % 12;
    closes.push_back(10'000 + 50 * (phase < 6 ? phase : 12 - phase));
  }
  for (int i = 0; i < 6; ++i) closes.push_back(closes.back());
  return closes;
}

TEST(BacktestEngine, ResearchProfileWithEnoughCashNeitherReducesNorRejects) {
  TempDir dir;
  const BacktestConfig config = engine_config(dir);  // research, 100,000.00
  auto strategy = sma_cross(2, 5, "10");             // 10 units of ~100.00 = ~1% of equity
  const BacktestResult r = run_ok(config, bars_from_closes(zigzag_closes()), *strategy);
  EXPECT_GE(r.decisions.approved, 6u);  // the zigzag crosses at least three times each way
  EXPECT_EQ(r.decisions.reduced, 0u);
  EXPECT_EQ(r.decisions.rejected, 0u);
  EXPECT_EQ(r.fills.size(), r.decisions.approved);  // every approved order filled in full
  for (const FillRecord& f : r.fills) EXPECT_EQ(f.qty, qty(10'000));
  EXPECT_TRUE(r.strategy_errors.empty());
  EXPECT_EQ(r.risk_profile, "research");
}

TEST(BacktestEngine, ModerateProfileReducesASizeBeyondTwoPercentWithPositionLimit) {
  // sma_cross fast=2 slow=3, size 10% of equity. Closes 100, 100, 100, 103, 103.50:
  //   bar 2: fast 100 == slow 100; bar 3: fast 101.5 > slow 101 -> buy at bar 3's close 103.00.
  // Asked: 10% of 100,000.00 / 1.001 (fee room) = 9,990.00999.. / 103.00 = 96.990 units.
  // Moderate caps a position at 2% of equity: 2,000.00 / 103.00 = 19.4174.. -> 19.417.
  TempDir dir;
  BacktestConfig config = engine_config(dir);
  config.risk_profile = RiskProfile::kModerate;
  auto strategy = sma_cross(2, 3, "10%");
  const BacktestResult r = run_ok(config, bars_from_closes({10'000, 10'000, 10'000, 10'300, 10'350}), *strategy);
  EXPECT_EQ(r.decisions.approved, 0u);
  EXPECT_EQ(r.decisions.reduced, 1u);
  EXPECT_EQ(r.decisions.rejected, 0u);
  EXPECT_EQ(r.decisions.reduced_by_reason[static_cast<int>(ReasonCode::kPositionLimit)], 1u);
  ASSERT_EQ(r.fills.size(), 1u);
  EXPECT_EQ(r.fills[0].qty, qty(19'417));   // the reduced quantity reached the venue
  EXPECT_EQ(r.fills[0].price, px(10'300));  // bar 4 opens at bar 3's close
}

// ---------------------------------------------------------------------------------------------
// Venue refusals

TEST(BacktestEngine, OrderTheVenueRefusesAtFillEndsAndTheStrategyCanTradeAgain) {
  // Cash 1,000.00. Buy 9.000 at bar 0's close 100.00 (900.00 + 0.90 fee: approved). Bar 1
  // gaps to 200.00: 1,800.00 is more than the cash, the venue refuses the fill. The order must
  // end (no working order left, no error), and a new 1.000 buy at bar 1 fills at bar 2.
  TempDir dir;
  const BacktestConfig config = engine_config(dir, money(1'000 * kMoneyUnit));
  const std::vector<Bar> bars = {minute_bar(0, 10'000, 10'010, 9'990, 10'000),
                                 minute_bar(1, 20'000, 20'010, 19'990, 20'000),
                                 minute_bar(2, 20'000, 20'010, 19'990, 20'000)};
  bool open_at_bar1 = true;
  ScriptedStrategy strategy([&](StrategyContext& ctx, const Bar&, std::size_t i) {
    if (i == 0) ctx.submit(OrderRequest{Side::kBuy, OrderType::kMarket, qty(9'000), {}, false, false});
    if (i == 1) {
      open_at_bar1 = ctx.has_open_orders();
      ctx.submit(OrderRequest{Side::kBuy, OrderType::kMarket, qty(1'000), {}, false, false});
    }
  });
  const BacktestResult r = run_ok(config, bars, strategy);
  EXPECT_TRUE(r.strategy_errors.empty()) << r.strategy_errors.front();
  EXPECT_FALSE(open_at_bar1);
  ASSERT_EQ(r.fills.size(), 1u);
  EXPECT_EQ(r.fills[0].qty, qty(1'000));
  EXPECT_EQ(r.fills[0].price, px(20'000));
  EXPECT_EQ(order_events_with(config.journal_path, "insufficient_funds_at_fill").size(), 1u);
  expect_journal_verifies(config.journal_path);
}

TEST(BacktestEngine, CancelEndsAWorkingOrder) {
  // A buy limit at 90.00 rests below a market that stays at 100.00; cancelled at bar 1, it is
  // gone by bar 2 and never fills, even when bar 3 trades down through 90.00.
  TempDir dir;
  const BacktestConfig config = engine_config(dir);
  const std::vector<Bar> bars = {flat_bar(0, 10'000, 10'000), flat_bar(1, 10'000, 10'000), flat_bar(2, 10'000, 10'000),
                                 minute_bar(3, 9'500, 9'600, 8'000, 8'500)};
  ClientOrderId id;
  bool open_at_bar1 = false, open_at_bar2 = true;
  ScriptedStrategy strategy([&](StrategyContext& ctx, const Bar&, std::size_t i) {
    if (i == 0)
      id = ctx.submit(OrderRequest{Side::kBuy, OrderType::kLimit, qty(1'000), px(9'000), false, false}).client_order_id;
    if (i == 1) {
      open_at_bar1 = ctx.has_open_orders();
      ctx.cancel(id);
    }
    if (i == 2) open_at_bar2 = ctx.has_open_orders();
  });
  const BacktestResult r = run_ok(config, bars, strategy);
  EXPECT_TRUE(open_at_bar1);
  EXPECT_FALSE(open_at_bar2);
  EXPECT_TRUE(r.fills.empty());
  EXPECT_TRUE(r.strategy_errors.empty());
  EXPECT_EQ(order_events_with(config.journal_path, "\"CANCELLED\"").size(), 1u);
  EXPECT_EQ(count_records(config.journal_path, "cancel_decision"), 1u);  // through the gateway
}

TEST(BacktestEngine, CancellingAnOrderThatAlreadyFilledIsNotAnError) {
  TempDir dir;
  const BacktestConfig config = engine_config(dir);
  ClientOrderId id;
  ScriptedStrategy strategy([&](StrategyContext& ctx, const Bar&, std::size_t i) {
    if (i == 0)
      id = ctx.submit(OrderRequest{Side::kBuy, OrderType::kMarket, qty(1'000), {}, false, false}).client_order_id;
    if (i == 2) ctx.cancel(id);  // filled at bar 1's open
  });
  const BacktestResult r = run_ok(config, bars_from_closes({10'000, 10'000, 10'000}), strategy);
  EXPECT_EQ(r.fills.size(), 1u);
  EXPECT_TRUE(r.strategy_errors.empty()) << r.strategy_errors.front();
  EXPECT_EQ(count_records(config.journal_path, "cancel_decision"), 1u);  // still journaled
}

}  // namespace
}  // namespace cst
