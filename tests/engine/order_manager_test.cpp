// OrderManager: open quantities and the cash held for open buys (what the RiskGuard counts as
// exposure and reserved balance) go back to zero exactly when orders end, however they fill.
#include "cst/engine/order_manager.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cst {
namespace {

// Price unit 1e-8, whole-unit quantities, taker fee 10 bps (1000 ppm). At price raw 1 a buy of
// q units has notional q (Money raw) and fee ceil(q x 1000 / 1e6) = 1 for q < 1000: the fee
// rounding makes the cost of a whole order differ from the sum of its parts.
Instrument tiny() {
  Instrument i;
  i.symbol = "TINY";
  i.price_decimals = 8;
  i.qty_decimals = 0;
  i.taker_fee = FeeRate{1000};
  return i;
}

Order make_order(const std::string& id, Side side, std::int64_t q) {
  OrderIntent intent;
  intent.client_order_id = *ClientOrderId::parse(id);
  intent.instrument = InstrumentId{0};
  intent.side = side;
  intent.qty = Qty::from_raw(q);
  return Order(intent, intent.qty, Price{}, Timestamp{});
}

TEST(OrderManager, ReservedCashReturnsToZeroAfterPartialReleases) {
  const Instrument inst = tiny();
  OrderManager om;
  Order& o = om.add(make_order("b-1", Side::kBuy, 3), Price::from_raw(1), inst);
  // 3 units: notional 3 + fee 1 = 4.
  EXPECT_EQ(om.reserved_cash(), Money::from_raw(4));
  EXPECT_EQ(om.open(inst.id).open_buy, Qty::from_raw(3));
  // Fills of 1, 1, 1. After each, the reservation is what the rest would cost:
  //   2 left: 2 + 1 = 3;  1 left: 1 + 1 = 2;  none left: 0.
  // (Releasing 1 + 1 = 2 per fill would leave 4 - 6 = -2 behind for ever.)
  const std::int64_t expected[] = {3, 2, 0};
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE("release " + std::to_string(i));
    om.release(o, Qty::from_raw(1), inst);
    EXPECT_EQ(om.reserved_cash(), Money::from_raw(expected[i]));
    EXPECT_EQ(om.open(inst.id).open_buy, Qty::from_raw(2 - i));
  }
}

TEST(OrderManager, ReleasingTheRestOfAnOrderReleasesAllItHeld) {
  const Instrument inst = tiny();
  OrderManager om;
  om.add(make_order("b-1", Side::kBuy, 5), Price::from_raw(1), inst);  // 5 + 1 = 6
  om.add(make_order("b-2", Side::kBuy, 2), Price::from_raw(1), inst);  // 2 + 1 = 3
  const Order& a = *om.find(*ClientOrderId::parse("b-1"));             // after the adds: add() may move orders
  EXPECT_EQ(om.reserved_cash(), Money::from_raw(9));
  om.release(a, Qty::from_raw(2), inst);  // 3 left: 3 + 1 = 4 held for a
  EXPECT_EQ(om.reserved_cash(), Money::from_raw(7));
  om.release(a, Qty::from_raw(3), inst);  // a cancelled with 3 open: nothing held for a
  EXPECT_EQ(om.reserved_cash(), Money::from_raw(3));
  EXPECT_EQ(om.open(inst.id).open_buy, Qty::from_raw(2));
}

TEST(OrderManager, SellsHoldNoCash) {
  const Instrument inst = tiny();
  OrderManager om;
  Order& s = om.add(make_order("s-1", Side::kSell, 4), Price::from_raw(1), inst);
  EXPECT_EQ(om.reserved_cash(), Money{});
  EXPECT_EQ(om.open(inst.id).open_sell, Qty::from_raw(4));
  om.release(s, Qty::from_raw(4), inst);
  EXPECT_EQ(om.open(inst.id).open_sell, Qty{});
  EXPECT_EQ(om.reserved_cash(), Money{});
}

TEST(OrderManager, FindsOrdersByClientIdAndCountsOpenOnes) {
  const Instrument inst = tiny();
  OrderManager om;
  om.add(make_order("b-1", Side::kBuy, 1), Price::from_raw(1), inst);
  om.add(make_order("b-2", Side::kBuy, 1), Price::from_raw(1), inst);
  EXPECT_EQ(om.open_orders(), 2u);
  ASSERT_NE(om.find(*ClientOrderId::parse("b-2")), nullptr);
  EXPECT_EQ(om.find(*ClientOrderId::parse("b-2"))->client_order_id().view(), "b-2");
  EXPECT_EQ(om.find(*ClientOrderId::parse("b-3")), nullptr);
  om.on_closed();
  EXPECT_EQ(om.open_orders(), 1u);
  EXPECT_EQ(om.open(InstrumentId{7}).open_buy, Qty{});  // unknown instrument: nothing open
}

}  // namespace
}  // namespace cst
