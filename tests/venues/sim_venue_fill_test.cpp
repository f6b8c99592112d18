// SimVenue fill rules: when and at what price market and limit orders fill, that the venue sends
// exactly the approved quantity (invariant 2), and the fee charged on each fill.
//
// Units (engine_fixtures.hpp): price raw 10'050 = 100.50, qty raw 1'000 = 1.000, Money raw 1e-8.
// The test instrument charges maker 2 bps (200 ppm) and taker 10 bps (1000 ppm) unless a test
// says otherwise.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "cst/venues/sim_venue.hpp"
#include "support/engine_fixtures.hpp"
#include "support/engine_gateway_harness.hpp"
#include "support/engine_venue_rig.hpp"

namespace cst {
namespace {

using namespace testing_support;

// bar 0: O 100.00 H 102.00 L 99.00 C 101.00; bar 1: O 101.50 H 103.00 L 100.50 C 102.50.
const Bar kBar0 = minute_bar(0, 10'000, 10'200, 9'900, 10'100);
const Bar kBar1 = minute_bar(1, 10'150, 10'300, 10'050, 10'250);

TEST(SimVenueTiming, MarketOrderFillsAtTheNextBarsOpenInNextOpenMode) {
  VenueRig rig;  // default config: FillTiming::kNextOpen
  rig.bar(kBar0);
  const ClientOrderId id = rig.market(Side::kBuy, qty(1'000));
  // Decided at bar 0's close: only acknowledged, nothing filled yet.
  ASSERT_EQ(rig.reports().size(), 1u);
  EXPECT_EQ(rig.reports()[0].kind, ExecKind::kAccepted);
  EXPECT_EQ(rig.venue().working_orders(), 1u);

  rig.open(kBar1);
  const auto fills = rig.fills();
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].client_order_id, id);
  EXPECT_EQ(fills[0].price, px(10'150));  // bar 1's open, not bar 0's close 101.00
  EXPECT_EQ(fills[0].qty, qty(1'000));
  EXPECT_EQ(fills[0].time, kBar1.time);
  EXPECT_FALSE(fills[0].maker);
  EXPECT_EQ(rig.venue().working_orders(), 0u);
}

TEST(SimVenueTiming, MarketOrderFillsAtThisBarsCloseInThisCloseMode) {
  SimVenueConfig config;
  config.timing = FillTiming::kThisClose;
  VenueRig rig(config);
  rig.bar(kBar0);
  rig.market(Side::kBuy, qty(1'000));
  // Filled during send(), at bar 0's close 101.00, stamped with bar 0's close time.
  ASSERT_EQ(rig.reports().size(), 2u);
  EXPECT_EQ(rig.reports()[0].kind, ExecKind::kAccepted);
  EXPECT_EQ(rig.reports()[1].kind, ExecKind::kFilled);
  EXPECT_EQ(rig.reports()[1].price, px(10'100));
  EXPECT_EQ(rig.reports()[1].time, kBar0.time + kMinute);
  EXPECT_EQ(rig.venue().working_orders(), 0u);
  rig.bar(kBar1);
  EXPECT_EQ(rig.fills().size(), 1u);  // nothing more at bar 1
}

TEST(SimVenueTiming, OrderSentBeforeAnyBarFillsAtTheFirstOpenInEitherMode) {
  for (FillTiming timing : {FillTiming::kNextOpen, FillTiming::kThisClose}) {
    SimVenueConfig config;
    config.timing = timing;
    VenueRig rig(config);
    rig.market(Side::kBuy, qty(1'000));  // no bar yet: no close to fill at
    rig.open(kBar0);
    const auto fills = rig.fills();
    ASSERT_EQ(fills.size(), 1u);
    EXPECT_EQ(fills[0].price, px(10'000));
  }
}

// Invariant 2: the gateway may approve less than was asked; the venue sends exactly that.
TEST(SimVenueApproval, VenueFillsExactlyTheQuantityTheGatewayApproved) {
  // Profile moderate caps a position at 2% of equity: 2% of 10,000.00 = 200.00, which at the
  // reference price 100.00 is 2.000 units. Asking for 10.000 is reduced to 2.000.
  GatewayHarness moderate(RiskProfile::kModerate, money(10'000 * kMoneyUnit));
  VenueRig rig;
  GatewayOutcome out = moderate.decide(rig.instrument(), Side::kBuy, OrderType::kMarket, qty(10'000));
  ASSERT_TRUE(out.order.has_value());
  EXPECT_EQ(out.decision.verdict, Verdict::kReduced);
  EXPECT_EQ(out.decision.reason, ReasonCode::kPositionLimit);
  EXPECT_EQ(out.decision.requested_qty, qty(10'000));
  ASSERT_EQ(out.order->approved_qty(), qty(2'000));

  rig.bar(kBar0);
  rig.send(std::move(*out.order));
  rig.open(kBar1);
  const auto fills = rig.fills();
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].qty, qty(2'000));  // the approved 2.000, not the requested 10.000
  EXPECT_EQ(rig.portfolio().position(rig.instrument().id).qty, qty(2'000));
}

TEST(SimVenueApproval, LimitOrderRestsAtTheApprovedPrice) {
  VenueRig rig;
  rig.bar(kBar0);
  rig.limit(Side::kBuy, qty(1'000), px(9'987));  // 99.87
  // Bar: O 100.10 L 99.50: trades through 99.87, so the fill is at exactly 99.87.
  rig.open(minute_bar(1, 10'010, 10'050, 9'950, 10'000));
  const auto fills = rig.fills();
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].price, px(9'987));
}

// Limit buy at 100.00, resting (placed after a 101.00 close). One row per next bar.
struct LimitCase {
  const char* rule;
  Side side;
  std::int64_t open, high, low;
  std::optional<std::int64_t> fill_price;
};

TEST(SimVenueLimit, TradeThroughRuleForBuysAndSells) {
  const LimitCase cases[] = {
      // Buys at 100.00.
      {"buy: opens below the limit -> fills at the (better) open", Side::kBuy, 9'950, 10'020, 9'900, 9'950},
      {"buy: opens exactly at the limit -> fills at the open", Side::kBuy, 10'000, 10'020, 9'980, 10'000},
      {"buy: low strictly below the limit -> fills at the limit", Side::kBuy, 10'050, 10'080, 9'999, 10'000},
      {"buy: low touches the limit -> no fill (no trade-through)", Side::kBuy, 10'050, 10'080, 10'000, std::nullopt},
      {"buy: low stays above the limit -> no fill", Side::kBuy, 10'050, 10'080, 10'001, std::nullopt},
      // Sells at 100.00 (mirror).
      {"sell: opens above the limit -> fills at the open", Side::kSell, 10'050, 10'100, 9'980, 10'050},
      {"sell: opens exactly at the limit -> fills at the open", Side::kSell, 10'000, 10'020, 9'980, 10'000},
      {"sell: high strictly above the limit -> fills at the limit", Side::kSell, 9'950, 10'001, 9'900, 10'000},
      {"sell: high touches the limit -> no fill", Side::kSell, 9'950, 10'000, 9'900, std::nullopt},
      {"sell: high stays below the limit -> no fill", Side::kSell, 9'950, 9'999, 9'900, std::nullopt},
  };
  for (const LimitCase& c : cases) {
    SCOPED_TRACE(c.rule);
    SimVenueConfig config;
    config.allow_short = true;  // sells without holdings; the holdings rule is tested elsewhere
    VenueRig rig(config);
    // Previous close on the far side of the limit, so the order rests (not marketable).
    const std::int64_t prev_close = c.side == Side::kBuy ? 10'100 : 9'900;
    rig.bar(minute_bar(0, prev_close, prev_close + 10, prev_close - 10, prev_close));
    rig.limit(c.side, qty(1'000), px(10'000));
    const std::int64_t close = c.open;  // any close within the range
    rig.open(minute_bar(1, c.open, c.high, c.low, close));
    const auto fills = rig.fills();
    if (c.fill_price) {
      ASSERT_EQ(fills.size(), 1u);
      EXPECT_EQ(fills[0].price, px(*c.fill_price));
      EXPECT_EQ(fills[0].qty, qty(1'000));
      EXPECT_EQ(rig.venue().working_orders(), 0u);
    } else {
      EXPECT_TRUE(fills.empty());
      EXPECT_EQ(rig.venue().working_orders(), 1u);  // still working
    }
  }
}

TEST(SimVenueLimit, UnfilledLimitKeepsWorkingUntilABarTradesThrough) {
  VenueRig rig;
  rig.bar(kBar0);                                          // close 101.00
  rig.limit(Side::kBuy, qty(1'000), px(10'000));           // rests at 100.00
  rig.bar(minute_bar(1, 10'100, 10'150, 10'000, 10'050));  // low touches 100.00: no fill
  rig.bar(minute_bar(2, 10'050, 10'100, 10'020, 10'030));  // stays above: no fill
  EXPECT_TRUE(rig.fills().empty());
  rig.bar(minute_bar(3, 10'030, 10'040, 9'990, 10'000));  // low 99.90 < 100.00: fills at 100.00
  const auto fills = rig.fills();
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].price, px(10'000));
  EXPECT_EQ(fills[0].time, kT0 + Duration{3 * kMinute.ns});
}

TEST(SimVenueLimit, ThisCloseModeFillsAMarketableLimitAtTheClose) {
  SimVenueConfig config;
  config.timing = FillTiming::kThisClose;
  VenueRig rig(config);
  rig.bar(kBar0);                                 // close 101.00
  rig.limit(Side::kBuy, qty(1'000), px(10'200));  // 102.00 >= close: fills at 101.00 now
  const auto fills = rig.fills();
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].price, px(10'100));
  EXPECT_FALSE(fills[0].maker);
}

// Fees: taker for market orders and limits marketable on arrival; maker for resting limits.
TEST(SimVenueFees, MakerForRestingLimitsTakerOtherwise) {
  // A buy sent after kBar0 (close 101.00), then one bar opened: the fill's price, liquidity and fee.
  struct FeeCase {
    std::string name;
    std::optional<Price> limit;  // none: a market order
    Qty size;
    Bar next;
    Price price;
    bool maker;
    Money fee;
  };
  const FeeCase cases[] = {
      // Notional 100.00 x 1.000 = 100.00; maker 2 bps = 0.02 = Money raw 2,000,000.
      {"resting buy limit 100.00 (last close 101.00), trade-through fill at 100.00", px(10'000), qty(1'000),
       minute_bar(1, 10'050, 10'080, 9'990, 10'000), px(10'000), true, money(2'000'000)},
      // 99.00 x 2 bps = 0.0198 = raw 1,980,000.
      {"resting buy limit filled at a gapped open is still maker", px(10'000), qty(1'000),
       minute_bar(1, 9'900, 9'950, 9'850, 9'900), px(9'900), true, money(1'980'000)},
      // Opens 101.50 <= 102.00: fills at the open. 101.50 x 10 bps = 0.1015 = raw 10,150,000.
      {"buy limit 102.00 is marketable against the 101.00 close: taker", px(10'200), qty(1'000), kBar1, px(10'150),
       false, money(10'150'000)},
      // 101.50 x 2.000 = 203.00; 10 bps = 0.203 = raw 20,300,000.
      {"market order: taker", std::nullopt, qty(2'000), kBar1, px(10'150), false, money(20'300'000)},
  };
  for (const FeeCase& c : cases) {
    SCOPED_TRACE(c.name);
    VenueRig rig;
    rig.bar(kBar0);
    if (c.limit) {
      rig.limit(Side::kBuy, c.size, *c.limit);
    } else {
      rig.market(Side::kBuy, c.size);
    }
    rig.open(c.next);
    const auto fills = rig.fills();
    ASSERT_EQ(fills.size(), 1u);
    EXPECT_EQ(fills[0].price, c.price);
    EXPECT_EQ(fills[0].maker, c.maker);
    EXPECT_EQ(fills[0].fee, c.fee);
  }
}

TEST(SimVenueFees, FeeIsBpsOfNotionalRoundedUpToTheMoneyUnit) {
  // Taker 7.5 bps = 750 ppm. Buy 0.007 at 123.45: notional 0.86415 = raw 86,415,000.
  // Exact fee 86,415,000 x 750 / 1,000,000 = 64,811.25 raw -> rounded up to 64,812.
  VenueRig rig(SimVenueConfig{}, test_instrument(200, 750));
  rig.bar(kBar0);
  rig.market(Side::kBuy, qty(7));
  rig.open(minute_bar(1, 12'345, 12'400, 12'300, 12'350));
  const auto fills = rig.fills();
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].price, px(12'345));
  EXPECT_EQ(fills[0].fee, money(64'812));
  // The account pays notional + fee: 86,415,000 + 64,812 = 86,479,812.
  EXPECT_EQ(rig.portfolio().cash(), money(1'000'000 * kMoneyUnit - 86'479'812));
}

TEST(SimVenueFees, ZeroFeeRateChargesNothing) {
  VenueRig rig(SimVenueConfig{}, test_instrument(0, 0));
  rig.bar(kBar0);
  rig.market(Side::kBuy, qty(1'000));
  rig.open(kBar1);
  ASSERT_EQ(rig.fills().size(), 1u);
  EXPECT_EQ(rig.fills()[0].fee, Money{});
}

TEST(SimVenueSend, OrderForAnotherInstrumentIsRefused) {
  VenueRig rig;
  Instrument other = test_instrument();
  other.id = InstrumentId{1};
  other.symbol = "OTHER-USD";
  SendResult s = rig.venue().send(rig.gateway().market(other, Side::kBuy, qty(1'000)));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(rig.reports().empty());
  EXPECT_EQ(rig.venue().working_orders(), 0u);
}

TEST(SimVenueSend, AcceptedReportCarriesAVenueOrderId) {
  VenueRig rig;
  rig.bar(kBar0);
  rig.market(Side::kBuy, qty(1'000));
  rig.market(Side::kBuy, qty(1'000));
  ASSERT_EQ(rig.reports().size(), 2u);
  EXPECT_EQ(rig.reports()[0].venue_order_id.view(), "SIM-1");
  EXPECT_EQ(rig.reports()[1].venue_order_id.view(), "SIM-2");
}

}  // namespace
}  // namespace cst
