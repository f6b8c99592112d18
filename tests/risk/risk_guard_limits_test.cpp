// RiskGuard limits (DESIGN.md section 4), each at, just below and just above its threshold.
//
// Unless a test says otherwise: profile moderate, equity 100,000 USD all in cash, TEST-USD at
// 100.00 (tests/support/trading_fixtures.hpp: lot 0.010, min notional 10 USD, taker fee 10 bps,
// maker 2 bps). Moderate limits: position 2% = 2,000 USD = 20 units at 100; exposure 20% =
// 20,000 USD; leverage 10x = 1,000,000 USD; emergency stop at a 10% loss from start of day.

#include <gtest/gtest.h>

#include <vector>

#include "cst/risk/risk_guard.hpp"
#include "support/risk_expectations.hpp"
#include "support/trading_fixtures.hpp"

namespace cst {
namespace {

using test::cents;
using test::expect_result;
using test::has_reason;
using test::make_guard;
using test::market_order;
using test::milli;
using test::SizeCase;
using test::units;
using test::usd;

const Instrument kInst = test::test_instrument();
const Price kPrice = cents(10000);  // 100.00

RiskCheck check_buy(RiskGuard& guard, const AccountState& account, Qty qty, Price price = kPrice) {
  return guard.check(market_order(Side::kBuy, qty), kInst, account, price);
}
RiskCheck check_sell(RiskGuard& guard, const AccountState& account, Qty qty, Price price = kPrice) {
  return guard.check(market_order(Side::kSell, qty), kInst, account, price);
}

void run_table(const std::vector<SizeCase>& cases, const AccountState& account, Side side, Price price = kPrice) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    RiskGuard guard = make_guard();
    expect_result(guard.check(market_order(side, c.requested), kInst, account, price), c.verdict, c.approved, c.reason);
    EXPECT_EQ(guard.state(), TradingState::kActive);
  }
}

// --- Position size -------------------------------------------------------------------------

