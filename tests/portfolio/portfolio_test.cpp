// Portfolio: average-cost accounting for long and short positions, fees, equity, the equity
// references the risk limits use, and the promise that a failed fill changes nothing.
//
// Units (tests/support/trading_fixtures.hpp): TEST-USD prices have 2 decimals, quantities 3;
// notional = price × qty exactly, so every expectation below is plain arithmetic in USD.

#include "cst/portfolio/portfolio.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "cst/core/rng.hpp"
#include "support/trading_fixtures.hpp"

namespace cst {
namespace {

using test::cents;
using test::kUsd;
using test::milli;
using test::units;
using test::usd;

Money usd_cents(std::int64_t c) { return Money::from_raw(c * (kUsd / 100)); }

Fill make_fill(Side side, Qty qty, Price price, Money fee = {}, std::uint32_t instrument = 1) {
  Fill f;
  f.time = Timestamp::from_seconds(1'700'000'000);
  f.client_order_id = test::coid("f-1");
  f.instrument = InstrumentId{instrument};
  f.side = side;
  f.qty = qty;
  f.price = price;
  f.fee = fee;
  return f;
}

class PortfolioTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(portfolio.add_instrument(test::test_instrument()).ok()); }

  // Applies a fill that must succeed and returns the PnL it realized.
  Money apply(Side side, Qty qty, Price price, Money fee = {}) {
    auto effect = portfolio.apply_fill(make_fill(side, qty, price, fee));
    EXPECT_TRUE(effect.ok()) << (effect.ok() ? "" : effect.error().message);
    return effect.ok() ? effect->realized_pnl : Money{};
  }
  const Position& pos() const { return portfolio.position(InstrumentId{1}); }

