#include <gtest/gtest.h>

#include "cst/portfolio/portfolio.hpp"
#include "support/trading_fixtures.hpp"

namespace cst {
namespace {

using test::cents;
using test::milli;
using test::usd;

Portfolio traded() {
  Portfolio p(usd(100000));
  EXPECT_TRUE(p.add_instrument(test::test_instrument()).ok());
  p.start_day(Timestamp{0});
  const auto coid = test::coid("o-1");
  EXPECT_TRUE(
      p.apply_fill(Fill{Timestamp{1}, coid, InstrumentId{1}, Side::kBuy, milli(3000), cents(10000), usd(1), false})
          .ok());
  EXPECT_TRUE(
      p.apply_fill(Fill{Timestamp{2}, coid, InstrumentId{1}, Side::kSell, milli(1000), cents(10250), usd(1), false})
          .ok());
  EXPECT_TRUE(p.mark(InstrumentId{1}, cents(10100)).ok());
  return p;
}

TEST(PortfolioRestore, ASnapshotRestoresEveryAmountExactly) {
  const Portfolio a = traded();
  Portfolio b(usd(1));
  ASSERT_TRUE(b.add_instrument(test::test_instrument()).ok());
  ASSERT_TRUE(b.restore(a.snapshot()).ok());
  EXPECT_EQ(b.cash(), a.cash());
  EXPECT_EQ(b.equity(), a.equity());
  EXPECT_EQ(b.fees(), a.fees());
  EXPECT_EQ(b.starting_cash(), a.starting_cash());
  EXPECT_EQ(b.start_of_day_equity(), a.start_of_day_equity());
  EXPECT_EQ(b.equity_peak(), a.equity_peak());
  EXPECT_EQ(b.current_day(), a.current_day());
  EXPECT_EQ(b.realized_pnl(), a.realized_pnl());
  EXPECT_EQ(b.unrealized_pnl(), a.unrealized_pnl());
  EXPECT_EQ(b.position(InstrumentId{1}).qty, milli(2000));
  // And it trades on identically from there.
  Portfolio c = a;
  const Fill more{Timestamp{3}, test::coid("o-2"), InstrumentId{1}, Side::kSell,
                  milli(2000),  cents(9900),       usd(2),          false};
  ASSERT_TRUE(b.apply_fill(more).ok());
  ASSERT_TRUE(c.apply_fill(more).ok());
  EXPECT_EQ(b.cash(), c.cash());
  EXPECT_EQ(b.realized_pnl(), c.realized_pnl());
}

TEST(PortfolioRestore, RefusesUnknownInstrumentsAndLeavesThePortfolioAsItWas) {
  const Portfolio a = traded();
  PortfolioSnapshot s = a.snapshot();
  s.positions[0].instrument = InstrumentId{7};
  Portfolio b(usd(5));
  ASSERT_TRUE(b.add_instrument(test::test_instrument()).ok());
  Status r = b.restore(s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(b.cash(), usd(5));
  EXPECT_EQ(b.equity(), usd(5));
}

}  // namespace
}  // namespace cst