TEST(RiskGuardPositionLimit, TwoPercentOfEquityAtJustBelowJustAbove) {
  // 2% of 100,000 = 2,000 USD = 20.000 units at 100.00; one lot is 0.010.
  run_table({{"below: 19.990", milli(19'990), Verdict::kApproved, milli(19'990), ReasonCode::kNone},
             {"at: 20.000", milli(20'000), Verdict::kApproved, milli(20'000), ReasonCode::kNone},
             {"above: 20.010 → 20.000", milli(20'010), Verdict::kReduced, milli(20'000), ReasonCode::kPositionLimit},
             {"far above: 25 → 20", units(25), Verdict::kReduced, units(20), ReasonCode::kPositionLimit}},
            test::flat_account(usd(100'000)), Side::kBuy);
}

TEST(RiskGuardPositionLimit, ReducedQtyIsTheLargestLotThatFits) {
  // At 33.35: 2,000 / 33.35 = 59.9700... units. 59.970 × 33.35 = 1,999.9995 ≤ 2,000, while
  // 59.980 × 33.35 = 2,000.333 > 2,000, so exactly 59.970 is approved.
  RiskGuard guard = make_guard();
  expect_result(check_buy(guard, test::flat_account(usd(100'000)), units(100), cents(3335)), Verdict::kReduced,
                milli(59'970), ReasonCode::kPositionLimit);
}

TEST(RiskGuardPositionLimit, CountsPositionAndOpenOrdersOnTheOrdersSide) {
  // Long 10 with open buys of 5: worst case 15 of the 20 allowed, so a buy of 10 gets 5.
  AccountState a = test::flat_account(usd(100'000));
  a.instrument = {units(10), units(5), Qty{}};
  RiskGuard guard = make_guard();
  expect_result(check_buy(guard, a, units(10)), Verdict::kReduced, units(5), ReasonCode::kPositionLimit);
}

TEST(RiskGuardPositionLimit, ShortSideCountsOpenSells) {
  // Short 10 with open sells of 5 (margin account): worst case -15, so a sell of 10 gets 5.
  AccountState a = test::flat_account(usd(100'000));
  a.allow_short = true;
  a.instrument = {units(-10), Qty{}, units(5)};
  RiskGuard guard = make_guard();
  expect_result(check_sell(guard, a, units(10)), Verdict::kReduced, units(5), ReasonCode::kPositionLimit);
}

TEST(RiskGuardPositionLimit, BuyCoveringAShortMayGoUpToTheLimitOnTheLongSide) {
  // Short 10 (margin): a buy of 30 ends long 20 = the limit; 30.010 would end at 20.010.
  AccountState a = test::flat_account(usd(100'000));
  a.allow_short = true;
  a.instrument = {units(-10), Qty{}, Qty{}};
  RiskGuard guard = make_guard();
  expect_result(check_buy(guard, a, units(30)), Verdict::kApproved, units(30), ReasonCode::kNone);
  expect_result(check_buy(guard, a, milli(30'010)), Verdict::kReduced, units(30), ReasonCode::kPositionLimit);
}

TEST(RiskGuardPositionLimit, OpenBuysAtTheLimitRejectANewBuyWithNoFills) {
  AccountState a = test::flat_account(usd(100'000));
  a.instrument = {Qty{}, units(20), Qty{}};
  RiskGuard guard = make_guard();
  expect_result(check_buy(guard, a, units(1)), Verdict::kRejected, Qty{}, ReasonCode::kPositionLimit);
}

// --- Total exposure ------------------------------------------------------------------------

TEST(RiskGuardExposureLimit, TwentyPercentAtJustBelowJustAbove) {
  // Other instruments hold 19,000 of the 20,000 allowed: room 1,000 USD = 10.000 units.
  AccountState a = test::flat_account(usd(100'000));
  a.gross_exposure = usd(19'000);
  run_table({{"below: 9.990", milli(9'990), Verdict::kApproved, milli(9'990), ReasonCode::kNone},
             {"at: 10.000", units(10), Verdict::kApproved, units(10), ReasonCode::kNone},
             {"above: 10.010 → 10.000", milli(10'010), Verdict::kReduced, units(10), ReasonCode::kExposureLimit}},
            a, Side::kBuy);
}

TEST(RiskGuardExposureLimit, ExposureCountsOpenOrders) {
  // No fills anywhere. Other instruments have open orders worth 19,000 at worst case; this
  // instrument has open buys of 5 units (500 USD). Room for this instrument: 1,000 USD = 10
  // units worst case, 5 already used by the open buys, so a new buy of 10 gets 5.
  AccountState a = test::flat_account(usd(100'000));
  a.instrument = {Qty{}, units(5), Qty{}};
  a.instrument_exposure = usd(500);
  a.gross_exposure = usd(19'500);
  RiskGuard guard = make_guard();
  expect_result(check_buy(guard, a, units(10)), Verdict::kReduced, units(5), ReasonCode::kExposureLimit);

  // The same account without this instrument's open buys approves the full 10.
  AccountState no_open = a;
  no_open.instrument = {};
  no_open.instrument_exposure = Money{};
  no_open.gross_exposure = usd(19'000);
  RiskGuard fresh = make_guard();
  expect_result(check_buy(fresh, no_open, units(10)), Verdict::kApproved, units(10), ReasonCode::kNone);
}

TEST(RiskGuardExposureLimit, OpenOrdersFillingTheRoomRejectANewOrder) {
  // Open buys of 10 units here (1,000) plus 19,000 elsewhere: exactly at 20%, nothing left.
  AccountState a = test::flat_account(usd(100'000));
  a.instrument = {Qty{}, units(10), Qty{}};
  a.instrument_exposure = usd(1'000);
  a.gross_exposure = usd(20'000);
  RiskGuard guard = make_guard();
  expect_result(check_buy(guard, a, units(1)), Verdict::kRejected, Qty{}, ReasonCode::kExposureLimit);
}

// --- Balance -------------------------------------------------------------------------------

TEST(RiskGuardBalance, SpotBuyNeedsFreeCashIncludingFee) {
  // 10 units at 100 = 1,000 notional + 1.00 fee (the larger of taker 10 bps and maker 2 bps)
  // = 1,001.00 USD needed. Equity stays 100,000 so no other limit applies.
  struct Row {
    std::string name;
    Money cash;
    Money reserved;
    Verdict verdict;
    Qty approved;
  };
  const Money need = usd(1'001);
  const Money one_raw = Money::from_raw(1);
  const std::vector<Row> rows = {
      {"free cash exactly notional + fee", need, Money{}, Verdict::kApproved, units(10)},
      {"one raw unit short → largest lot that fits, 9.990", need - one_raw, Money{}, Verdict::kReduced, milli(9'990)},
      {"one raw unit spare", need + one_raw, Money{}, Verdict::kApproved, units(10)},
      {"reserved cash leaves exactly enough", usd(2'001), usd(1'000), Verdict::kApproved, units(10)},
      {"reserved cash one raw unit too much", usd(2'001), usd(1'000) + one_raw, Verdict::kReduced, milli(9'990)},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.name);
    AccountState a = test::flat_account(usd(100'000));
    a.cash = r.cash;
    a.reserved_cash = r.reserved;
    RiskGuard guard = make_guard();
    expect_result(check_buy(guard, a, units(10)), r.verdict, r.approved,
                  r.verdict == Verdict::kApproved ? ReasonCode::kNone : ReasonCode::kInsufficientBalance);
  }
  // 9.990 costs 999.00 + 0.999 fee = 999.999 ≤ 1,000.99999999: the reduction really fits.
}

TEST(RiskGuardBalance, NoFreeCashRejectsABuy) {
  for (Money reserved : {usd(100'000), usd(100'001)}) {
    AccountState a = test::flat_account(usd(100'000));
    a.reserved_cash = reserved;
    RiskGuard guard = make_guard();
    expect_result(check_buy(guard, a, units(1)), Verdict::kRejected, Qty{}, ReasonCode::kInsufficientBalance);
  }
}

TEST(RiskGuardBalance, SpotSellBeyondHoldingsIsReducedToHoldings) {
  // Long 5 with an open sell of 1: 4 units may still be sold.
  AccountState a = test::flat_account(usd(100'000));
  a.instrument = {units(5), Qty{}, units(1)};
  run_table({{"below: 3.990", milli(3'990), Verdict::kApproved, milli(3'990), ReasonCode::kNone},
             {"at: 4.000", units(4), Verdict::kApproved, units(4), ReasonCode::kNone},
             {"above: 4.010 → 4.000", milli(4'010), Verdict::kReduced, units(4), ReasonCode::kInsufficientPosition}},
            a, Side::kSell);
}

TEST(RiskGuardBalance, SpotSellWithNothingHeldIsRejected) {
  RiskGuard guard = make_guard();
  expect_result(check_sell(guard, test::flat_account(usd(100'000)), units(1)), Verdict::kRejected, Qty{},
                ReasonCode::kInsufficientPosition);
}

TEST(RiskGuardBalance, MarginSellMayOpenAShort) {
  AccountState a = test::flat_account(usd(100'000));
  a.allow_short = true;
  a.instrument = {units(5), Qty{}, units(1)};
  RiskGuard guard = make_guard();
  expect_result(check_sell(guard, a, milli(4'010)), Verdict::kApproved, milli(4'010), ReasonCode::kNone);
}

// --- Leverage ceiling ----------------------------------------------------------------------

TEST(RiskGuardLeverage, AttemptAboveTenTimesEquityLocksDown) {
  // 900,000 USD elsewhere (9x equity) leaves room for 100,000 USD = 1,000 units at 100.00 before
  // the 10x ceiling. Up to it the ordinary limits refuse the order (the balance cuts it first,
  // the reported reason; the exposure limit, 20% and already used elsewhere, cuts it to zero)
  // and the account stays active; one lot above the ceiling locks it down.
  struct Row {
    std::string name;
    Qty qty;
    bool lockdown;
  };
  const std::vector<Row> rows = {
      {"below", milli(999'990), false}, {"at", units(1'000), false}, {"above", milli(1'000'010), true}};
  for (const auto& r : rows) {
    SCOPED_TRACE(r.name);
    RiskGuard guard = make_guard();
    AccountState a = test::flat_account(usd(100'000));
    a.gross_exposure = usd(900'000);
    const RiskCheck c = check_buy(guard, a, r.qty);
    if (r.lockdown) {
      expect_result(c, Verdict::kRejected, Qty{}, ReasonCode::kLeverageCeiling);
      EXPECT_EQ(guard.state(), TradingState::kLockdown);
    } else {
      expect_result(c, Verdict::kRejected, Qty{}, ReasonCode::kInsufficientBalance);
      EXPECT_TRUE(has_reason(c, ReasonCode::kExposureLimit));
      EXPECT_EQ(guard.state(), TradingState::kActive);
    }
  }
}

TEST(RiskGuardLeverage, CeilingCountsOtherInstrumentsExposure) {
  // 950,000 elsewhere leaves 50,000 = 500 units before the ceiling (margin sells: no balance).
  AccountState a = test::flat_account(usd(100'000));
  a.allow_short = true;
  a.gross_exposure = usd(950'000);
  RiskGuard at = make_guard();
  EXPECT_NE(check_sell(at, a, units(500)).reason, ReasonCode::kLeverageCeiling);
  EXPECT_EQ(at.state(), TradingState::kActive);
  RiskGuard above = make_guard();
  EXPECT_EQ(check_sell(above, a, milli(500'010)).reason, ReasonCode::kLeverageCeiling);
  EXPECT_EQ(above.state(), TradingState::kLockdown);
}

// --- Position ceiling (LOCKED: 100% of equity in one instrument) ----------------------------

TEST(RiskGuardPositionCeiling, AskingBeyondTheHardCeilingLocksDownAtItIsOnlyCut) {
  // 100% of 100,000 USD = 1,000 units at 100.00. At the ceiling the order is cut to the profile's
  // 2% (20 units); one lot above it is a position-size violation.
  struct Row {
    std::string name;
    Qty qty;
    bool lockdown;
  };
  for (const Row& r : std::vector<Row>{{"at", units(1'000), false}, {"above", milli(1'000'010), true}}) {
    SCOPED_TRACE(r.name);
    RiskGuard guard = make_guard();
    AccountState a = test::flat_account(usd(100'000));
    a.allow_short = true;
    const RiskCheck c = check_sell(guard, a, r.qty);
    if (r.lockdown) {
      expect_result(c, Verdict::kRejected, Qty{}, ReasonCode::kPositionCeiling);
      EXPECT_EQ(guard.state(), TradingState::kLockdown);
    } else {
      expect_result(c, Verdict::kReduced, units(20), ReasonCode::kPositionLimit);
      EXPECT_EQ(guard.state(), TradingState::kActive);
    }
  }
}

TEST(RiskGuardPositionCeiling, APositionAlreadyBeyondItIsNoAttempt) {
  // Equity fell: the long of 1,500 units is now 150% of equity. Selling 2,000 (closing it and
  // going 500 short) does not grow the worst case: no lockdown.
  RiskGuard guard = make_guard();
  AccountState a = test::flat_account(usd(100'000));
  a.allow_short = true;
  a.instrument.position = units(1'500);
  a.instrument_exposure = usd(150'000);
  a.gross_exposure = usd(150'000);
  const RiskCheck c = check_sell(guard, a, units(2'000));
  EXPECT_NE(c.reason, ReasonCode::kPositionCeiling);
  EXPECT_EQ(guard.state(), TradingState::kActive);
}

TEST(RiskGuardPositionCeiling, ResearchProfileHasNoPositionCeiling) {
  RiskGuard guard = make_guard(RiskProfile::kResearch, TradingMode::kBacktest);
  AccountState a = test::flat_account(usd(100'000));
  a.allow_short = true;
  EXPECT_NE(check_sell(guard, a, units(5'000)).reason, ReasonCode::kPositionCeiling);
  EXPECT_EQ(guard.state(), TradingState::kActive);
}

TEST(RiskGuardLeverage, ResearchProfileRefusesWithoutLockdown) {
  RiskGuard guard = make_guard(RiskProfile::kResearch, TradingMode::kBacktest);
  expect_result(check_buy(guard, test::flat_account(usd(100'000)), milli(10'000'010)), Verdict::kRejected, Qty{},
                ReasonCode::kLeverageCeiling);
  EXPECT_EQ(guard.state(), TradingState::kActive);
}

TEST(RiskGuardLeverage, OrderWhoseNotionalOverflowsIsALeverageAttempt) {
  RiskGuard guard = make_guard();
  const Qty huge = Qty::from_raw(INT64_MAX / 10 * 10);  // on the lot grid
  expect_result(check_buy(guard, test::flat_account(usd(100'000)), huge), Verdict::kRejected, Qty{},
                ReasonCode::kLeverageCeiling);
  EXPECT_EQ(guard.state(), TradingState::kLockdown);
}

// --- Emergency stop (in check) -------------------------------------------------------------

TEST(RiskGuardEmergency, LossOfTenPercentFromStartOfDayStopsNewRisk) {
  // Start of day 100,000: emergency threshold 10,000 of loss, i.e. equity 90,000.
  struct Row {
    std::string name;
    Money equity;
    bool stopped;
  };
  const Money one_raw = Money::from_raw(1);
  const std::vector<Row> rows = {{"loss just below", usd(90'000) + one_raw, false},
                                 {"loss at", usd(90'000), true},
                                 {"loss just above", usd(90'000) - one_raw, true}};
  for (const auto& r : rows) {
    SCOPED_TRACE(r.name);
    AccountState a = test::flat_account(usd(100'000));
    a.equity = r.equity;
    a.cash = r.equity;
    RiskGuard guard = make_guard();
    const RiskCheck c = check_buy(guard, a, units(1));
    if (r.stopped) {
      expect_result(c, Verdict::kRejected, Qty{}, ReasonCode::kEmergencyStop);
    } else {
      expect_result(c, Verdict::kApproved, units(1), ReasonCode::kNone);
    }
  }
}

TEST(RiskGuardEmergency, ReducingOrderStillPasses) {
  AccountState a = test::flat_account(usd(100'000));
  a.equity = usd(80'000);
  a.instrument = {units(5), Qty{}, Qty{}};
  RiskGuard guard = make_guard();
  const RiskCheck c = check_sell(guard, a, units(5));
  expect_result(c, Verdict::kApproved, units(5), ReasonCode::kNone);
  EXPECT_TRUE(c.risk_reducing);
}

// --- Invalid orders and minimums -----------------------------------------------------------

TEST(RiskGuardInvalidOrder, MalformedOrdersAreRejected) {
  struct Row {
    std::string name;
    OrderIntent intent;
  };
  OrderIntent post_only_market = market_order(Side::kBuy, units(1));
  post_only_market.post_only = true;
  const std::vector<Row> rows = {
      {"qty zero", market_order(Side::kBuy, Qty{})},
      {"qty negative", market_order(Side::kBuy, milli(-10))},
      {"qty off the lot grid (1.005, lot 0.010)", market_order(Side::kBuy, milli(1'005))},
      {"limit off the tick grid (100.01, tick 0.05)", test::limit_order(Side::kBuy, units(1), cents(10001))},
      {"limit price zero", test::limit_order(Side::kBuy, units(1), cents(0))},
      {"limit price negative", test::limit_order(Side::kBuy, units(1), cents(-10000))},
      {"post-only market order", post_only_market},
      {"intent for another instrument", market_order(Side::kBuy, units(1), "o-1", 9)},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.name);
    RiskGuard guard = make_guard();
    expect_result(guard.check(r.intent, kInst, test::flat_account(usd(100'000)), kPrice), Verdict::kRejected, Qty{},
                  ReasonCode::kInvalidOrder);
  }
}

TEST(RiskGuardInvalidOrder, NoReferencePriceIsNoMarketData) {
  RiskGuard guard = make_guard();
  expect_result(check_buy(guard, test::flat_account(usd(100'000)), units(1), Price{}), Verdict::kRejected, Qty{},
                ReasonCode::kNoMarketData);
}

TEST(RiskGuardMinNotional, TenUsdAtJustBelowJustAbove) {
  // 0.100 × 100.00 = 10.00 USD = the minimum.
  run_table({{"below: 0.090", milli(90), Verdict::kRejected, Qty{}, ReasonCode::kBelowMinNotional},
             {"at: 0.100", milli(100), Verdict::kApproved, milli(100), ReasonCode::kNone},
             {"above: 0.110", milli(110), Verdict::kApproved, milli(110), ReasonCode::kNone}},
            test::flat_account(usd(100'000)), Side::kBuy);
}

TEST(RiskGuardMinNotional, ReductionBelowTheMinimumRejectsAsBelowMinNotional) {
  // Open buys of 19.950 leave 0.050 units (5 USD) under the position limit: below 10 USD.
  // The minimum is what rejects; the position cut stays in the mask.
  AccountState a = test::flat_account(usd(100'000));
  a.instrument = {Qty{}, milli(19'950), Qty{}};
  RiskGuard guard = make_guard();
  const RiskCheck c = check_buy(guard, a, units(1));
  expect_result(c, Verdict::kRejected, Qty{}, ReasonCode::kBelowMinNotional);
  EXPECT_TRUE(has_reason(c, ReasonCode::kPositionLimit));
}

// --- Validation order ----------------------------------------------------------------------

TEST(RiskGuardValidationOrder, BalanceIsReportedBeforePositionSize) {
  // Free cash 1,501.50 buys 15 units with fee (1,500 + 1.50); open buys of 10 leave 10 under
  // the position limit. Both cut a buy of 30: balance (step 3) is reported, 10 approved.
  AccountState a = test::flat_account(usd(100'000));
  a.cash = Money::from_raw(150'150'000'000);
  a.instrument = {Qty{}, units(10), Qty{}};
  RiskGuard guard = make_guard();
  const RiskCheck c = check_buy(guard, a, units(30));
  expect_result(c, Verdict::kReduced, units(10), ReasonCode::kInsufficientBalance);
  EXPECT_TRUE(has_reason(c, ReasonCode::kPositionLimit));
}

TEST(RiskGuardValidationOrder, PositionSizeIsReportedBeforeExposure) {
  // Position limit 20 units; 18,500 elsewhere leaves exposure room for 15.
  AccountState a = test::flat_account(usd(100'000));
  a.gross_exposure = usd(18'500);
  RiskGuard guard = make_guard();
  const RiskCheck c = check_buy(guard, a, units(30));
  expect_result(c, Verdict::kReduced, units(15), ReasonCode::kPositionLimit);
  EXPECT_TRUE(has_reason(c, ReasonCode::kExposureLimit));
}

TEST(RiskGuardValidationOrder, LeverageIsReportedBeforeBalance) {
  AccountState a = test::flat_account(usd(100'000));
  a.cash = Money{};
  RiskGuard guard = make_guard();
  const RiskCheck c = check_buy(guard, a, milli(10'000'010));
  expect_result(c, Verdict::kRejected, Qty{}, ReasonCode::kLeverageCeiling);
  EXPECT_FALSE(has_reason(c, ReasonCode::kInsufficientBalance));  // balance never ran
}

TEST(RiskGuardValidationOrder, KillSwitchIsReportedBeforeLeverageAndDoesNotEscalate) {
  RiskGuard guard = make_guard();
  guard.kill();
  const RiskCheck c = check_buy(guard, test::flat_account(usd(100'000)), milli(10'000'010));
  expect_result(c, Verdict::kRejected, Qty{}, ReasonCode::kKillSwitch);
  EXPECT_EQ(guard.state(), TradingState::kKilled);  // the leverage step never ran
}

TEST(RiskGuardValidationOrder, LockdownIsReportedFirst) {
  RiskGuard guard = make_guard();
  guard.lockdown();
  AccountState a = test::flat_account(usd(100'000));
  a.cash = Money{};
  expect_result(check_buy(guard, a, units(30)), Verdict::kRejected, Qty{}, ReasonCode::kLockdown);
}

TEST(RiskGuardValidationOrder, EmergencyStopRejectionIsReportedOverAnEarlierCut) {
  // Equity 90,000 (a 10% loss from 100,000): position limit 1,800 = 18 units cuts a buy of 30
  // (step 4), then the emergency stop (step 6) rejects it. The rejecting step is reported; the
  // mask shows both.
  AccountState a = test::flat_account(usd(100'000));
  a.equity = usd(90'000);
  RiskGuard guard = make_guard();
  const RiskCheck c = check_buy(guard, a, units(30));
  expect_result(c, Verdict::kRejected, Qty{}, ReasonCode::kEmergencyStop);
  EXPECT_TRUE(has_reason(c, ReasonCode::kPositionLimit));
}

TEST(RiskGuardValidationOrder, InvalidOrderIsReportedEvenUnderLockdown) {
  RiskGuard guard = make_guard();
  guard.lockdown();
  expect_result(check_buy(guard, test::flat_account(usd(100'000)), milli(1'005)), Verdict::kRejected, Qty{},
                ReasonCode::kInvalidOrder);
}

}  // namespace
}  // namespace cst
