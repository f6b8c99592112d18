// Order: every change goes through the state machine; an illegal or invalid change returns an
// error and leaves the order exactly as it was (status, fills, average price, events).
#include "cst/orders/order.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace cst {
namespace {

Timestamp at(std::int64_t s) { return Timestamp::from_seconds(s); }

OrderIntent make_intent() {
  OrderIntent intent;
  intent.client_order_id = *ClientOrderId::parse("strat-1");
  intent.account = AccountId{7};
  intent.instrument = InstrumentId{3};
  intent.source = *SourceId::parse("strat");
  intent.side = Side::kSell;
  intent.type = OrderType::kLimit;
  intent.qty = Qty::from_raw(999);            // requested; the order keeps the approved qty
  intent.limit_price = Price::from_raw(888);  // requested; the order keeps the approved price
  intent.post_only = true;
  intent.reduce_only = true;
  intent.time = at(1);
  return intent;
}

// An order for 100 units at 50, created at t=1.
Order make_order(std::int64_t qty = 100) {
  return Order(make_intent(), Qty::from_raw(qty), Price::from_raw(50), at(1));
}

Order make_open_order(std::int64_t qty = 100) {
  Order o = make_order(qty);
  EXPECT_TRUE(o.submit(at(2)).ok());
  EXPECT_TRUE(o.accept(at(3), *VenueOrderId::parse("V-1")).ok());
  return o;
}

// Everything observable about an order, to prove a failed call changed nothing.
struct Snapshot {
  OrderStatus status;
  std::int64_t filled;
  std::int64_t remaining;
  std::int64_t avg;
  std::string venue_id;
  std::size_t events;
  bool operator==(const Snapshot&) const = default;
};
Snapshot snapshot(const Order& o) {
  return {o.status(),       o.filled_qty().raw, o.remaining_qty().raw, o.avg_fill_price().raw, o.venue_order_id().str(),
          o.events().size()};
}

TEST(Order, StartsNewWithApprovedQuantityAndPrice) {
  Order o = make_order();
  EXPECT_EQ(o.status(), OrderStatus::kNew);
  EXPECT_TRUE(o.is_open());
  EXPECT_EQ(o.qty().raw, 100);         // approved, not the requested 999
  EXPECT_EQ(o.limit_price().raw, 50);  // approved, not the requested 888
  EXPECT_EQ(o.filled_qty().raw, 0);
  EXPECT_EQ(o.remaining_qty().raw, 100);
  EXPECT_EQ(o.avg_fill_price().raw, 0);
  EXPECT_EQ(o.client_order_id().view(), "strat-1");
  EXPECT_TRUE(o.venue_order_id().empty());
  EXPECT_EQ(o.instrument(), InstrumentId{3});
  EXPECT_EQ(o.side(), Side::kSell);
  EXPECT_EQ(o.type(), OrderType::kLimit);
  EXPECT_TRUE(o.post_only());
  EXPECT_TRUE(o.reduce_only());
  ASSERT_EQ(o.events().size(), 1u);
  EXPECT_EQ(o.events()[0].status, OrderStatus::kNew);
  EXPECT_EQ(o.events()[0].time, at(1));
}

TEST(Order, SubmitThenAcceptRecordsVenueId) {
  Order o = make_order();
  ASSERT_TRUE(o.submit(at(2)).ok());
  EXPECT_EQ(o.status(), OrderStatus::kSubmitted);
  EXPECT_TRUE(o.venue_order_id().empty());
  ASSERT_TRUE(o.accept(at(3), *VenueOrderId::parse("V-1")).ok());
  EXPECT_EQ(o.status(), OrderStatus::kOpen);
  EXPECT_EQ(o.venue_order_id().view(), "V-1");
  EXPECT_TRUE(o.is_open());
}

TEST(Order, PartialThenFullFill) {
  Order o = make_open_order();
  ASSERT_TRUE(o.fill(at(4), Qty::from_raw(30), Price::from_raw(50)).ok());
  EXPECT_EQ(o.status(), OrderStatus::kPartiallyFilled);
  EXPECT_EQ(o.filled_qty().raw, 30);
  EXPECT_EQ(o.remaining_qty().raw, 70);
  EXPECT_TRUE(o.is_open());
  ASSERT_TRUE(o.fill(at(5), Qty::from_raw(30), Price::from_raw(50)).ok());
  EXPECT_EQ(o.status(), OrderStatus::kPartiallyFilled);
  EXPECT_EQ(o.remaining_qty().raw, 40);
  ASSERT_TRUE(o.fill(at(6), Qty::from_raw(40), Price::from_raw(50)).ok());
  EXPECT_EQ(o.status(), OrderStatus::kFilled);
  EXPECT_EQ(o.filled_qty().raw, 100);
  EXPECT_EQ(o.remaining_qty().raw, 0);
  EXPECT_FALSE(o.is_open());
}

// Fill size against the remaining quantity of 100: at, just below and just above.
TEST(Order, FillAtJustBelowAndJustAboveRemaining) {
  struct Case {
    std::int64_t qty;
    bool ok;
    OrderStatus status;
  };
  const Case cases[] = {
      {99, true, OrderStatus::kPartiallyFilled},
      {100, true, OrderStatus::kFilled},
      {101, false, OrderStatus::kOpen},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.qty);
    Order o = make_open_order();
    Status s = o.fill(at(4), Qty::from_raw(c.qty), Price::from_raw(50));
    EXPECT_EQ(s.ok(), c.ok);
    EXPECT_EQ(o.status(), c.status);
  }
}

