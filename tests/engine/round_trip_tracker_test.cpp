// RoundTripTracker: a trip runs from flat to flat; a fill that flips the side closes one trip and
// opens the next, splitting its fee pro rata. Fills go through a real Portfolio so the realized
// PnL the tracker sees is the portfolio's.
//
// Units: prices in cents (price_decimals 2), quantities in thousandths (qty_decimals 3), Money
// raw 1e-8 (1.00 = 100,000,000). Fees are given per fill, as a venue would report them.
#include "cst/engine/round_trip_tracker.hpp"

#include <gtest/gtest.h>

#include "support/engine_fixtures.hpp"

namespace cst {
namespace {

using namespace testing_support;

class Trips {
 public:
  Trips() : portfolio_(money(1'000'000 * kMoneyUnit)) {
    Status s = portfolio_.add_instrument(test_instrument());
    EXPECT_TRUE(s.ok());
  }
  // Applies one fill at minute `minute`; fee in Money raw.
  void fill(int minute, Side side, std::int64_t q, std::int64_t price, std::int64_t fee) {
    const Fill f{kT0 + Duration{kMinute.ns * minute},
                 *ClientOrderId::parse("o-" + std::to_string(minute)),
                 InstrumentId{0},
                 side,
                 qty(q),
                 px(price),
                 money(fee),
                 false};
    auto effect = portfolio_.apply_fill(f);
    ASSERT_TRUE(effect.ok()) << effect.error().message;
    tracker_.on_fill(f, *effect);
  }
  const std::vector<ClosedTrade>& closed() const { return tracker_.closed(); }

 private:
  Portfolio portfolio_;
  RoundTripTracker tracker_;
};

constexpr std::int64_t kCent = kMoneyUnit / 100;

// The size, average prices, fees and PnL a closed trip must show.
void expect_trip(const ClosedTrade& c, Qty size, Price entry_price, Price exit_price, Money fees, Money pnl) {
  EXPECT_EQ(c.qty, size);
  EXPECT_EQ(c.entry_price, entry_price);
  EXPECT_EQ(c.exit_price, exit_price);
  EXPECT_EQ(c.fees, fees);
  EXPECT_EQ(c.pnl, pnl);
}

TEST(RoundTripTracker, LongTripFromFlatToFlat) {
  // Buy 1.000 at 100.00 (fee 0.10), sell 1.000 at 110.00 (fee 0.11):
  // realized 10.00, fees 0.21, pnl 9.79.
  Trips t;
  t.fill(1, Side::kBuy, 1'000, 10'000, 10 * kCent);
  EXPECT_TRUE(t.closed().empty());
  t.fill(5, Side::kSell, 1'000, 11'000, 11 * kCent);
  ASSERT_EQ(t.closed().size(), 1u);
  const ClosedTrade& c = t.closed()[0];
  EXPECT_EQ(c.side, Side::kBuy);
  EXPECT_EQ(c.entry_time, kT0 + kMinute);
  EXPECT_EQ(c.exit_time, kT0 + Duration{5 * kMinute.ns});
  expect_trip(c, qty(1'000), px(10'000), px(11'000), money(21 * kCent), money(979 * kCent));
}

TEST(RoundTripTracker, ScalingInAndOutAveragesPricesAndKeepsTheLargestSize) {
  // Buy 1.000 @ 100.00 and 1.000 @ 102.00 (average 101.00); sell 1.000 @ 103.00 (still open),
  // then 1.000 @ 105.00 (flat): exit average 104.00, qty 2.000 at most.
  // Realized (103 - 101) + (105 - 101) = 6.00; fees 4 x 0.01; pnl 5.96.
  Trips t;
  t.fill(1, Side::kBuy, 1'000, 10'000, kCent);
  t.fill(2, Side::kBuy, 1'000, 10'200, kCent);
  t.fill(3, Side::kSell, 1'000, 10'300, kCent);
  EXPECT_TRUE(t.closed().empty());  // half closed is not a round trip
  t.fill(4, Side::kSell, 1'000, 10'500, kCent);
  ASSERT_EQ(t.closed().size(), 1u);
  const ClosedTrade& c = t.closed()[0];
  expect_trip(c, qty(2'000), px(10'100), px(10'400), money(4 * kCent), money(596 * kCent));
}

TEST(RoundTripTracker, FlipClosesOneTripAndOpensTheNextWithTheFeeSplitProRata) {
  // Long 1.000 @ 100.00 (fee 0.10). Sell 3.000 @ 110.00 with fee 0.33: 1.000 closes the long
  // (fee share 0.11), 2.000 open a short (fee share 0.22).
  //   trip 1: realized 10.00, fees 0.10 + 0.11 = 0.21, pnl 9.79
  // Buy 2.000 @ 105.00 (fee 0.21) closes the short:
  //   trip 2: side sell, realized 2 x (110 - 105) = 10.00, fees 0.22 + 0.21 = 0.43, pnl 9.57
  Trips t;
  t.fill(1, Side::kBuy, 1'000, 10'000, 10 * kCent);
  t.fill(2, Side::kSell, 3'000, 11'000, 33 * kCent);
  ASSERT_EQ(t.closed().size(), 1u);
  EXPECT_EQ(t.closed()[0].fees, money(21 * kCent));
  EXPECT_EQ(t.closed()[0].pnl, money(979 * kCent));
  t.fill(3, Side::kBuy, 2'000, 10'500, 21 * kCent);
  ASSERT_EQ(t.closed().size(), 2u);
  const ClosedTrade& c = t.closed()[1];
  EXPECT_EQ(c.side, Side::kSell);
  EXPECT_EQ(c.entry_time, kT0 + Duration{2 * kMinute.ns});
  expect_trip(c, qty(2'000), px(11'000), px(10'500), money(43 * kCent), money(957 * kCent));
}

TEST(RoundTripTracker, FlipFeeSplitAddsUpToTheWholeFee) {
  // Fee 1 raw unit on a flip of 1 closing + 2 opening: the closing share rounds (half-even)
  // to 0, the opening share gets the rest, 1; nothing is lost or invented.
  Trips t;
  t.fill(1, Side::kBuy, 1, 10'000, 0);
  t.fill(2, Side::kSell, 3, 10'000, 1);
  t.fill(3, Side::kBuy, 2, 10'000, 0);
  ASSERT_EQ(t.closed().size(), 2u);
  EXPECT_EQ((t.closed()[0].fees + t.closed()[1].fees).raw, 1);
}

}  // namespace
}  // namespace cst