  Portfolio portfolio{usd(10'000)};
};

TEST_F(PortfolioTest, LongOpenAddReduceCloseRealizesAgainstAverageCost) {
  // Buy 2 @ 100 and 2 @ 110: 4 units costing 420, average 105.
  EXPECT_EQ(apply(Side::kBuy, units(2), cents(10000)), Money{});
  EXPECT_EQ(apply(Side::kBuy, units(2), cents(11000)), Money{});
  EXPECT_EQ(pos().qty, units(4));
  EXPECT_EQ(pos().cost, usd(420));
  EXPECT_EQ(portfolio.cash(), usd(10'000 - 200 - 220));
  // Sell 1 @ 120: releases 420/4 = 105 of cost, realizes 120 - 105 = +15.
  EXPECT_EQ(apply(Side::kSell, units(1), cents(12000)), usd(15));
  EXPECT_EQ(pos().qty, units(3));
  EXPECT_EQ(pos().cost, usd(315));
  // Sell the last 3 @ 100: releases 315, realizes 300 - 315 = -15. Flat, cost zero.
  EXPECT_EQ(apply(Side::kSell, units(3), cents(10000)), usd(-15));
  EXPECT_TRUE(pos().is_flat());
  EXPECT_EQ(pos().cost, Money{});
  EXPECT_EQ(pos().realized_pnl, Money{});
  EXPECT_EQ(portfolio.cash(), usd(10'000));  // 10000 - 420 + 120 + 300
}

TEST_F(PortfolioTest, ShortOpenAddReduceCloseRealizesAgainstAverageCost) {
  // Sell 2 @ 100 and 2 @ 90: short 4, signed cost -380, average 95.
  apply(Side::kSell, units(2), cents(10000));
  apply(Side::kSell, units(2), cents(9000));
  EXPECT_EQ(pos().qty, units(-4));
  EXPECT_EQ(pos().cost, usd(-380));
  EXPECT_EQ(portfolio.cash(), usd(10'000 + 200 + 180));
  // Buy 1 @ 80: a short at 95 covered at 80 gains 15.
  EXPECT_EQ(apply(Side::kBuy, units(1), cents(8000)), usd(15));
  EXPECT_EQ(pos().qty, units(-3));
  EXPECT_EQ(pos().cost, usd(-285));
  // Buy 3 @ 100: covered 5 above average, 3 × -5 = -15.
  EXPECT_EQ(apply(Side::kBuy, units(3), cents(10000)), usd(-15));
  EXPECT_TRUE(pos().is_flat());
  EXPECT_EQ(pos().cost, Money{});
  EXPECT_EQ(portfolio.cash(), usd(10'000));  // 10000 + 380 - 80 - 300
}

TEST_F(PortfolioTest, FlipLongToShortRealizesClosedPartAndOpensRestAtFillPrice) {
  apply(Side::kBuy, units(2), cents(10000));  // long 2, cost 200
  // Sell 5 @ 110 (notional 550): closes 2 (exit 220, released 200 → +20), opens short 3 at 110.
  auto effect = portfolio.apply_fill(make_fill(Side::kSell, units(5), cents(11000)));
  ASSERT_TRUE(effect.ok());
  EXPECT_EQ(effect->realized_pnl, usd(20));
  EXPECT_EQ(effect->position_before, units(2));
  EXPECT_EQ(effect->position_after, units(-3));
  EXPECT_EQ(pos().cost, usd(-330));
  EXPECT_EQ(portfolio.cash(), usd(10'000 - 200 + 550));
}

TEST_F(PortfolioTest, FlipShortToLongRealizesClosedPartAndOpensRestAtFillPrice) {
  apply(Side::kSell, units(1), cents(5000));  // short 1, cost -50
  // Buy 3 @ 40 (notional 120): covers 1 (exit 40 vs 50 received → +10), opens long 2 at 40.
  auto effect = portfolio.apply_fill(make_fill(Side::kBuy, units(3), cents(4000)));
  ASSERT_TRUE(effect.ok());
  EXPECT_EQ(effect->realized_pnl, usd(10));
  EXPECT_EQ(effect->position_before, units(-1));
  EXPECT_EQ(effect->position_after, units(2));
  EXPECT_EQ(pos().cost, usd(80));
  EXPECT_EQ(portfolio.cash(), usd(10'000 + 50 - 120));
}

TEST_F(PortfolioTest, ProRataRoundingLosesNothingOverARoundTrip) {
  // 1 @ 100.00 + 2 @ 100.05 = 3 units costing 300.10 (raw 30_010_000_000, not divisible by 3).
  apply(Side::kBuy, units(1), cents(10000));
  apply(Side::kBuy, units(2), cents(10005));
  EXPECT_EQ(pos().cost, usd_cents(30010));
  // Sell 1 @ 100.00: releases 30_010_000_000 / 3 = 10_003_333_333.33 → 10_003_333_333 (half-even),
  // realizes 10_000_000_000 - 10_003_333_333 = -3_333_333 raw.
  EXPECT_EQ(apply(Side::kSell, units(1), cents(10000)), Money::from_raw(-3'333'333));
  EXPECT_EQ(pos().cost, Money::from_raw(20'006'666'667));
  // Sell 2 @ 100.00: releases the rest, -6_666_667 raw. Together exactly -0.10 USD = 300.00 - 300.10.
  EXPECT_EQ(apply(Side::kSell, units(2), cents(10000)), Money::from_raw(-6'666'667));
  EXPECT_EQ(portfolio.realized_pnl(), usd_cents(-10));
  EXPECT_EQ(pos().cost, Money{});
}

TEST_F(PortfolioTest, FeesReduceCashAndAreNotPartOfRealizedPnl) {
  // Buy 1 @ 100 paying 0.10, sell 1 @ 100 paying 0.10: realized 0, cash down by 0.20.
  apply(Side::kBuy, units(1), cents(10000), usd_cents(10));
  EXPECT_EQ(portfolio.cash(), usd_cents(1'000'000 - 10'000 - 10));
  EXPECT_EQ(apply(Side::kSell, units(1), cents(10000), usd_cents(10)), Money{});
  EXPECT_EQ(portfolio.cash(), usd_cents(1'000'000 - 20));
  EXPECT_EQ(portfolio.fees(), usd_cents(20));
  EXPECT_EQ(pos().fees, usd_cents(20));
  EXPECT_EQ(portfolio.realized_pnl(), Money{});
  EXPECT_EQ(portfolio.equity(), usd_cents(1'000'000 - 20));
}

TEST_F(PortfolioTest, RebateIncreasesCash) {
  // A maker rebate is a negative fee: 0.02 back on a 100 buy.
  apply(Side::kBuy, units(1), cents(10000), usd_cents(-2));
  EXPECT_EQ(portfolio.cash(), usd_cents(1'000'000 - 10'000 + 2));
  EXPECT_EQ(portfolio.fees(), usd_cents(-2));
}

TEST_F(PortfolioTest, EquityIsCashPlusPositionsMarkedAtLastPrice) {
  apply(Side::kBuy, units(2), cents(10000), usd_cents(20));  // cash 10000 - 200 - 0.20
  // Before any mark the position is valued at its fill price: equity = 9799.80 + 200.
  EXPECT_EQ(portfolio.equity(), usd_cents(1'000'000 - 20));
  ASSERT_TRUE(portfolio.mark(InstrumentId{1}, cents(10500)).ok());
  // 2 × 105 = 210: equity 9799.80 + 210 = 10009.80; unrealized 210 - 200 = +10.
  EXPECT_EQ(pos().market_value, usd(210));
  EXPECT_EQ(portfolio.equity(), usd_cents(1'000'980));
  EXPECT_EQ(portfolio.unrealized_pnl(), usd(10));
  EXPECT_EQ(pos().unrealized_pnl(), usd(10));
  EXPECT_EQ(portfolio.gross_exposure(), usd(210));
}

TEST_F(PortfolioTest, ShortLosesWhenMarkRises) {
  apply(Side::kSell, units(2), cents(10000));  // cash 10200, value -200
  ASSERT_TRUE(portfolio.mark(InstrumentId{1}, cents(10500)).ok());
  // Value -210: equity 10200 - 210 = 9990; unrealized -210 - (-200) = -10; gross exposure 210.
  EXPECT_EQ(portfolio.equity(), usd(9'990));
  EXPECT_EQ(portfolio.unrealized_pnl(), usd(-10));
  EXPECT_EQ(portfolio.gross_exposure(), usd(210));
}

TEST_F(PortfolioTest, FillAfterAMarkIsValuedAtThatMarkUntilTheNextMark) {
  ASSERT_TRUE(portfolio.mark(InstrumentId{1}, cents(9000)).ok());
  apply(Side::kBuy, units(2), cents(10000));
  // Valued at the last mark, 2 × 90 = 180 (documented in portfolio.hpp): equity 9800 + 180.
  EXPECT_EQ(pos().market_value, usd(180));
  EXPECT_EQ(portfolio.equity(), usd(9'980));
}

TEST_F(PortfolioTest, StartOfDayEquityAndPeak) {
  EXPECT_EQ(portfolio.start_of_day_equity(), usd(10'000));
  EXPECT_EQ(portfolio.equity_peak(), usd(10'000));
  apply(Side::kBuy, units(2), cents(10000));
  ASSERT_TRUE(portfolio.mark(InstrumentId{1}, cents(11000)).ok());  // equity 9800 + 220 = 10020
  EXPECT_EQ(portfolio.equity_peak(), usd(10'020));
  ASSERT_TRUE(portfolio.mark(InstrumentId{1}, cents(9500)).ok());  // equity 9800 + 190 = 9990
  EXPECT_EQ(portfolio.equity_peak(), usd(10'020));                 // a peak never falls
  EXPECT_EQ(portfolio.start_of_day_equity(), usd(10'000));         // only start_day moves it
  const Timestamp day2 = Timestamp::from_seconds(86'400 * 2 + 5);
  portfolio.start_day(day2);
  EXPECT_EQ(portfolio.start_of_day_equity(), usd(9'990));
  EXPECT_EQ(portfolio.current_day(), 2);
  ASSERT_TRUE(portfolio.mark(InstrumentId{1}, cents(10000)).ok());  // equity 10000
  EXPECT_EQ(portfolio.start_of_day_equity(), usd(9'990));
  EXPECT_EQ(portfolio.equity_peak(), usd(10'020));
}

TEST_F(PortfolioTest, UnknownInstrumentIsAnErrorAndChangesNothing) {
  auto fill = portfolio.apply_fill(make_fill(Side::kBuy, units(1), cents(10000), {}, 7));
  ASSERT_FALSE(fill.ok());
  EXPECT_EQ(fill.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(portfolio.mark(InstrumentId{7}, cents(10000)).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(portfolio.has_instrument(InstrumentId{7}));
  EXPECT_FALSE(portfolio.has_instrument(InstrumentId{0}));  // below a registered id, never added
  EXPECT_EQ(portfolio.cash(), usd(10'000));
  EXPECT_EQ(portfolio.equity(), usd(10'000));
}

TEST_F(PortfolioTest, NonPositiveFillOrMarkIsRejected) {
  EXPECT_EQ(portfolio.apply_fill(make_fill(Side::kBuy, milli(0), cents(10000))).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(portfolio.apply_fill(make_fill(Side::kBuy, milli(-10), cents(10000))).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(portfolio.apply_fill(make_fill(Side::kBuy, units(1), cents(0))).error().code, ErrorCode::kInvalidArgument);
  apply(Side::kBuy, units(1), cents(10000));
  EXPECT_EQ(portfolio.mark(InstrumentId{1}, cents(0)).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(pos().mark, cents(10000));
  EXPECT_EQ(portfolio.equity(), usd(10'000));
}

TEST(PortfolioInstruments, RegistrationRules) {
  Portfolio p{usd(1)};
  EXPECT_TRUE(p.add_instrument(test::test_instrument(3)).ok());
  EXPECT_EQ(p.add_instrument(test::test_instrument(3)).error().code, ErrorCode::kDuplicate);
  EXPECT_FALSE(p.add_instrument(test::test_instrument(4096)).ok());
  Instrument bad = test::test_instrument(5);
  bad.lot_step = Qty{};
  EXPECT_FALSE(p.add_instrument(bad).ok());
  EXPECT_TRUE(p.has_instrument(InstrumentId{3}));
  EXPECT_FALSE(p.has_instrument(InstrumentId{5}));
}

// The accounting identity checked after every fill of a seeded random sequence:
//   cash + Σ cost == starting_cash + realized_pnl - fees
// (opening moves notional from cash into cost; closing returns exit notional to cash and
// releases cost, the difference being realized PnL; fees only leave cash), together with
//   equity == cash + Σ market_value  and  unrealized == Σ (market_value - cost).
TEST(PortfolioConservation, CashPlusCostEqualsStartPlusRealizedMinusFees) {
  Portfolio p{usd(1'000'000)};
  ASSERT_TRUE(p.add_instrument(test::test_instrument(1, "A-USD")).ok());
  ASSERT_TRUE(p.add_instrument(test::test_instrument(2, "B-USD")).ok());
  Rng rng(20240611);
  for (int i = 0; i < 3000; ++i) {
    const std::uint32_t id = 1 + static_cast<std::uint32_t>(rng.next_u64() % 2);
    const Side side = rng.bernoulli(0.5) ? Side::kBuy : Side::kSell;
    const Qty qty = milli(10 * static_cast<std::int64_t>(1 + rng.next_u64() % 500));
    const Price price = cents(5 * static_cast<std::int64_t>(1 + rng.next_u64() % 4000));
    const Money fee = Money::from_raw(static_cast<std::int64_t>(rng.next_u64() % 1'000'000) - 100'000);
    auto effect = p.apply_fill(make_fill(side, qty, price, fee, id));
    ASSERT_TRUE(effect.ok()) << effect.error().message;
    if (rng.bernoulli(0.3)) {
      ASSERT_TRUE(p.mark(InstrumentId{id}, cents(5 * (1 + static_cast<std::int64_t>(rng.next_u64() % 4000)))).ok());
    }

    const Position& a = p.position(InstrumentId{1});
    const Position& b = p.position(InstrumentId{2});
    ASSERT_EQ(p.cash() + a.cost + b.cost, p.starting_cash() + p.realized_pnl() - p.fees()) << "fill " << i;
    ASSERT_EQ(p.equity(), p.cash() + a.market_value + b.market_value) << "fill " << i;
    ASSERT_EQ(p.unrealized_pnl(), (a.market_value - a.cost) + (b.market_value - b.cost)) << "fill " << i;
    ASSERT_EQ(p.fees(), a.fees + b.fees);
    ASSERT_GE(p.equity_peak(), p.equity());
    // A flat position carries no cost: average cost never leaves residue.
    if (a.is_flat()) {
      ASSERT_EQ(a.cost, Money{});
    }
    if (b.is_flat()) {
      ASSERT_EQ(b.cost, Money{});
    }
  }
}

// Instrument with 8 + 8 decimals: notional = price_raw × qty_raw / 10^8, so quantities near
// int64 have small notionals and the position quantity itself is what overflows.
Instrument fine_instrument() {
  Instrument inst;
  inst.id = InstrumentId{2};
  inst.symbol = "FINE-USD";
  inst.price_decimals = 8;
  inst.qty_decimals = 8;
  return inst;
}

void expect_unchanged(const Portfolio& p, Money cash, Money equity, Money fees, Qty qty) {
  EXPECT_EQ(p.cash(), cash);
  EXPECT_EQ(p.equity(), equity);
  EXPECT_EQ(p.fees(), fees);
  EXPECT_EQ(p.position(InstrumentId{2}).qty, qty);
}

TEST(PortfolioOverflow, PositionQuantityOverflowLeavesPortfolioUnchanged) {
  Portfolio p{usd(10'000)};
  ASSERT_TRUE(p.add_instrument(fine_instrument()).ok());
  Fill f = make_fill(Side::kBuy, Qty::from_raw(4'000'000'000'000'000'000), Price::from_raw(1), {}, 2);
  // Notional 4e18 × 1 / 1e8 = 4e10 raw = 400 USD; two fills hold 8e18 < 2^63 ≈ 9.22e18.
  ASSERT_TRUE(p.apply_fill(f).ok());
  ASSERT_TRUE(p.apply_fill(f).ok());
  const Money cash = p.cash();
  const Money equity = p.equity();
  auto third = p.apply_fill(f);  // 1.2e19 does not fit
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, ErrorCode::kOverflow);
  expect_unchanged(p, cash, equity, Money{}, Qty::from_raw(8'000'000'000'000'000'000));
}

TEST(PortfolioOverflow, CashOverflowLeavesPortfolioUnchanged) {
  const Money start = Money::from_raw(INT64_MAX - 50 * kUsd);
  Portfolio p{start};
  ASSERT_TRUE(p.add_instrument(fine_instrument()).ok());
  // Selling 100 USD of notional would push cash past int64.
  auto sell = p.apply_fill(make_fill(Side::kSell, Qty::from_raw(100'00000000), Price::from_raw(1'00000000), {}, 2));
  ASSERT_FALSE(sell.ok());
  EXPECT_EQ(sell.error().code, ErrorCode::kOverflow);
  expect_unchanged(p, start, start, Money{}, Qty{});
}

TEST(PortfolioOverflow, FeeTotalOverflowLeavesPortfolioUnchanged) {
  Portfolio p{usd(10'000)};
  ASSERT_TRUE(p.add_instrument(fine_instrument()).ok());
  const Fill buy = make_fill(Side::kBuy, Qty::from_raw(1'00000000), Price::from_raw(1'00000000),
                             Money::from_raw(INT64_MAX / 2 + 1), 2);
  ASSERT_TRUE(p.apply_fill(buy).ok());
  const Money cash = p.cash();
  const Money equity = p.equity();
  const Money fees = p.fees();
  auto second = p.apply_fill(buy);  // fees 2 × (2^62) = 2^63 does not fit
  ASSERT_FALSE(second.ok());
  expect_unchanged(p, cash, equity, fees, Qty::from_raw(1'00000000));
}

TEST(PortfolioOverflow, NotionalOverflowLeavesPortfolioUnchanged) {
  Portfolio p{usd(10'000)};
  ASSERT_TRUE(p.add_instrument(test::test_instrument()).ok());
  // TEST-USD notional = price_raw × qty_raw × 1000: 1e9 × 1e10 × 1e3 = 1e22 does not fit.
  auto fill = p.apply_fill(make_fill(Side::kBuy, Qty::from_raw(10'000'000'000), Price::from_raw(1'000'000'000)));
  ASSERT_FALSE(fill.ok());
  EXPECT_EQ(fill.error().code, ErrorCode::kOverflow);
  EXPECT_EQ(p.cash(), usd(10'000));
  EXPECT_TRUE(p.position(InstrumentId{1}).is_flat());
}

TEST(PortfolioOverflow, MarkOverflowLeavesPortfolioUnchanged) {
  Portfolio p{usd(10'000)};
  ASSERT_TRUE(p.add_instrument(fine_instrument()).ok());
  ASSERT_TRUE(
      p.apply_fill(make_fill(Side::kBuy, Qty::from_raw(8'000'000'000'000'000'000), Price::from_raw(1), {}, 2)).ok());
  const Money equity = p.equity();
  // 8e18 × 2e8 / 1e8 = 1.6e19 does not fit.
  EXPECT_EQ(p.mark(InstrumentId{2}, Price::from_raw(200'000'000)).error().code, ErrorCode::kOverflow);
  EXPECT_EQ(p.position(InstrumentId{2}).mark, Price::from_raw(1));
  EXPECT_EQ(p.equity(), equity);
}

}  // namespace
}  // namespace cst