TEST(Order, OverfillIsRejectedAndLeavesOrderUnchanged) {
  Order o = make_open_order();
  ASSERT_TRUE(o.fill(at(4), Qty::from_raw(60), Price::from_raw(51)).ok());
  const Snapshot before = snapshot(o);
  Status s = o.fill(at(5), Qty::from_raw(41), Price::from_raw(52));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(s.error().message.find("strat-1"), std::string::npos) << s.error().message;
  EXPECT_EQ(snapshot(o), before);
}

TEST(Order, NonPositiveFillQuantityOrPriceIsRejected) {
  const std::pair<std::int64_t, std::int64_t> cases[] = {{0, 50}, {-1, 50}, {-100, 50}, {10, 0}, {10, -50}};
  for (auto [qty, price] : cases) {
    SCOPED_TRACE("qty=" + std::to_string(qty) + " price=" + std::to_string(price));
    Order o = make_open_order();
    const Snapshot before = snapshot(o);
    Status s = o.fill(at(4), Qty::from_raw(qty), Price::from_raw(price));
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(snapshot(o), before);
  }
}

// A market order may be filled before the venue acknowledges it.
TEST(Order, SubmittedOrderCanBeFilledBeforeTheAck) {
  Order partly = make_order();
  ASSERT_TRUE(partly.submit(at(2)).ok());
  ASSERT_TRUE(partly.fill(at(3), Qty::from_raw(10), Price::from_raw(50)).ok());
  EXPECT_EQ(partly.status(), OrderStatus::kPartiallyFilled);
  Order fully = make_order();
  ASSERT_TRUE(fully.submit(at(2)).ok());
  ASSERT_TRUE(fully.fill(at(3), Qty::from_raw(100), Price::from_raw(50)).ok());
  EXPECT_EQ(fully.status(), OrderStatus::kFilled);
}

TEST(Order, FillBeforeSubmitIsIllegal) {
  Order o = make_order();
  const Snapshot before = snapshot(o);
  Status s = o.fill(at(2), Qty::from_raw(10), Price::from_raw(50));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kIllegalTransition);
  EXPECT_EQ(snapshot(o), before);
}

TEST(Order, FillAfterCancelIsRejected) {
  Order o = make_open_order();
  ASSERT_TRUE(o.fill(at(4), Qty::from_raw(30), Price::from_raw(50)).ok());
  ASSERT_TRUE(o.cancel(at(5), "operator").ok());
  const Snapshot before = snapshot(o);
  Status s = o.fill(at(6), Qty::from_raw(10), Price::from_raw(50));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kIllegalTransition);
  EXPECT_EQ(snapshot(o), before);
}

TEST(Order, FillAfterFilledIsRejected) {
  Order o = make_open_order();
  ASSERT_TRUE(o.fill(at(4), Qty::from_raw(100), Price::from_raw(50)).ok());
  const Snapshot before = snapshot(o);
  EXPECT_FALSE(o.fill(at(5), Qty::from_raw(1), Price::from_raw(50)).ok());
  EXPECT_EQ(snapshot(o), before);
}

