// SimVenue and the account: a spot account cannot buy beyond its cash or sell what it does not
// hold at fill time; cancels end working orders; reports reach the listener one at a time and
// in order, even when the listener sends new orders from inside on_execution.
//
// Units (engine_fixtures.hpp): price raw 10'000 = 100.00, qty raw 1'000 = 1.000, Money raw 1e-8;
// taker fee 10 bps.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "cst/venues/sim_venue.hpp"
#include "support/engine_fixtures.hpp"
#include "support/engine_venue_rig.hpp"

namespace cst {
namespace {

using namespace testing_support;

const Bar kBar0 = minute_bar(0, 10'000, 10'100, 9'900, 10'000);

struct CashCase {
  std::int64_t cash_raw;
  bool filled;
};

TEST(SimVenueAccount, BuyNeedsCashForNotionalPlusFeeAtFillTime) {
  // Buy 1.000 filled at the next open 100.00: notional 100.00 + 10 bps fee 0.10 = 100.10.
  const CashCase cases[] = {
      {100 * kMoneyUnit, false},              // 100.00: short of the fee
      {100 * kMoneyUnit + 9'999'999, false},  // 100.09999999: one unit short
      {100 * kMoneyUnit + 10'000'000, true},  // 100.10: exactly enough
  };
  for (const CashCase& c : cases) {
    SCOPED_TRACE("cash raw " + std::to_string(c.cash_raw));
    VenueRig rig(SimVenueConfig{}, test_instrument(), money(c.cash_raw));
    rig.bar(kBar0);
    const ClientOrderId id = rig.market(Side::kBuy, qty(1'000));
    rig.open(minute_bar(1, 10'000, 10'100, 9'900, 10'000));
    ASSERT_EQ(rig.reports().size(), 2u);
    const ExecutionReport& r = rig.reports()[1];
    EXPECT_EQ(r.client_order_id, id);
    if (c.filled) {
      EXPECT_EQ(r.kind, ExecKind::kFilled);
      EXPECT_EQ(rig.portfolio().cash(), Money{});
    } else {
      EXPECT_EQ(r.kind, ExecKind::kRejected);
      EXPECT_EQ(r.reason_view(), "insufficient_funds_at_fill");
      EXPECT_EQ(rig.portfolio().cash(), money(c.cash_raw));  // untouched
    }
    EXPECT_EQ(rig.venue().working_orders(), 0u);  // a rejected order does not linger
  }
}

TEST(SimVenueAccount, CashIsCheckedAtTheFillPriceNotTheDecisionPrice) {
  // 100.10 covers 1.000 at the 100.00 close, but the next bar gaps up to 101.00.
  VenueRig rig(SimVenueConfig{}, test_instrument(), money(100 * kMoneyUnit + 10'000'000));
  rig.bar(kBar0);
  rig.market(Side::kBuy, qty(1'000));
  rig.open(minute_bar(1, 10'100, 10'200, 10'050, 10'150));
  ASSERT_EQ(rig.reports().size(), 2u);
  EXPECT_EQ(rig.reports()[1].kind, ExecKind::kRejected);
}

TEST(SimVenueAccount, SpotSellNeedsTheHoldings) {
  {
    SCOPED_TRACE("no holdings, spot: rejected");
    VenueRig rig;
    rig.bar(kBar0);
    rig.market(Side::kSell, qty(1'000));
    rig.open(minute_bar(1, 10'000, 10'100, 9'900, 10'000));
    ASSERT_EQ(rig.reports().size(), 2u);
    EXPECT_EQ(rig.reports()[1].kind, ExecKind::kRejected);
    EXPECT_EQ(rig.reports()[1].reason_view(), "insufficient_position_at_fill");
  }
  {
    SCOPED_TRACE("holding 1.000, selling 1.001: rejected; selling 1.000: filled");
    VenueRig rig;
    rig.bar(kBar0);
    rig.market(Side::kBuy, qty(1'000));
    rig.bar(minute_bar(1, 10'000, 10'100, 9'900, 10'000));
    rig.market(Side::kSell, qty(1'001));
    rig.bar(minute_bar(2, 10'000, 10'100, 9'900, 10'000));
    rig.market(Side::kSell, qty(1'000));
    rig.bar(minute_bar(3, 10'000, 10'100, 9'900, 10'000));
    const auto& r = rig.reports();
    ASSERT_EQ(r.size(), 6u);  // buy: acc, fill; sell 1.001: acc, reject; sell 1.000: acc, fill
    EXPECT_EQ(r[3].kind, ExecKind::kRejected);
    EXPECT_EQ(r[5].kind, ExecKind::kFilled);
    EXPECT_EQ(rig.portfolio().position(rig.instrument().id).qty, Qty{});
  }
  {
    SCOPED_TRACE("allow_short: a sell without holdings fills");
    SimVenueConfig config;
    config.allow_short = true;
    VenueRig rig(config);
    rig.bar(kBar0);
    rig.market(Side::kSell, qty(1'000));
    rig.open(minute_bar(1, 10'000, 10'100, 9'900, 10'000));
    ASSERT_EQ(rig.fills().size(), 1u);
    EXPECT_EQ(rig.portfolio().position(rig.instrument().id).qty, qty(-1'000));
  }
}

TEST(SimVenueAccount, SecondBuyOnTheSameBarSeesTheCashTheFirstOneSpent) {
  // Cash 100.00. Two market buys of 1.000 both fill at the next open 60.00; each costs
  // 60.00 + 0.06 fee = 60.06, which the account can pay once (60.06 <= 100.00) but not twice
  // (120.12 > 100.00). The second must be rejected even though both match on the same bar.
  VenueRig rig(SimVenueConfig{}, test_instrument(), money(100 * kMoneyUnit));
  rig.bar(kBar0);
  const ClientOrderId first = rig.market(Side::kBuy, qty(1'000));
  const ClientOrderId second = rig.market(Side::kBuy, qty(1'000));
  rig.open(minute_bar(1, 6'000, 6'100, 5'900, 6'000));
  const auto& r = rig.reports();
  ASSERT_EQ(r.size(), 4u);
  expect_reports(r, 2, {{first, ExecKind::kFilled}, {second, ExecKind::kRejected}});
  // 100.00 - 60.06 = 39.94: cash never goes negative.
  EXPECT_EQ(rig.portfolio().cash(), money(39 * kMoneyUnit + 94'000'000));
}

TEST(SimVenueAccount, SellOnTheSameBarCanUseABuyFilledBeforeIt) {
  // Both orders match at bar 1's open, the buy first: the sell may use the bought holdings.
  VenueRig rig;
  rig.bar(kBar0);
  rig.market(Side::kBuy, qty(1'000));
  rig.market(Side::kSell, qty(1'000));
  rig.open(minute_bar(1, 10'000, 10'100, 9'900, 10'000));
  const auto fills = rig.fills();
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(rig.portfolio().position(rig.instrument().id).qty, Qty{});
}

TEST(SimVenueAccount, PartlyFilledOrderThatRunsOutOfCashIsCancelled) {
  // Partial fills of half the remainder. Cash 60.00; buy 1.000 at opens of 100.00:
  //   bar 1: 0.500 x 100.00 = 50.00 + 0.05 fee = 50.05 -> filled, 9.95 left
  //   bar 2: 0.250 x 100.00 = 25.00 + 0.025 fee      -> cannot pay: the rest is cancelled
  // (not rejected: part of the order was already filled).
  SimVenueConfig config;
  config.model.partial_probability = 1.0;
  config.model.partial_ratio = 0.5;
  VenueRig rig(config, test_instrument(), money(60 * kMoneyUnit));
  rig.bar(kBar0);
  rig.market(Side::kBuy, qty(1'000));
  rig.bar(minute_bar(1, 10'000, 10'100, 9'900, 10'000));
  rig.bar(minute_bar(2, 10'000, 10'100, 9'900, 10'000));
  const auto& r = rig.reports();
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].kind, ExecKind::kFilled);
  EXPECT_EQ(r[1].qty, qty(500));
  EXPECT_EQ(r[2].kind, ExecKind::kCancelled);
  EXPECT_EQ(r[2].reason_view(), "insufficient_funds_at_fill");
  EXPECT_EQ(rig.venue().working_orders(), 0u);
  EXPECT_EQ(rig.portfolio().cash(), money(9 * kMoneyUnit + 95'000'000));
}

TEST(SimVenueCancel, CancelRemovesAWorkingOrderAndReportsCancelled) {
  VenueRig rig;
  rig.bar(kBar0);                                                         // close 100.00
  const ClientOrderId id = rig.limit(Side::kBuy, qty(1'000), px(9'000));  // rests at 90.00
  ASSERT_EQ(rig.venue().working_orders(), 1u);
  Status s = rig.venue().cancel(rig.gateway().cancel(rig.instrument(), id));
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(rig.reports().size(), 2u);
  EXPECT_EQ(rig.reports()[1].kind, ExecKind::kCancelled);
  EXPECT_EQ(rig.reports()[1].client_order_id, id);
  EXPECT_EQ(rig.reports()[1].reason_view(), "cancel_request");
  EXPECT_EQ(rig.venue().working_orders(), 0u);
  // A bar that would have filled it (low 80.00 < 90.00) fills nothing.
  rig.bar(minute_bar(1, 8'500, 8'600, 8'000, 8'500));
  EXPECT_TRUE(rig.fills().empty());
}

TEST(SimVenueCancel, CancelOfAnUnknownOrEndedOrderIsNotFound) {
  VenueRig rig;
  rig.bar(kBar0);
  const ClientOrderId id = rig.market(Side::kBuy, qty(1'000));
  rig.bar(minute_bar(1, 10'000, 10'100, 9'900, 10'000));  // filled: no longer working
  Status s = rig.venue().cancel(rig.gateway().cancel(rig.instrument(), id));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(rig.reports().size(), 2u);  // no cancel report
}

TEST(SimVenueCancel, CancelLeavesOtherOrdersWorking) {
  VenueRig rig;
  rig.bar(kBar0);
  const ClientOrderId a = rig.limit(Side::kBuy, qty(1'000), px(9'000));
  const ClientOrderId b = rig.limit(Side::kBuy, qty(2'000), px(9'500));
  ASSERT_TRUE(rig.venue().cancel(rig.gateway().cancel(rig.instrument(), a)).ok());
  rig.bar(minute_bar(1, 9'600, 9'700, 9'400, 9'500));  // trades through 95.00, not 90.00
  const auto fills = rig.fills();
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].client_order_id, b);
  EXPECT_EQ(fills[0].price, px(9'500));
}

TEST(SimVenueReports, DeliveredInOrderWhenTheListenerSendsFromInsideOnExecution) {
  // Close mode: an order fills inside send(). The listener answers A's fill by sending B, whose
  // reports are produced while A's fill is still being delivered. They must wait their turn:
  // A accepted, A filled, B accepted, B filled, and on_execution is never re-entered.
  SimVenueConfig config;
  config.timing = FillTiming::kThisClose;
  VenueRig rig(config);
  rig.bar(kBar0);
  std::optional<ClientOrderId> b;
  rig.listener().hook = [&](const ExecutionReport& r) {
    if (r.kind == ExecKind::kFilled && !b) b = rig.market(Side::kBuy, qty(2'000));
  };
  const ClientOrderId a = rig.market(Side::kBuy, qty(1'000));
  ASSERT_TRUE(b.has_value());
  const auto& r = rig.reports();
  ASSERT_EQ(r.size(), 4u);
  expect_reports(
      r, 0, {{a, ExecKind::kAccepted}, {a, ExecKind::kFilled}, {*b, ExecKind::kAccepted}, {*b, ExecKind::kFilled}});
  EXPECT_EQ(r[3].qty, qty(2'000));
  EXPECT_EQ(rig.listener().max_depth(), 1);
}

TEST(SimVenueReports, OrderSentFromAFillAtTheOpenQueuesBehindThatBarsOtherFills) {
  // Next-open mode: A and C both fill at bar 1's open. The listener sends B on A's fill; B's
  // acknowledgement comes after C's fill (already queued), and B fills at bar 2's open.
  VenueRig rig;
  rig.bar(kBar0);
  std::optional<ClientOrderId> b;
  const ClientOrderId a = rig.market(Side::kBuy, qty(1'000));
  const ClientOrderId c = rig.market(Side::kBuy, qty(3'000));
  rig.listener().hook = [&](const ExecutionReport& r) {
    if (r.kind == ExecKind::kFilled && r.client_order_id == a) b = rig.market(Side::kBuy, qty(2'000));
  };
  rig.bar(minute_bar(1, 10'010, 10'100, 9'900, 10'020));
  ASSERT_TRUE(b.has_value());
  const auto& r = rig.reports();
  ASSERT_EQ(r.size(), 5u);
  expect_reports(r, 2, {{a, ExecKind::kFilled}, {c, ExecKind::kFilled}, {*b, ExecKind::kAccepted}});
  EXPECT_EQ(rig.listener().max_depth(), 1);
  rig.bar(minute_bar(2, 10'030, 10'100, 9'900, 10'020));
  ASSERT_EQ(r.size(), 6u);
  expect_reports(r, 5, {{*b, ExecKind::kFilled}});
  EXPECT_EQ(r[5].price, px(10'030));
}

TEST(SimVenueReports, CloseModeOrderSentDuringABarsOpenNeverFillsAtThePreviousClose) {
  // Close mode. A resting buy limit at 99.00 fills at bar 1's gapped open 98.50. The listener
  // answers by sending market order B while bar 1 is still forming. B must not fill at bar 0's
  // close (100.00, a price from the past, stamped with bar 1's time); the first close it can
  // get is bar 1's: 99.20 at bar 1's close time.
  SimVenueConfig config;
  config.timing = FillTiming::kThisClose;
  VenueRig rig(config);
  rig.bar(kBar0);  // close 100.00
  const ClientOrderId a = rig.limit(Side::kBuy, qty(1'000), px(9'900));
  std::optional<ClientOrderId> b;
  rig.listener().hook = [&](const ExecutionReport& r) {
    if (r.kind == ExecKind::kFilled && r.client_order_id == a) b = rig.market(Side::kBuy, qty(1'000));
  };
  const Bar bar1 = minute_bar(1, 9'850, 9'950, 9'800, 9'920);
  rig.open(bar1);
  ASSERT_TRUE(b.has_value());
  for (const auto& f : rig.fills()) EXPECT_NE(f.client_order_id, *b) << "filled before its bar closed";
  rig.close(bar1);
  const auto fills = rig.fills();
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(fills[0].price, px(9'850));
  EXPECT_EQ(fills[1].client_order_id, *b);
  EXPECT_EQ(fills[1].price, px(9'920));
  EXPECT_EQ(fills[1].time, bar1.time + kMinute);
}

}  // namespace
}  // namespace cst
