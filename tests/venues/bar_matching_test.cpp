// Bar matching rules shared by SimVenue and PaperExchange: where an order trades on a bar, what
// the fill knobs cost, how partial fills draw, the maker/taker fee, the spot settlement check,
// and the Rng state the paper exchange persists. (SimVenue's own tests, run against the
// refactored SimVenue, prove that it still behaves as before.)
//
// Units (engine_fixtures.hpp): price raw 10'000 = 100.00, qty raw 1'000 = 1.000, Money raw 1e-8.
// Test instrument fees: maker 200 ppm (2 bps), taker 1000 ppm (10 bps).
#include "cst/venues/bar_matching.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <vector>

#include "support/engine_fixtures.hpp"

namespace cst {
namespace {

using namespace testing_support;

// O 100.00 H 102.00 L 99.00 C 101.00
const Bar kBar = minute_bar(1, 10'000, 10'200, 9'900, 10'100);

struct TradeCase {
  const char* rule;
  MatchTerms order;
  MatchPoint point;
  std::optional<std::int64_t> price;
  bool maker;
};

TEST(BarMatching, WhereAnOrderTradesOnABar) {
  const TradeCase cases[] = {
      {"market at the open", {Side::kBuy, OrderType::kMarket, {}, false}, MatchPoint::kOpen, 10'000, false},
      {"market at the close", {Side::kSell, OrderType::kMarket, {}, false}, MatchPoint::kClose, 10'100, false},
      {"buy limit above the open: gapped, fills at the open",
       {Side::kBuy, OrderType::kLimit, px(10'050), true},
       MatchPoint::kOpen,
       10'000,
       true},
      {"buy limit below the open, low strictly below: at the limit",
       {Side::kBuy, OrderType::kLimit, px(9'950), true},
       MatchPoint::kOpen,
       9'950,
       true},
      {"buy limit at the low: touched, not traded through",
       {Side::kBuy, OrderType::kLimit, px(9'900), true},
       MatchPoint::kOpen,
       std::nullopt,
       false},
      {"sell limit below the open: fills at the open, taker if marketable on arrival",
       {Side::kSell, OrderType::kLimit, px(9'980), false},
       MatchPoint::kOpen,
       10'000,
       false},
      {"sell limit above the open, high strictly above: at the limit",
       {Side::kSell, OrderType::kLimit, px(10'150), true},
       MatchPoint::kOpen,
       10'150,
       true},
      {"sell limit at the high: no fill",
       {Side::kSell, OrderType::kLimit, px(10'200), true},
       MatchPoint::kOpen,
       std::nullopt,
       false},
      {"buy limit at the close: fills at the close as taker",
       {Side::kBuy, OrderType::kLimit, px(10'100), true},
       MatchPoint::kClose,
       10'100,
       false},
      {"buy limit below the close, at the close: no fill",
       {Side::kBuy, OrderType::kLimit, px(10'099), true},
       MatchPoint::kClose,
       std::nullopt,
       false},
  };
  const Instrument inst = test_instrument();
  for (const TradeCase& c : cases) {
    SCOPED_TRACE(c.rule);
    const auto trade = trade_on_bar(c.order, kBar, c.point, inst, FillModel{});
    ASSERT_EQ(trade.has_value(), c.price.has_value());
    if (!trade) continue;
    EXPECT_EQ(trade->price, px(*c.price));
    EXPECT_EQ(trade->maker, c.maker);
  }
}

TEST(BarMatching, MarketableOnArrivalMeansAtOrThroughTheLastClose) {
  EXPECT_TRUE(marketable_on_arrival(Side::kBuy, px(10'100), px(10'100)));
  EXPECT_FALSE(marketable_on_arrival(Side::kBuy, px(10'099), px(10'100)));
  EXPECT_TRUE(marketable_on_arrival(Side::kSell, px(10'100), px(10'100)));
  EXPECT_FALSE(marketable_on_arrival(Side::kSell, px(10'101), px(10'100)));
}

struct CostCase {
  const char* rule;
  std::int64_t slippage_bps, spread_bps, tick;
  Side side;
  std::int64_t expected;
};

TEST(BarMatching, CostsAreSlippagePlusHalfTheSpreadRoundedToTheTickAgainstTheTrader) {
  const CostCase cases[] = {
      {"no knobs: the reference itself", 0, 0, 1, Side::kBuy, 10'000},
      {"buy: 5 bps + 1 bp (half of 2) = 6 bps up", 5, 2, 1, Side::kBuy, 10'006},
      {"sell: 6 bps down", 5, 2, 1, Side::kSell, 9'994},
      {"odd spread: half a bp = 100.005, rounded up for a buy", 0, 1, 1, Side::kBuy, 10'001},
      {"odd spread: 99.995 rounded down for a sell", 0, 1, 1, Side::kSell, 9'999},
      {"tick 0.05: 100.06 rounds up to 100.10 for a buy", 5, 2, 5, Side::kBuy, 10'010},
      {"tick 0.05: 99.94 rounds down to 99.90 for a sell", 5, 2, 5, Side::kSell, 9'990},
  };
  for (const CostCase& c : cases) {
    SCOPED_TRACE(c.rule);
    Instrument inst = test_instrument();
    inst.tick_size = px(c.tick);
    FillModel model;
    model.slippage_bps = c.slippage_bps;
    model.spread_bps = c.spread_bps;
    EXPECT_EQ(apply_costs(px(10'000), c.side, model, inst), px(c.expected));
  }
}

TEST(BarMatching, MarketOrdersPayTheCostsLimitsDoNot) {
  FillModel model;
  model.slippage_bps = 5;
  const Instrument inst = test_instrument();
  const auto market = trade_on_bar({Side::kBuy, OrderType::kMarket, {}, false}, kBar, MatchPoint::kOpen, inst, model);
  const auto limit =
      trade_on_bar({Side::kBuy, OrderType::kLimit, px(10'050), false}, kBar, MatchPoint::kOpen, inst, model);
  ASSERT_TRUE(market && limit);
  EXPECT_EQ(market->price, px(10'005));  // 100.00 + 5 bps
  EXPECT_EQ(limit->price, px(10'000));   // the open, unchanged
}

TEST(BarMatching, PartialQuantityDrawsOnlyWhenTheKnobIsOn) {
  const Instrument inst = test_instrument();
  Rng rng(7);
  const Rng::State before = rng.state();
  EXPECT_EQ(partial_quantity(qty(1'000), FillModel{}, inst, rng), qty(1'000));
  EXPECT_EQ(rng.state(), before);  // knob off: no draw, so knobs-off runs match older runs
}

TEST(BarMatching, PartialQuantityIsTheRatioOnTheLotGridAtLeastOneLot) {
  Instrument inst = test_instrument();
  inst.lot_step = qty(10);
  FillModel always;
  always.partial_probability = 1.0;
  always.partial_ratio = 0.5;
  Rng rng(1);
  EXPECT_EQ(partial_quantity(qty(1'000), always, inst, rng), qty(500));
  EXPECT_EQ(partial_quantity(qty(1'030), always, inst, rng), qty(510));  // 515 rounded down to the lot
  EXPECT_EQ(partial_quantity(qty(10), always, inst, rng), qty(10));      // 5 rounds to 0: one lot instead
  EXPECT_EQ(partial_quantity(qty(3), always, inst, rng), qty(3));        // never more than remains
}

TEST(BarMatching, PartialFillsFollowTheSeed) {
  FillModel model;
  model.partial_probability = 0.5;
  const Instrument inst = test_instrument();
  auto draws = [&](std::uint64_t seed) {
    Rng rng(seed);
    std::vector<std::int64_t> out;
    for (int i = 0; i < 64; ++i) out.push_back(partial_quantity(qty(1'000), model, inst, rng).raw);
    return out;
  };
  EXPECT_EQ(draws(3), draws(3));
  EXPECT_NE(draws(3), draws(4));
}

TEST(BarMatching, FeeIsMakerOrTakerRateOnTheExactNotional) {
  const Instrument inst = test_instrument();
  // 101.50 x 2.000 = 203.00; taker 10 bps = 0.203, maker 2 bps = 0.0406.
  EXPECT_EQ(*fill_fee(inst, px(10'150), qty(2'000), false), money(20'300'000));
  EXPECT_EQ(*fill_fee(inst, px(10'150), qty(2'000), true), money(4'060'000));
  // 0.01 x 0.001 = 0.00001; 10 bps of it is 1e-8 exactly; 2 bps (2e-9) rounds up to 1e-8.
  EXPECT_EQ(*fill_fee(inst, px(1), qty(1), false), money(1));
  EXPECT_EQ(*fill_fee(inst, px(1), qty(1), true), money(1));
}

TEST(BarMatching, SpotSettlementNeedsCashForNotionalPlusFeeOrTheHoldings) {
  const Instrument inst = test_instrument();
  const Money fee = money(10'000'000);  // 0.10
  const Money exact = money(100 * kMoneyUnit + 10'000'000);
  // Buy 1.000 at 100.00 = 100.00 + 0.10 fee.
  EXPECT_TRUE(can_settle(inst, Side::kBuy, qty(1'000), px(10'000), fee, exact, Qty{}, false));
  EXPECT_FALSE(can_settle(inst, Side::kBuy, qty(1'000), px(10'000), fee, exact - money(1), Qty{}, false));
  // Sell needs the holdings unless shorting is allowed.
  EXPECT_TRUE(can_settle(inst, Side::kSell, qty(1'000), px(10'000), fee, Money{}, qty(1'000), false));
  EXPECT_FALSE(can_settle(inst, Side::kSell, qty(1'000), px(10'000), fee, Money{}, qty(999), false));
  EXPECT_TRUE(can_settle(inst, Side::kSell, qty(1'000), px(10'000), fee, Money{}, Qty{}, true));
  EXPECT_EQ(unsettled_reason(Side::kBuy), "insufficient_funds_at_fill");
  EXPECT_EQ(unsettled_reason(Side::kSell), "insufficient_position_at_fill");
}

// The knobs a venue trades with (check_fill_model). Outside them the price arithmetic overflows
// (slippage 5e18 bps), an order fills 5.5 times over (a partial ratio of 5.5 read from a venue
// file) or a NaN share reaches a double-to-integer conversion. Found by fuzz/cli_fuzz.cpp
// (--partial-prob nan got past CLI::Range) and fuzz/paper_exchange_fuzz.cpp (partial_ratio 5.5).
TEST(BarMatching, FillModelKnobsStayWhereTheArithmeticHolds) {
  EXPECT_TRUE(check_fill_model(FillModel{}).ok());
  FillModel edge;
  edge.slippage_bps = 9'999;  // 2 x 9999 + 1 = 19999 half-bps: just below the whole price
  edge.spread_bps = 1;
  edge.partial_probability = 1.0;
  edge.partial_ratio = 0.0;
  edge.latency = Duration{86'400'000'000'000};  // one day
  EXPECT_TRUE(check_fill_model(edge).ok());
  const auto refused = [](void (*change)(FillModel&), const std::string& words) {
    FillModel m;
    change(m);
    const Status s = check_fill_model(m);
    ASSERT_FALSE(s.ok()) << words;
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(s.error().message.find(words), std::string::npos) << s.error().message;
  };
  refused([](FillModel& m) { m.slippage_bps = 5'000'000'000'000'000'000; }, "slippage 5000000000000000000 bps");
  refused([](FillModel& m) { m.slippage_bps = -1; }, "slippage -1 bps");
  refused([](FillModel& m) { m.slippage_bps = 10'000; }, "slippage 10000 bps");
  refused([](FillModel& m) { m.spread_bps = INT64_MAX; }, "spread 9223372036854775807 bps");
  refused(
      [](FillModel& m) {
        m.slippage_bps = 5'000;
        m.spread_bps = 10'000;
      },
      "cost less than the whole price");
  refused([](FillModel& m) { m.partial_ratio = 5.5; }, "partial fill ratio 5.5");
  refused([](FillModel& m) { m.partial_ratio = std::nan(""); }, "partial fill ratio nan");
  refused([](FillModel& m) { m.partial_probability = -0.25; }, "partial fill probability -0.25");
  refused([](FillModel& m) { m.partial_probability = HUGE_VAL; }, "partial fill probability inf");
  refused([](FillModel& m) { m.latency = Duration{-1}; }, "latency -1 ns");
  refused([](FillModel& m) { m.latency = Duration{86'400'000'000'001}; }, "latency 86400000000001 ns");
}

TEST(RngState, RestoredGeneratorDrawsWhatTheOriginalWouldHave) {
  Rng original(42);
  (void)original.normal();  // leaves Box-Muller's spare half in the state
  const Rng::State saved = original.state();
  ASSERT_TRUE(saved.has_spare);
  Rng restored(999);
  restored.set_state(saved);
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(restored.normal(), original.normal());
    EXPECT_EQ(restored.next_u64(), original.next_u64());
  }
}

TEST(RngState, SavingTheStateDoesNotChangeTheSequence) {
  Rng a(5), b(5);
  (void)a.state();
  for (int i = 0; i < 8; ++i) EXPECT_EQ(a.uniform(), b.uniform());
}

}  // namespace
}  // namespace cst