TEST(Order, CancelOfPartiallyFilledOrderKeepsTheFill) {
  Order o = make_open_order();
  ASSERT_TRUE(o.fill(at(4), Qty::from_raw(30), Price::from_raw(51)).ok());
  ASSERT_TRUE(o.cancel(at(5), "user").ok());
  EXPECT_EQ(o.status(), OrderStatus::kCancelled);
  EXPECT_FALSE(o.is_open());
  EXPECT_EQ(o.filled_qty().raw, 30);
  EXPECT_EQ(o.avg_fill_price().raw, 51);
}

// avg = sum(price*qty) / sum(qty), rounded half to even to the price unit.
TEST(Order, AverageFillPriceIsExactAndRoundsHalfToEven) {
  struct Fill {
    std::int64_t qty, price;
  };
  struct Case {
    std::vector<Fill> fills;
    std::int64_t expected;
  };
  const Case cases[] = {
      {{{10, 50}}, 50},
      {{{1, 100}, {1, 101}}, 100},            // 201/2 = 100.5 -> 100 (even)
      {{{1, 101}, {1, 102}}, 102},            // 203/2 = 101.5 -> 102 (even)
      {{{1, 100}, {2, 101}}, 101},            // 302/3 = 100.67 -> 101
      {{{2, 100}, {1, 101}}, 100},            // 301/3 = 100.33 -> 100
      {{{3, 7}, {1, 8}}, 7},                  // 29/4 = 7.25 -> 7
      {{{1, 7}, {3, 8}}, 8},                  // 31/4 = 7.75 -> 8
      {{{1, 1}, {1, 2}, {1, 3}, {1, 4}}, 2},  // 10/4 = 2.5 -> 2 (even)
  };
  for (const auto& c : cases) {
    Order o = make_open_order(1000);
    for (const auto& f : c.fills) ASSERT_TRUE(o.fill(at(4), Qty::from_raw(f.qty), Price::from_raw(f.price)).ok());
    EXPECT_EQ(o.avg_fill_price().raw, c.expected);
  }
}

// Sum of price*qty far beyond int64 stays exact: 3e18 @ 9e18 and 3e18 @ (9e18 - 1) averages to
// 9e18 - 0.5, a tie; 9e18 - 1 is odd, so it rounds to 9e18.
TEST(Order, AverageFillPriceIsExactForHugeFills) {
  Order o = make_open_order(6'000'000'000'000'000'000);
  ASSERT_TRUE(o.fill(at(4), Qty::from_raw(3'000'000'000'000'000'000), Price::from_raw(9'000'000'000'000'000'000)).ok());
  ASSERT_TRUE(o.fill(at(5), Qty::from_raw(3'000'000'000'000'000'000), Price::from_raw(8'999'999'999'999'999'999)).ok());
  EXPECT_EQ(o.status(), OrderStatus::kFilled);
  EXPECT_EQ(o.avg_fill_price().raw, 9'000'000'000'000'000'000);
}

TEST(Order, EventsAreAppendedInOrderWithReasons) {
  Order o = make_order();
  ASSERT_TRUE(o.submit(at(2)).ok());
  ASSERT_TRUE(o.accept(at(3), *VenueOrderId::parse("V-9")).ok());
  ASSERT_TRUE(o.fill(at(4), Qty::from_raw(25), Price::from_raw(49)).ok());
  ASSERT_TRUE(o.fill(at(5), Qty::from_raw(25), Price::from_raw(48)).ok());
  ASSERT_TRUE(o.cancel(at(6), "strategy stop").ok());
  struct Expected {
    std::int64_t t;
    OrderStatus status;
    std::int64_t qty, price;
    const char* reason;
  };
  const Expected expected[] = {
      {1, OrderStatus::kNew, 0, 0, ""},
      {2, OrderStatus::kSubmitted, 0, 0, ""},
      {3, OrderStatus::kOpen, 0, 0, ""},
      {4, OrderStatus::kPartiallyFilled, 25, 49, ""},
      {5, OrderStatus::kPartiallyFilled, 25, 48, ""},
      {6, OrderStatus::kCancelled, 0, 0, "strategy stop"},
  };
  ASSERT_EQ(o.events().size(), std::size(expected));
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    SCOPED_TRACE(i);
    const OrderEvent& e = o.events()[i];
    EXPECT_EQ(e.time, at(expected[i].t));
    EXPECT_EQ(e.status, expected[i].status);
    EXPECT_EQ(e.qty.raw, expected[i].qty);
    EXPECT_EQ(e.price.raw, expected[i].price);
    EXPECT_EQ(e.reason, expected[i].reason);
  }
}

