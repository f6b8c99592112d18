#include <gtest/gtest.h>

#include "cst/orders/order.hpp"
#include "support/trading_fixtures.hpp"

namespace cst {
namespace {

using test::cents;
using test::milli;

Order partly_filled() {
  OrderIntent intent = test::limit_order(Side::kBuy, milli(1000), cents(10000));
  Order o(intent, milli(1000), cents(10000), Timestamp{1});
  EXPECT_TRUE(o.submit(Timestamp{2}).ok());
  EXPECT_TRUE(o.accept(Timestamp{3}, *VenueOrderId::parse("V-1")).ok());
  EXPECT_TRUE(o.fill(Timestamp{4}, milli(300), cents(9995)).ok());
  EXPECT_TRUE(o.fill(Timestamp{5}, milli(200), cents(10000)).ok());
  return o;
}

TEST(OrderRestore, RoundTripKeepsStateFillsAndAveragePrice) {
  const Order o = partly_filled();
  auto r = Order::restore(o.snapshot());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status(), OrderStatus::kPartiallyFilled);
  EXPECT_EQ(r->filled_qty(), milli(500));
  EXPECT_EQ(r->remaining_qty(), milli(500));
  EXPECT_EQ(r->avg_fill_price(), o.avg_fill_price());
  EXPECT_EQ(r->venue_order_id().view(), "V-1");
  EXPECT_EQ(r->limit_price(), cents(10000));
  // The restored order goes on through the same state machine.
  EXPECT_TRUE(r->fill(Timestamp{6}, milli(500), cents(10000)).ok());
  EXPECT_EQ(r->status(), OrderStatus::kFilled);
  EXPECT_FALSE(r->accept(Timestamp{7}, *VenueOrderId::parse("V-2")).ok());
}

TEST(OrderRestore, RefusesInconsistentSnapshots) {
  const OrderSnapshot good = partly_filled().snapshot();
  auto refused = [](OrderSnapshot s) {
    auto r = Order::restore(s);
    EXPECT_FALSE(r.ok());
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::kCorruption);
      EXPECT_NE(r.error().message.find("o-1"), std::string::npos) << r.error().message;
    }
  };
  OrderSnapshot s = good;
  s.filled = milli(2000);
  refused(s);
  s = good;
  s.fill_value = 0;
  refused(s);
  s = good;
  s.status = OrderStatus::kFilled;
  refused(s);
  s = good;
  s.status = OrderStatus::kOpen;
  refused(s);
  s = good;
  s.filled = milli(1000);
  s.status = OrderStatus::kPartiallyFilled;
  refused(s);
}

}  // namespace
}  // namespace cst
