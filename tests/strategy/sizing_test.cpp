// Sizing: parsing "--size" ("1000", "10%", "2.5%") and turning it into an order quantity. A
// percent of equity must leave room for the taker fee and land on the lot grid; a size the
// instrument cannot represent is an error, never silently rounded.
//
// Test instrument: prices in cents (price_decimals 2), quantities in thousandths
// (qty_decimals 3); Money raw is 1e-8.
#include "cst/strategy/sizing.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace cst {
namespace {

constexpr std::int64_t kUnit = 100'000'000;  // 1.00 in Money raw

Instrument cents_and_thousandths(std::int64_t taker_ppm = 1000, std::int64_t lot = 1) {
  Instrument i;
  i.symbol = "TEST-USD";
  i.price_decimals = 2;
  i.qty_decimals = 3;
  i.lot_step = Qty::from_raw(lot);
  i.taker_fee = FeeRate{taker_ppm};
  i.maker_fee = FeeRate{taker_ppm / 5};
  return i;
}

struct ParseCase {
  const char* text;
  std::optional<Sizing::Kind> kind;  // nullopt: must be an error
  std::int64_t percent_bp = 0;
};

TEST(Sizing, ParseAcceptsQuantitiesAndPercentsAndRejectsTheRest) {
  const ParseCase cases[] = {
      {"1000", Sizing::Kind::kFixedQty},
      {"0.5", Sizing::Kind::kFixedQty},
      {"1", Sizing::Kind::kFixedQty},
      {"10%", Sizing::Kind::kPercentOfEquity, 1'000},  // 10% = 1,000 bp
      {"2.5%", Sizing::Kind::kPercentOfEquity, 250},
      {"0.01%", Sizing::Kind::kPercentOfEquity, 1},  // the finest step: 1 bp
      {"100%", Sizing::Kind::kPercentOfEquity, 10'000},
      {"1000%", Sizing::Kind::kPercentOfEquity, 100'000},  // the documented maximum
      {"1000.01%", std::nullopt},
      {"0%", std::nullopt},
      {"0.00%", std::nullopt},
      {"-5%", std::nullopt},
      {"%", std::nullopt},
      {"10%%", std::nullopt},
      {"10 %", std::nullopt},
      {"2.555%", std::nullopt},  // finer than 1 bp: not silently rounded to 2.56%
      {"", std::nullopt},
      {"abc", std::nullopt},
      {"0", std::nullopt},
      {"0.000", std::nullopt},
      {"-1", std::nullopt},
      {"1e3", std::nullopt},
      {" 10", std::nullopt},
      {"1,000", std::nullopt},
  };
  for (const ParseCase& c : cases) {
    SCOPED_TRACE(std::string("size '") + c.text + "'");
    auto s = Sizing::parse(c.text);
    if (!c.kind) {
      ASSERT_FALSE(s.ok());
      EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
      EXPECT_NE(s.error().message.find(c.text), std::string::npos) << s.error().message;
      continue;
    }
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(s->kind, *c.kind);
    EXPECT_EQ(s->text, c.text);
    if (*c.kind == Sizing::Kind::kPercentOfEquity) {
      EXPECT_EQ(s->percent_bp, c.percent_bp);
    }
  }
}

TEST(Sizing, FixedQuantityIsExactInTheInstrumentsUnits) {
  auto s = Sizing::parse("1.5");
  ASSERT_TRUE(s.ok());
  auto q = s->quantity(cents_and_thousandths(), Money::from_raw(1 * kUnit), Price::from_raw(10'000));
  ASSERT_TRUE(q.ok()) << q.error().message;
  EXPECT_EQ(q->raw, 1'500);  // 1.500, independent of equity and price
}

TEST(Sizing, FixedQuantityFinerThanTheInstrumentIsAnError) {
  // 1.0005 needs 4 decimals; the instrument has 3. Rounding would trade 1.000 or 1.001 units
  // that nobody asked for.
  auto s = Sizing::parse("1.0005");
  ASSERT_TRUE(s.ok());
  auto q = s->quantity(cents_and_thousandths(), Money::from_raw(1'000 * kUnit), Price::from_raw(10'000));
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.error().code, ErrorCode::kInvalidArgument);
  // Trailing zeros are not extra precision.
  auto z = Sizing::parse("1.5000");
  ASSERT_TRUE(z.ok());
  auto qz = z->quantity(cents_and_thousandths(), Money::from_raw(1'000 * kUnit), Price::from_raw(10'000));
  ASSERT_TRUE(qz.ok()) << qz.error().message;
  EXPECT_EQ(qz->raw, 1'500);
}

TEST(Sizing, FixedQuantityOffTheLotGridIsAnError) {
  // Lot 0.005: 0.010 is on the grid, 0.003 is not.
  const Instrument inst = cents_and_thousandths(1000, 5);
  auto on = Sizing::parse("0.010");
  ASSERT_TRUE(on.ok());
  auto q = on->quantity(inst, Money::from_raw(1'000 * kUnit), Price::from_raw(10'000));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->raw, 10);
  auto off = Sizing::parse("0.003");
  ASSERT_TRUE(off.ok());
  auto bad = off->quantity(inst, Money::from_raw(1'000 * kUnit), Price::from_raw(10'000));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("lot"), std::string::npos) << bad.error().message;
}

TEST(Sizing, PercentOfEquityLeavesRoomForTheTakerFee) {
  // 10% of equity 10,000.00 = 1,000.00 to spend on notional + 10 bps fee, at price 100.00.
  // Budget for notional: 1,000.00 / 1.001 = 999.000999.. -> qty 9.99000999.. -> 9.990 (lot 0.001).
  //   9.990: notional 999.00 + fee 0.999 = 999.999 <= 1,000.00
  //   9.991: notional 999.10 + fee 0.9991 = 1,000.0991 > 1,000.00 (so 9.990 is the largest)
  auto s = Sizing::parse("10%");
  ASSERT_TRUE(s.ok());
  const Instrument inst = cents_and_thousandths();
  auto q = s->quantity(inst, Money::from_raw(10'000 * kUnit), Price::from_raw(10'000));
  ASSERT_TRUE(q.ok()) << q.error().message;
  EXPECT_EQ(q->raw, 9'990);
  auto notional = inst.notional(Price::from_raw(10'000), *q);
  auto fee = inst.fee(*notional, inst.taker_fee);
  EXPECT_LE((*notional + *fee).raw, 1'000 * kUnit);
  auto next_notional = inst.notional(Price::from_raw(10'000), Qty::from_raw(q->raw + 1));
  auto next_fee = inst.fee(*next_notional, inst.taker_fee);
  EXPECT_GT((*next_notional + *next_fee).raw, 1'000 * kUnit);
}

TEST(Sizing, PercentOfEquityLandsOnTheLotGrid) {
  // As above but lot 0.007: 9.990 / 0.007 = 1,427.14.. lots -> 1,427 x 7 = 9.989.
  auto s = Sizing::parse("10%");
  ASSERT_TRUE(s.ok());
  auto q = s->quantity(cents_and_thousandths(1000, 7), Money::from_raw(10'000 * kUnit), Price::from_raw(10'000));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->raw, 9'989);
  EXPECT_EQ(q->raw % 7, 0);
}

TEST(Sizing, WholeEquityWithoutFeeBuysExactlyEquityOverPrice) {
  // 100% of 1,000.00 at 100.00 with no fee: exactly 10.000.
  auto s = Sizing::parse("100%");
  ASSERT_TRUE(s.ok());
  auto q = s->quantity(cents_and_thousandths(0), Money::from_raw(1'000 * kUnit), Price::from_raw(10'000));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->raw, 10'000);
}

TEST(Sizing, FractionalPercentOfEquity) {
  // 2.5% of 10,000.00 = 250.00 at 100.00, no fee: 2.500.
  auto s = Sizing::parse("2.5%");
  ASSERT_TRUE(s.ok());
  auto q = s->quantity(cents_and_thousandths(0), Money::from_raw(10'000 * kUnit), Price::from_raw(10'000));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->raw, 2'500);
}

TEST(Sizing, PercentOfNoEquityIsZero) {
  auto s = Sizing::parse("10%");
  ASSERT_TRUE(s.ok());
  for (std::int64_t equity : {std::int64_t{0}, -5 * kUnit}) {
    auto q = s->quantity(cents_and_thousandths(), Money::from_raw(equity), Price::from_raw(10'000));
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(q->raw, 0);
  }
}

}  // namespace
}  // namespace cst