TEST(Order, RejectAndFailRecordTheirReason) {
  Order rejected = make_order();
  ASSERT_TRUE(rejected.submit(at(2)).ok());
  ASSERT_TRUE(rejected.reject(at(3), "venue: insufficient margin").ok());
  EXPECT_EQ(rejected.status(), OrderStatus::kRejected);
  EXPECT_FALSE(rejected.is_open());
  EXPECT_EQ(rejected.events().back().reason, "venue: insufficient margin");
  Order failed = make_open_order();
  ASSERT_TRUE(failed.fail(at(4), "connection lost").ok());
  EXPECT_EQ(failed.status(), OrderStatus::kError);
  EXPECT_EQ(failed.events().back().reason, "connection lost");
}

// Each row drives an order into a state, then makes a call the state machine forbids.
TEST(Order, IllegalTransitionLeavesStateAndEventsUnchanged) {
  using Step = std::function<Status(Order&)>;
  const Step submit = [](Order& o) { return o.submit(at(10)); };
  const Step accept = [](Order& o) { return o.accept(at(10), *VenueOrderId::parse("V-2")); };
  const Step fill_some = [](Order& o) { return o.fill(at(10), Qty::from_raw(10), Price::from_raw(50)); };
  const Step fill_all = [](Order& o) { return o.fill(at(10), o.remaining_qty(), Price::from_raw(50)); };
  const Step cancel = [](Order& o) { return o.cancel(at(10), "c"); };
  const Step reject = [](Order& o) { return o.reject(at(10), "r"); };
  const Step fail = [](Order& o) { return o.fail(at(10), "e"); };
  struct Case {
    const char* name;
    std::vector<Step> setup;
    Step illegal;
  };
  const Case cases[] = {
      {"accept NEW", {}, accept},
      {"cancel NEW", {}, cancel},
      {"submit SUBMITTED", {submit}, submit},
      {"submit OPEN", {submit, accept}, submit},
      {"accept OPEN", {submit, accept}, accept},
      {"reject OPEN", {submit, accept}, reject},
      {"accept PARTIALLY_FILLED", {submit, accept, fill_some}, accept},
      {"reject PARTIALLY_FILLED", {submit, accept, fill_some}, reject},
      {"cancel FILLED", {submit, accept, fill_all}, cancel},
      {"fail FILLED", {submit, accept, fill_all}, fail},
      {"submit CANCELLED", {submit, accept, cancel}, submit},
      {"cancel CANCELLED", {submit, accept, cancel}, cancel},
      {"accept REJECTED", {submit, reject}, accept},
      {"submit REJECTED", {reject}, submit},
      {"cancel ERROR", {submit, fail}, cancel},
      {"fill ERROR", {submit, fail}, fill_some},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Order o = make_order();
    for (const auto& step : c.setup) ASSERT_TRUE(step(o).ok());
    const Snapshot before = snapshot(o);
    const std::vector<OrderEvent> events_before = o.events();
    Status s = c.illegal(o);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::kIllegalTransition) << s.error().message;
    EXPECT_EQ(snapshot(o), before);
    ASSERT_EQ(o.events().size(), events_before.size());
    for (std::size_t i = 0; i < events_before.size(); ++i) {
      EXPECT_EQ(o.events()[i].status, events_before[i].status);
      EXPECT_EQ(o.events()[i].time, events_before[i].time);
    }
  }
}

TEST(Order, IllegalTransitionErrorNamesOrderAndStates) {
  Order o = make_order();
  Status s = o.cancel(at(2), "too early");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("strat-1"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("NEW"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("CANCELLED"), std::string::npos) << s.error().message;
}

}  // namespace
}  // namespace cst
