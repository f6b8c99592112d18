// RiskGuard trading states: profiles per mode, loss limits evaluated by update(), what
// start_day() and resume() clear, and which orders pass the kill switch and lockdown.
//
// Moderate limits (DESIGN.md section 4): daily loss 2% of start-of-day equity, drawdown 10%
// from the equity peak, emergency stop at a 10% loss from start of day. Same units as
// risk_guard_limits_test.cpp: TEST-USD at 100.00, equity 100,000 USD.

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "cst/risk/risk_guard.hpp"
#include "cst/risk/risk_limits.hpp"
#include "support/risk_expectations.hpp"
#include "support/trading_fixtures.hpp"

namespace cst {
namespace {

using test::cents;
using test::expect_result;
using test::make_guard;
using test::market_order;
using test::units;
using test::usd;

const Instrument kInst = test::test_instrument();
const Price kPrice = cents(10000);
const Money kOneRaw = Money::from_raw(1);

AccountState account(Money start_of_day, Money peak, Money equity) {
  AccountState a = test::flat_account(equity);
  a.start_of_day_equity = start_of_day;
  a.equity_peak = peak;
  return a;
}

// One row of a loss-limit table: the equity reached, the event update() must report for it and
// the state it must leave a fresh guard in.
struct UpdateCase {
  std::string name;
  Money equity;
  RiskEvent event;
  TradingState state;
};

// Feeds each row's equity to a fresh moderate guard whose day started at `start_of_day` with the
// equity peak at `peak`.
void expect_updates(Money start_of_day, Money peak, const std::vector<UpdateCase>& rows) {
  for (const auto& r : rows) {
    SCOPED_TRACE(r.name);
    RiskGuard g = make_guard();
    EXPECT_EQ(g.update(account(start_of_day, peak, r.equity)), r.event);
    EXPECT_EQ(g.state(), r.state);
  }
}

// --- Profiles ------------------------------------------------------------------------------

TEST(RiskProfiles, ResearchIsRefusedInPaperAndLiveAndAcceptedInBacktest) {
  for (TradingMode mode : {TradingMode::kPaper, TradingMode::kLive}) {
    auto g = RiskGuard::create(RiskProfile::kResearch, mode);
    ASSERT_FALSE(g.ok()) << to_string(mode);
    EXPECT_EQ(g.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(g.error().message.find(std::string(to_string(mode))), std::string::npos);
  }
  auto backtest = RiskGuard::create(RiskProfile::kResearch, TradingMode::kBacktest);
  ASSERT_TRUE(backtest.ok());
  EXPECT_EQ(backtest->profile(), RiskProfile::kResearch);
}

TEST(RiskProfiles, OtherProfilesAreAcceptedInEveryMode) {
  for (RiskProfile p : {RiskProfile::kConservative, RiskProfile::kModerate, RiskProfile::kAggressive})
    for (TradingMode m : {TradingMode::kBacktest, TradingMode::kPaper, TradingMode::kLive})
      EXPECT_TRUE(RiskGuard::create(p, m).ok()) << to_string(p) << " in " << to_string(m);
}

TEST(RiskProfiles, ModerateIsThePredecessorsDefaults) {
  const RiskLimits m = limits_for(RiskProfile::kModerate);
  EXPECT_EQ(m.daily_loss_bp, 200);       // 2%
  EXPECT_EQ(m.max_drawdown_bp, 1000);    // 10%
  EXPECT_EQ(m.position_bp, 200);         // 2%
  EXPECT_EQ(m.exposure_bp, 2000);        // 20%
  EXPECT_EQ(m.leverage_x100, 1000);      // 10x
  EXPECT_EQ(m.emergency_loss_bp, 1000);  // 10%
}

TEST(RiskProfiles, NoProfileButResearchExceedsTheHardCeilings) {
  for (RiskProfile p : {RiskProfile::kConservative, RiskProfile::kModerate, RiskProfile::kAggressive}) {
    SCOPED_TRACE(std::string(to_string(p)));
    const RiskLimits l = limits_for(p);
    EXPECT_LE(l.daily_loss_bp, kHardCeilings.daily_loss_bp);
    EXPECT_LE(l.max_drawdown_bp, kHardCeilings.max_drawdown_bp);
    EXPECT_LE(l.position_bp, kHardCeilings.position_bp);
    EXPECT_LE(l.exposure_bp, kHardCeilings.exposure_bp);
    EXPECT_LE(l.leverage_x100, kHardCeilings.leverage_x100);
    EXPECT_LE(l.emergency_loss_bp, kHardCeilings.emergency_loss_bp);
  }
  // Research keeps the leverage ceiling itself.
  EXPECT_EQ(limits_for(RiskProfile::kResearch).leverage_x100, kHardCeilings.leverage_x100);
}

TEST(RiskProfiles, ProfilesScaleConservativeBelowModerateBelowAggressive) {
  const RiskLimits c = limits_for(RiskProfile::kConservative);
  const RiskLimits m = limits_for(RiskProfile::kModerate);
  const RiskLimits a = limits_for(RiskProfile::kAggressive);
  EXPECT_LT(c.position_bp, m.position_bp);
  EXPECT_LT(m.position_bp, a.position_bp);
  EXPECT_LT(c.daily_loss_bp, m.daily_loss_bp);
  EXPECT_LT(m.daily_loss_bp, a.daily_loss_bp);
  EXPECT_LT(c.exposure_bp, m.exposure_bp);
  EXPECT_LT(m.exposure_bp, a.exposure_bp);
}

TEST(RiskProfiles, NamesRoundTrip) {
  for (RiskProfile p :
       {RiskProfile::kConservative, RiskProfile::kModerate, RiskProfile::kAggressive, RiskProfile::kResearch})
    EXPECT_EQ(parse_risk_profile(to_string(p)), p);
  EXPECT_FALSE(parse_risk_profile("reckless").has_value());
  EXPECT_FALSE(parse_risk_profile("").has_value());
}

TEST(RiskProfiles, ResearchWidensPositionToTheLeverageCeiling) {
  // Research: position and exposure up to 10x equity. A margin sell of 5,000 units (500,000 USD,
  // 5x equity) passes; under moderate it asks for more than the position ceiling (100%) and is
  // refused, and one of 1,000 units (100%) is cut to 20.
  AccountState a = test::flat_account(usd(100'000));
  a.allow_short = true;
  RiskGuard research = make_guard(RiskProfile::kResearch);
  expect_result(research.check(market_order(Side::kSell, units(5'000)), kInst, a, kPrice), Verdict::kApproved,
                units(5'000), ReasonCode::kNone);
  RiskGuard moderate = make_guard();
  expect_result(moderate.check(market_order(Side::kSell, units(5'000)), kInst, a, kPrice), Verdict::kRejected, Qty{},
                ReasonCode::kPositionCeiling);
  RiskGuard moderate_at = make_guard();
  expect_result(moderate_at.check(market_order(Side::kSell, units(1'000)), kInst, a, kPrice), Verdict::kReduced,
                units(20), ReasonCode::kPositionLimit);
}

TEST(RiskProfiles, LimitsInForceCopyTheProfile) {
  const RiskGuard g = make_guard(RiskProfile::kAggressive, TradingMode::kPaper);
  const LimitsInForce l = g.limits_in_force();
  EXPECT_EQ(l.profile, static_cast<std::uint8_t>(RiskProfile::kAggressive));
  EXPECT_EQ(l.position_bp, 400);
  EXPECT_EQ(l.exposure_bp, 4000);
  EXPECT_EQ(l.leverage_x100, 1000);
  EXPECT_EQ(l.daily_loss_bp, 400);
  EXPECT_EQ(l.max_drawdown_bp, 2000);
}

// --- Loss limits via update() --------------------------------------------------------------

TEST(RiskGuardDailyLoss, TwoPercentLossKillsForTheDay) {
  // Start of day 100,000: 2% = 2,000 of loss, i.e. equity 98,000. Peak = start of day, so the
  // drawdown (10%) is far away.
  expect_updates(usd(100'000), usd(100'000),
                 {
                     {"loss just below", usd(98'000) + kOneRaw, RiskEvent::kNone, TradingState::kActive},
                     {"loss at", usd(98'000), RiskEvent::kDailyLossKill, TradingState::kKilledForDay},
                     {"loss just above", usd(98'000) - kOneRaw, RiskEvent::kDailyLossKill, TradingState::kKilledForDay},
                 });
}

TEST(RiskGuardDailyLoss, StartDayClearsTheDailyKill) {
  RiskGuard g = make_guard();
  const AccountState a = account(usd(100'000), usd(100'000), usd(98'000));
  ASSERT_EQ(g.update(a), RiskEvent::kDailyLossKill);
  expect_result(g.check(market_order(Side::kBuy, units(1)), kInst, a, kPrice), Verdict::kRejected, Qty{},
                ReasonCode::kKillSwitch);
  EXPECT_EQ(g.update(a), RiskEvent::kNone);  // reported once, not on every update
  g.start_day();
  EXPECT_EQ(g.state(), TradingState::kActive);
  // The new day starts from the current equity: no loss yet, orders pass.
  const AccountState next_day = account(usd(98'000), usd(100'000), usd(98'000));
  EXPECT_EQ(g.update(next_day), RiskEvent::kNone);
  expect_result(g.check(market_order(Side::kBuy, units(1)), kInst, next_day, kPrice), Verdict::kApproved, units(1),
                ReasonCode::kNone);
}

TEST(RiskGuardDrawdown, TenPercentFromPeakKillsUntilResume) {
  // Peak 120,000: 10% = 12,000, i.e. equity 108,000. Start of day 108,500 keeps the day's loss
  // (at most ~500) under the daily 2% (2,170) and the emergency 10%.
  expect_updates(usd(108'500), usd(120'000),
                 {
                     {"drawdown just below", usd(108'000) + kOneRaw, RiskEvent::kNone, TradingState::kActive},
                     {"drawdown at", usd(108'000), RiskEvent::kDrawdownKill, TradingState::kKilled},
                     {"drawdown just above", usd(108'000) - kOneRaw, RiskEvent::kDrawdownKill, TradingState::kKilled},
                 });
}

TEST(RiskGuardDrawdown, StartDayDoesNotClearItResumeDoes) {
  RiskGuard g = make_guard();
  ASSERT_EQ(g.update(account(usd(108'500), usd(120'000), usd(108'000))), RiskEvent::kDrawdownKill);
  g.start_day();
  EXPECT_EQ(g.state(), TradingState::kKilled);
  g.resume();
  EXPECT_EQ(g.state(), TradingState::kActive);
}

TEST(RiskGuardDrawdown, EscalatesADailyKill) {
  // Start of day 115,000, peak 120,000. Equity 112,000: day loss 3,000 ≥ 2% (2,300), drawdown
  // 8,000 < 10% (12,000) → killed for the day. Equity 108,000: drawdown 12,000 → escalates to
  // a kill that start_day() keeps (day loss 7,000 < the 11,500 emergency threshold).
  RiskGuard g = make_guard();
  ASSERT_EQ(g.update(account(usd(115'000), usd(120'000), usd(112'000))), RiskEvent::kDailyLossKill);
  ASSERT_EQ(g.update(account(usd(115'000), usd(120'000), usd(108'000))), RiskEvent::kDrawdownKill);
  g.start_day();
  EXPECT_EQ(g.state(), TradingState::kKilled);
}

TEST(RiskGuardEmergencyStop, TenPercentDayLossLocksDown) {
  // Start of day = peak = 100,000: emergency at 10,000 of loss, which also breaches the daily
  // (2,000) and drawdown (10,000) limits; the emergency wins. Just below it the daily kill fires.
  expect_updates(usd(100'000), usd(100'000),
                 {
                     {"loss just below", usd(90'000) + kOneRaw, RiskEvent::kDailyLossKill, TradingState::kKilledForDay},
                     {"loss at", usd(90'000), RiskEvent::kEmergencyLockdown, TradingState::kLockdown},
                     {"loss just above", usd(90'000) - kOneRaw, RiskEvent::kEmergencyLockdown, TradingState::kLockdown},
                 });
  RiskGuard g = make_guard();
  ASSERT_EQ(g.update(account(usd(100'000), usd(100'000), usd(90'000))), RiskEvent::kEmergencyLockdown);
  EXPECT_EQ(g.state(), TradingState::kLockdown);
  g.start_day();
  EXPECT_EQ(g.state(), TradingState::kLockdown);
  EXPECT_EQ(g.update(account(usd(100'000), usd(100'000), usd(80'000))), RiskEvent::kNone);
  g.resume();
  EXPECT_EQ(g.state(), TradingState::kActive);
}

TEST(RiskGuardEmergencyStop, EscalatesAKill) {
  RiskGuard g = make_guard();
  g.kill();
  EXPECT_EQ(g.update(account(usd(100'000), usd(100'000), usd(90'000))), RiskEvent::kEmergencyLockdown);
  EXPECT_EQ(g.state(), TradingState::kLockdown);
}

TEST(RiskGuardLossLimits, ResearchProfileHasNoDailyOrDrawdownKill) {
  RiskGuard g = make_guard(RiskProfile::kResearch);
  EXPECT_EQ(g.update(account(usd(100'000), usd(100'000), usd(50'000))), RiskEvent::kNone);
  EXPECT_EQ(g.state(), TradingState::kActive);
}

// --- Kill switch and lockdown --------------------------------------------------------------

struct SafeState {
  std::string name;
  void (*enter)(RiskGuard&);
  ReasonCode reason;
};
void PrintTo(const SafeState& s, std::ostream* os) { *os << s.name; }

class RiskGuardSafeStates : public ::testing::TestWithParam<SafeState> {
 protected:
  RiskGuard guard_in_state() {
    RiskGuard g = make_guard();
    GetParam().enter(g);
    return g;
  }
  static AccountState long_ten() {
    AccountState a = test::flat_account(usd(100'000));
    a.instrument = {units(10), Qty{}, Qty{}};
    return a;
  }
};

TEST_P(RiskGuardSafeStates, BlockRiskIncreasingOrders) {
  RiskGuard g = guard_in_state();
  expect_result(g.check(market_order(Side::kBuy, units(1)), kInst, test::flat_account(usd(100'000)), kPrice),
                Verdict::kRejected, Qty{}, GetParam().reason);
  // Adding to a long is risk-increasing too.
  expect_result(g.check(market_order(Side::kBuy, units(1)), kInst, long_ten(), kPrice), Verdict::kRejected, Qty{},
                GetParam().reason);
}

TEST_P(RiskGuardSafeStates, AllowClosingPartOrAllOfALong) {
  RiskGuard g = guard_in_state();
  for (Qty q : {units(5), units(10)}) {
    const RiskCheck c = g.check(market_order(Side::kSell, q), kInst, long_ten(), kPrice);
    expect_result(c, Verdict::kApproved, q, ReasonCode::kNone);
    EXPECT_TRUE(c.risk_reducing);
  }
}

TEST_P(RiskGuardSafeStates, AllowCoveringAShort) {
  RiskGuard g = guard_in_state();
  AccountState a = test::flat_account(usd(100'000));
  a.allow_short = true;
  a.instrument = {units(-10), Qty{}, Qty{}};
  expect_result(g.check(market_order(Side::kBuy, units(4)), kInst, a, kPrice), Verdict::kApproved, units(4),
                ReasonCode::kNone);
}

TEST_P(RiskGuardSafeStates, BlockAFlipThroughZero) {
  RiskGuard g = guard_in_state();
  AccountState a = long_ten();
  a.allow_short = true;
  expect_result(g.check(market_order(Side::kSell, units(11)), kInst, a, kPrice), Verdict::kRejected, Qty{},
                GetParam().reason);
}

TEST_P(RiskGuardSafeStates, ReduceOnlyIsCutToThePositionAndPasses) {
  RiskGuard g = guard_in_state();
  OrderIntent o = market_order(Side::kSell, units(15));
  o.reduce_only = true;
  const RiskCheck c = g.check(o, kInst, long_ten(), kPrice);
  expect_result(c, Verdict::kReduced, units(10), ReasonCode::kInsufficientPosition);
  EXPECT_TRUE(c.risk_reducing);
}

TEST_P(RiskGuardSafeStates, OpenSellsCountAgainstWhatMayBeClosed) {
  // Long 10 with 8 already offered: only 2 more close risk; a sell of 3 would open a short.
  RiskGuard g = guard_in_state();
  AccountState a = long_ten();
  a.instrument.open_sell = units(8);
  a.allow_short = true;
  expect_result(g.check(market_order(Side::kSell, units(2)), kInst, a, kPrice), Verdict::kApproved, units(2),
                ReasonCode::kNone);
  expect_result(g.check(market_order(Side::kSell, units(3)), kInst, a, kPrice), Verdict::kRejected, Qty{},
                GetParam().reason);
}

INSTANTIATE_TEST_SUITE_P(
    States, RiskGuardSafeStates,
    ::testing::Values(
        SafeState{"kill", [](RiskGuard& g) { g.kill(); }, ReasonCode::kKillSwitch},
        SafeState{"daily_kill", [](RiskGuard& g) { (void)g.update(account(usd(100'000), usd(100'000), usd(97'000))); },
                  ReasonCode::kKillSwitch},
        SafeState{"lockdown", [](RiskGuard& g) { g.lockdown(); }, ReasonCode::kLockdown},
        SafeState{"leverage_lockdown",
                  [](RiskGuard& g) {
                    (void)g.check(market_order(Side::kBuy, units(20'000)), kInst, test::flat_account(usd(100'000)),
                                  kPrice);
                  },
                  ReasonCode::kLockdown},
        SafeState{"restored_lockdown", [](RiskGuard& g) { g.restore(TradingState::kLockdown); }, ReasonCode::kLockdown},
        SafeState{"restored_kill", [](RiskGuard& g) { g.restore(TradingState::kKilled); }, ReasonCode::kKillSwitch},
        SafeState{"safe_mode", [](RiskGuard& g) { g.set_safe_mode(true); }, ReasonCode::kSafeMode},
        SafeState{"venue_unavailable", [](RiskGuard& g) { g.set_venue_unavailable(true); },
                  ReasonCode::kVenueUnavailable}),
    [](const ::testing::TestParamInfo<SafeState>& param_info) { return param_info.param.name; });

TEST(RiskGuardReduceOnly, WithNothingToReduceIsRejected) {
  RiskGuard g = make_guard();
  OrderIntent o = market_order(Side::kSell, units(1));
  o.reduce_only = true;
  expect_result(g.check(o, kInst, test::flat_account(usd(100'000)), kPrice), Verdict::kRejected, Qty{},
                ReasonCode::kInsufficientPosition);
}

TEST(RiskGuardKill, ManualKillDoesNotWeakenALockdown) {
  RiskGuard g = make_guard();
  g.lockdown();
  g.kill();
  EXPECT_EQ(g.state(), TradingState::kLockdown);
}

TEST(RiskGuardKill, ResumeClearsAManualKill) {
  RiskGuard g = make_guard();
  g.kill();
  g.start_day();
  EXPECT_EQ(g.state(), TradingState::kKilled);
  g.resume();
  expect_result(g.check(market_order(Side::kBuy, units(1)), kInst, test::flat_account(usd(100'000)), kPrice),
                Verdict::kApproved, units(1), ReasonCode::kNone);
}

TEST(RiskGuardNames, StatesAndEventsHaveStableNames) {
  EXPECT_EQ(to_string(TradingState::kActive), "active");
  EXPECT_EQ(to_string(TradingState::kKilledForDay), "killed_for_day");
  EXPECT_EQ(to_string(TradingState::kKilled), "killed");
  EXPECT_EQ(to_string(TradingState::kLockdown), "lockdown");
  EXPECT_EQ(to_string(RiskEvent::kDailyLossKill), "daily_loss_kill");
  EXPECT_EQ(to_string(RiskEvent::kDrawdownKill), "drawdown_kill");
  EXPECT_EQ(to_string(RiskEvent::kEmergencyLockdown), "emergency_lockdown");
}

}  // namespace
}  // namespace cst
