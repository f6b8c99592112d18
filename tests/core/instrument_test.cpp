// Tests for Instrument: exact notional, fees, sizing to a budget, tick and lot grids, validation.
// Money is in units of 1e-8 (kMoneyDecimals); each expected value is derived in a comment.
#include "cst/core/instrument.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <iterator>
#include <limits>
#include <string>

#include "cst/core/rng.hpp"

namespace cst {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

Instrument make_instrument(int price_decimals, int qty_decimals, std::int64_t tick = 1, std::int64_t lot = 1) {
  Instrument i;
  i.symbol = "TEST-USD";
  i.price_decimals = price_decimals;
  i.qty_decimals = qty_decimals;
  i.tick_size = Price::from_raw(tick);
  i.lot_step = Qty::from_raw(lot);
  return i;
}

// Exact comparison of price*qty (in 10^-(pd+qd)) against budget (in 10^-8), in 128 bits:
// returns <0, 0, >0 as the exact notional is below, equal to or above the budget.
int compare_exact_notional(const Instrument& inst, Price p, Qty q, Money budget) {
  const int shift = inst.price_decimals + inst.qty_decimals - kMoneyDecimals;
  int128 lhs = static_cast<int128>(p.raw) * q.raw;
  int128 rhs = budget.raw;
  for (int i = 0; i < shift; ++i) rhs *= 10;
  for (int i = 0; i < -shift; ++i) lhs *= 10;
  return lhs < rhs ? -1 : (lhs > rhs ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------
// notional

struct NotionalCase {
  int pd, qd;
  std::int64_t price, qty;
  std::int64_t expected_money;
};

void expect_notionals(const NotionalCase* begin, const NotionalCase* end) {
  for (const auto* c = begin; c != end; ++c) {
    SCOPED_TRACE("pd=" + std::to_string(c->pd) + " qd=" + std::to_string(c->qd) + " price=" + std::to_string(c->price) +
                 " qty=" + std::to_string(c->qty));
    auto n = make_instrument(c->pd, c->qd).notional(Price::from_raw(c->price), Qty::from_raw(c->qty));
    ASSERT_TRUE(n.ok()) << n.error().message;
    EXPECT_EQ(n->raw, c->expected_money);
  }
}

TEST(Instrument, NotionalIsExactWhenScalesSumBelowMoneyScale) {
  const NotionalCase cases[] = {
      // 123.45 * 1.234 = 152.3373 -> 152.33730000 -> raw 15233730000.
      {2, 3, 12345, 1234, 15'233'730'000},
      // 100 * 3 with no decimals = 300 -> 300e8.
      {0, 0, 100, 3, 30'000'000'000},
      // 0.5 * 0.5 = 0.25 -> 25'000'000.
      {1, 1, 5, 5, 25'000'000},
  };
  expect_notionals(std::begin(cases), std::end(cases));
}

TEST(Instrument, NotionalIsExactWhenScalesSumToMoneyScale) {
  const NotionalCase cases[] = {
      // 1.2345 * 2.0000 = 2.469 -> 246'900'000.
      {4, 4, 12345, 20000, 246'900'000},
      // 50000.00 * 0.000001 = 0.05 -> 5'000'000 (pd 2 + qd 6 = 8).
      {2, 6, 5'000'000, 1, 5'000'000},
  };
  expect_notionals(std::begin(cases), std::end(cases));
}

TEST(Instrument, NotionalIsExactWhenScalesSumAboveMoneyScale) {
  const NotionalCase cases[] = {
      // 50000.5 (pd 6: 50000500000) * 0.00003 (qd 5: 3) = 1.500015 -> 150'001'500.
      {6, 5, 50'000'500'000, 3, 150'001'500},
      // 2.00000000 * 0.50000000 = 1 -> 100'000'000.
      {8, 8, 200'000'000, 50'000'000, 100'000'000},
  };
  expect_notionals(std::begin(cases), std::end(cases));
}

// pd = qd = 8: price_raw * qty_raw is in 1e-16, so it is divided by 1e8 and rounded.
TEST(Instrument, NotionalRoundsHalfToEvenToTheMoneyUnit) {
  const NotionalCase cases[] = {
      {8, 8, 1, 50'000'000, 0},    // 0.5 unit -> 0 (even)
      {8, 8, 3, 50'000'000, 2},    // 1.5 -> 2 (even)
      {8, 8, 5, 50'000'000, 2},    // 2.5 -> 2
      {8, 8, 7, 50'000'000, 4},    // 3.5 -> 4
      {8, 8, 1, 49'999'999, 0},    // just below one half
      {8, 8, 1, 50'000'001, 1},    // just above one half
      {8, 8, 5, -50'000'000, -2},  // -2.5 -> -2 (even)
      {8, 8, 3, -50'000'000, -2},  // -1.5 -> -2 (even)
      {8, 8, -1, 50'000'001, -1},  // -0.50000001 -> -1
  };
  expect_notionals(std::begin(cases), std::end(cases));
}

TEST(Instrument, NotionalOverflowIsAnError) {
  struct Case {
    int pd, qd;
    std::int64_t price, qty;
    bool fits;
  };
  const Case cases[] = {
      {4, 4, kMax, 1, true},                                                // shift 0: exactly INT64_MAX
      {4, 4, kMax, 2, false},                                               // twice that
      {8, 8, 1'000'000'000'000'000'000, 1'000'000'000'000'000'000, false},  // 1e36/1e8 = 1e28
      {8, 8, kMax, 100'000'000, true},                                      // kMax * 1e8 / 1e8 = kMax
      {8, 8, kMax, 100'000'001, false},                                     // just above
      // shift -4: 0.01 * 1e13 = 1e11 quote = 1e19 money units > INT64_MAX. The scaled
      // quantity qty_raw * 1e4 alone already leaves int64.
      {2, 2, 1, 1'000'000'000'000'000, false},
      {2, 2, 1, 900'000'000'000'000, true},  // 9e18: fits
      {0, 0, 1, 100'000'000'000, false},     // 1e11 * 1e8 = 1e19
      {0, 0, 1, 92'233'720'368, true},       // 9.2233720368e18: fits
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("pd=" + std::to_string(c.pd) + " qd=" + std::to_string(c.qd) + " price=" + std::to_string(c.price) +
                 " qty=" + std::to_string(c.qty));
    auto n = make_instrument(c.pd, c.qd).notional(Price::from_raw(c.price), Qty::from_raw(c.qty));
    ASSERT_EQ(n.ok(), c.fits);
    if (!n.ok()) {
      EXPECT_EQ(n.error().code, ErrorCode::kOverflow);
      EXPECT_NE(n.error().message.find("TEST-USD"), std::string::npos) << n.error().message;
    }
  }
}

// A zero price is a valid (if odd) input; a huge quantity must not overflow on the way to 0.
TEST(Instrument, NotionalOfZeroPriceIsZeroForAnyQuantity) {
  auto n = make_instrument(2, 2).notional(Price{}, Qty::from_raw(kMax));
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(n->raw, 0);
}

// ---------------------------------------------------------------------------------------------
// fee

struct FeeCase {
  std::int64_t notional;
  std::int64_t ppm;
  std::int64_t expected;
};

void expect_fees(const FeeCase* begin, const FeeCase* end) {
  const Instrument inst = make_instrument(2, 6);
  for (const auto* c = begin; c != end; ++c) {
    SCOPED_TRACE("notional=" + std::to_string(c->notional) + " ppm=" + std::to_string(c->ppm));
    auto f = inst.fee(Money::from_raw(c->notional), FeeRate{c->ppm});
    ASSERT_TRUE(f.ok()) << f.error().message;
    EXPECT_EQ(f->raw, c->expected);
  }
}

TEST(Instrument, FeeRateFromBpsIsHundredPpmPerBp) {
  EXPECT_EQ(FeeRate::from_bps(10).ppm, 1000);
  EXPECT_EQ(FeeRate::from_bps(-2).ppm, -200);
}

// A positive fee is rounded up: the venue never charges less than the exact fee.
TEST(Instrument, FeeRoundsUp) {
  const FeeCase cases[] = {
      {10'000'000'000, 1000, 10'000'000},  // 100 quote at 10 bps = 0.1 exactly
      {1000, 1000, 1},                     // exactly one unit
      {999, 1000, 1},                      // 0.999 -> 1 (just below one unit)
      {1001, 1000, 2},                     // 1.001 -> 2 (just above one unit)
      {1, 1000, 1},                        // 0.001 -> 1: never zero for a non-zero fee
      {0, 1000, 0},
      {12345, 0, 0},  // zero rate
  };
  expect_fees(std::begin(cases), std::end(cases));
}

// A sell may be booked with a negative notional; the fee is on its size and still a cost.
TEST(Instrument, FeeIsOnTheSizeOfTheNotional) {
  const FeeCase cases[] = {
      {-1001, 1000, 2},
      {-10'000'000'000, 1000, 10'000'000},
      // |INT64_MIN| = 2^63 = 9223372036854775808; * 1000 / 1e6 = 9223372036854775.808 -> up.
      {kMin, 1000, 9'223'372'036'854'776},
  };
  expect_fees(std::begin(cases), std::end(cases));
}

// A rebate (negative rate) is a negative fee. Rounding is the same "up" (toward +infinity) as
// for a positive fee: we never book a rebate larger than the exact one, so the venue can only
// pay us at least what we booked. -0.25025 units therefore becomes 0, not -1.
TEST(Instrument, RebateIsNegativeAndNeverOverstated) {
  const FeeCase cases[] = {
      {10'000'000'000, -250, -2'500'000},  // 100 quote at -2.5 bps = -0.025 exactly
      {8000, -250, -2},                    // -2 exactly
      {8001, -250, -2},                    // -2.00025 -> -2
      {7999, -250, -1},                    // -1.99975 -> -1
      {1001, -250, 0},                     // -0.25025 -> 0
      {-8001, -250, -2},                   // a sell earns the same rebate
  };
  expect_fees(std::begin(cases), std::end(cases));
}

TEST(Instrument, FeeOverflowIsAnError) {
  const Instrument inst = make_instrument(2, 6);
  // INT64_MAX at 100% fits exactly; at 200% it does not.
  auto at = inst.fee(Money::from_raw(kMax), FeeRate{1'000'000});
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(at->raw, kMax);
  auto above = inst.fee(Money::from_raw(kMax), FeeRate{2'000'000});
  ASSERT_FALSE(above.ok());
  EXPECT_EQ(above.error().code, ErrorCode::kOverflow);
}

// ---------------------------------------------------------------------------------------------
// qty_for_notional

// pd 2, qd 4: price 100.00 (raw 10000), lot 0.0010 (raw 10). Notional of q at 100 is q * 100.
TEST(Instrument, QtyForNotionalAtJustBelowAndJustAboveTheBudget) {
  const Instrument inst = make_instrument(2, 4, 1, 10);
  const Price price = Price::from_raw(10'000);
  struct Case {
    std::int64_t budget;
    std::int64_t expected_qty;
  };
  const Case cases[] = {
      {1'000'000'000, 1000},  // 10.00 quote buys exactly 0.1000
      {999'999'999, 990},     // one unit less: 0.0999999 -> 0.0990 on the 0.001 grid
      {1'000'000'001, 1000},  // one unit more: still 0.1000
      {1'005'000'000, 1000},  // 10.05 buys 0.1005 -> 0.1000 on the grid
      {1'010'000'000, 1010},  // 10.10 buys exactly 0.1010
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("budget=" + std::to_string(c.budget));
    auto q = inst.qty_for_notional(Money::from_raw(c.budget), price);
    ASSERT_TRUE(q.ok()) << q.error().message;
    EXPECT_EQ(q->raw, c.expected_qty);
  }
}

TEST(Instrument, QtyForNotionalOfNoBudgetIsZero) {
  const Instrument inst = make_instrument(2, 4);
  for (std::int64_t budget : {0LL, -1LL, -1'000'000'000LL}) {
    auto q = inst.qty_for_notional(Money::from_raw(budget), Price::from_raw(10'000));
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(q->raw, 0);
  }
}

TEST(Instrument, QtyForNotionalNeedsAPositivePrice) {
  const Instrument inst = make_instrument(2, 4);
  for (std::int64_t price : {0LL, -1LL}) {
    auto q = inst.qty_for_notional(Money::from_raw(100), Price::from_raw(price));
    ASSERT_FALSE(q.ok());
    EXPECT_EQ(q.error().code, ErrorCode::kInvalidArgument);
  }
}

// pd 0, qd 0: the divisor is price_raw * 1e8, which leaves int64 for prices above ~9.2e10.
// Budget INT64_MAX = 92233720368.54775807 quote: at 9e10 it buys 1, at 1e11 it buys 0.
TEST(Instrument, QtyForNotionalWithHugePriceDoesNotOverflow) {
  const Instrument inst = make_instrument(0, 0);
  auto one = inst.qty_for_notional(Money::from_raw(kMax), Price::from_raw(90'000'000'000));
  ASSERT_TRUE(one.ok()) << one.error().message;
  EXPECT_EQ(one->raw, 1);
  auto none = inst.qty_for_notional(Money::from_raw(kMax), Price::from_raw(100'000'000'000));
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_EQ(none->raw, 0);
  auto tiny = inst.qty_for_notional(Money::from_raw(kMax), Price::from_raw(kMax));
  ASSERT_TRUE(tiny.ok()) << tiny.error().message;
  EXPECT_EQ(tiny->raw, 0);
}

// For many random instruments, prices and budgets: the quantity is on the lot grid, its notional
// (rounded or exact) never exceeds the budget, and one more lot would exceed it exactly.
TEST(Instrument, QtyForNotionalIsTheLargestLotMultipleWithinBudget) {
  Rng rng(7);
  int checked = 0;
  for (int i = 0; i < 20000; ++i) {
    const int pd = static_cast<int>(rng.next_u64() % 13);
    const int qd = static_cast<int>(rng.next_u64() % 13);
    const std::int64_t lot = 1 + static_cast<std::int64_t>(rng.next_u64() % 1000);
    Instrument inst = make_instrument(pd, qd, 1, lot);
    const Price price = Price::from_raw(1 + static_cast<std::int64_t>(rng.next_u64() % 1'000'000'000'000));
    const Money budget = Money::from_raw(static_cast<std::int64_t>(rng.next_u64() % 1'000'000'000'000'000));
    auto q = inst.qty_for_notional(budget, price);
    if (!q.ok()) {
      EXPECT_EQ(q.error().code, ErrorCode::kOverflow);
      continue;
    }
    ++checked;
    SCOPED_TRACE("pd=" + std::to_string(pd) + " qd=" + std::to_string(qd) + " lot=" + std::to_string(lot) +
                 " price=" + std::to_string(price.raw) + " budget=" + std::to_string(budget.raw));
    ASSERT_GE(q->raw, 0);
    ASSERT_TRUE(inst.on_lot(*q));
    ASSERT_LE(compare_exact_notional(inst, price, *q, budget), 0);
    auto n = inst.notional(price, *q);
    ASSERT_TRUE(n.ok());
    ASSERT_LE(n->raw, budget.raw);
    ASSERT_GT(compare_exact_notional(inst, price, *q + inst.lot_step, budget), 0);
  }
  EXPECT_GT(checked, 10000);  // the property was exercised, not skipped by overflow
}

// ---------------------------------------------------------------------------------------------
// Tick and lot grids

TEST(Instrument, RoundDownToTickIsFloorOnTheGrid) {
  const Instrument inst = make_instrument(2, 4, /*tick=*/5);
  const std::pair<std::int64_t, std::int64_t> cases[] = {
      {12, 10}, {10, 10}, {14, 10}, {15, 15}, {0, 0},
      {4, 0},   {-1, -5}, {-4, -5}, {-5, -5}, {-6, -10},  // negative values go toward -infinity
  };
  for (auto [in, out] : cases) EXPECT_EQ(inst.round_down_to_tick(Price::from_raw(in)).raw, out) << in;
}

TEST(Instrument, RoundUpToTickIsCeilingOnTheGrid) {
  const Instrument inst = make_instrument(2, 4, /*tick=*/5);
  const std::pair<std::int64_t, std::int64_t> cases[] = {
      {12, 15}, {10, 10}, {11, 15}, {15, 15}, {0, 0},
      {1, 5},   {-1, 0},  {-4, 0},  {-5, -5}, {-6, -5},  // negative values go toward +infinity
  };
  for (auto [in, out] : cases) EXPECT_EQ(inst.round_up_to_tick(Price::from_raw(in)).raw, out) << in;
}

TEST(Instrument, TickRoundingAtInt64Extremes) {
  // INT64_MIN = -2^63 is a multiple of 8, so both roundings leave it alone.
  const Instrument inst = make_instrument(2, 4, /*tick=*/8);
  EXPECT_EQ(inst.round_up_to_tick(Price::from_raw(kMin)).raw, kMin);
  EXPECT_EQ(inst.round_down_to_tick(Price::from_raw(kMin)).raw, kMin);
  // INT64_MAX = 2^63 - 1 rounds down to 2^63 - 8.
  EXPECT_EQ(inst.round_down_to_tick(Price::from_raw(kMax)).raw, kMax - 7);
  const Instrument unit = make_instrument(2, 4, /*tick=*/1);
  EXPECT_EQ(unit.round_up_to_tick(Price::from_raw(kMin)).raw, kMin);
  EXPECT_EQ(unit.round_up_to_tick(Price::from_raw(kMax)).raw, kMax);
}

TEST(Instrument, OnTickAcceptsOnlyGridMultiples) {
  const Instrument inst = make_instrument(2, 4, /*tick=*/5);
  const std::pair<std::int64_t, bool> cases[] = {{10, true},  {11, false},  {9, false}, {0, true},
                                                 {-10, true}, {-11, false}, {-9, false}};
  for (auto [in, on] : cases) EXPECT_EQ(inst.on_tick(Price::from_raw(in)), on) << in;
}

TEST(Instrument, RoundDownToLotIsFloorOnTheGrid) {
  const Instrument inst = make_instrument(2, 4, 1, /*lot=*/3);
  const std::pair<std::int64_t, std::int64_t> cases[] = {
      {7, 6}, {6, 6}, {5, 3}, {2, 0}, {0, 0}, {-1, -3}, {-3, -3}, {-4, -6},
  };
  for (auto [in, out] : cases) EXPECT_EQ(inst.round_down_to_lot(Qty::from_raw(in)).raw, out) << in;
  const std::pair<std::int64_t, bool> on[] = {{6, true}, {7, false}, {5, false}, {-6, true}, {-7, false}};
  for (auto [in, ok] : on) EXPECT_EQ(inst.on_lot(Qty::from_raw(in)), ok) << in;
}

// ---------------------------------------------------------------------------------------------
// Parsing and formatting in the instrument's units

TEST(Instrument, ParsesAndFormatsInItsOwnScale) {
  const Instrument inst = make_instrument(2, 4);
  auto p = inst.parse_price("123.455");  // 12345.5 cents -> 12346 (half to even)
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->raw, 12346);
  auto q = inst.parse_qty("0.5");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->raw, 5000);
  EXPECT_EQ(inst.format(Price::from_raw(12340)), "123.4");
  EXPECT_EQ(inst.format(Qty::from_raw(5000)), "0.5");
  EXPECT_DOUBLE_EQ(inst.to_double(Price::from_raw(12345)), 123.45);
  EXPECT_DOUBLE_EQ(inst.to_double(Qty::from_raw(5000)), 0.5);
  auto bad = inst.parse_price("12x");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kParse);
  auto bad_qty = inst.parse_qty("");
  ASSERT_FALSE(bad_qty.ok());
}

// ---------------------------------------------------------------------------------------------
// validate

TEST(Instrument, ValidAcceptsSaneInstrument) {
  Instrument inst = make_instrument(2, 6, 1, 1);
  EXPECT_TRUE(inst.validate().ok());
  // Scale limits 0 and 12 are inside the range.
  EXPECT_TRUE(make_instrument(0, 12).validate().ok());
  EXPECT_TRUE(make_instrument(12, 0).validate().ok());
}

TEST(Instrument, ValidateErrorsNameTheField) {
  struct Case {
    const char* field;
    void (*breaks)(Instrument&);
  };
  const Case cases[] = {
      {"symbol", [](Instrument& i) { i.symbol.clear(); }},
      {"price_decimals", [](Instrument& i) { i.price_decimals = -1; }},
      {"price_decimals", [](Instrument& i) { i.price_decimals = 13; }},
      {"qty_decimals", [](Instrument& i) { i.qty_decimals = -1; }},
      {"qty_decimals", [](Instrument& i) { i.qty_decimals = 13; }},
      {"tick_size", [](Instrument& i) { i.tick_size = Price{}; }},
      {"tick_size", [](Instrument& i) { i.tick_size = Price::from_raw(-1); }},
      {"lot_step", [](Instrument& i) { i.lot_step = Qty{}; }},
      {"lot_step", [](Instrument& i) { i.lot_step = Qty::from_raw(-1); }},
      {"min_notional", [](Instrument& i) { i.min_notional = Money::from_raw(-1); }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.field);
    Instrument inst = make_instrument(2, 6);
    c.breaks(inst);
    Status s = inst.validate();
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(s.error().message.find(c.field), std::string::npos) << s.error().message;
  }
  // min_notional at zero is fine (no minimum); one unit below is not.
  Instrument zero_min = make_instrument(2, 6);
  zero_min.min_notional = Money{};
  EXPECT_TRUE(zero_min.validate().ok());
}

TEST(Instrument, ValidateErrorNamesTheSymbol) {
  Instrument inst = make_instrument(2, 6);
  inst.tick_size = Price{};
  Status s = inst.validate();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("TEST-USD"), std::string::npos) << s.error().message;
}

}  // namespace
}  // namespace cst
