// ExecutionPolicy (DESIGN.md section 5): each check with its own reason code at, just below and
// just above its threshold; checks off when their setting is zero; book checks skipped without
// a book; throttles driven by explicit timestamps (never sleep).
//
// Base market: TEST-USD bid 99.95 / ask 100.05 (mid 100.00, spread 10 bps), 100 units on each
// side, last 100.00, 1,000 units of recent volume, updated at T0. Prices and quantities are
// raw: price_decimals 2 (cents(10000) = 100.00), qty_decimals 3 (milli(1000) = 1.000).

#include "cst/gateway/execution_policy.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/trading_fixtures.hpp"

namespace cst {
namespace {

using test::cents;
using test::limit_order;
using test::market_order;
using test::milli;
using test::units;
using test::usd;

const Instrument kInst = test::test_instrument();
const Timestamp kT0 = Timestamp::from_seconds(1'700'000'000);

MarketSnapshot base_market() {
  MarketSnapshot m;
  m.time = kT0;
  m.last = cents(10000);
  m.bid = cents(9995);
  m.ask = cents(10005);
  m.bid_qty = units(100);
  m.ask_qty = units(100);
  m.recent_volume = units(1000);
  return m;
}

MarketSnapshot bars_only_market() {
  MarketSnapshot m;
  m.time = kT0;
  m.last = cents(10000);
  m.recent_volume = units(1000);
  return m;
}

Timestamp at_ns(std::int64_t offset_ns) { return Timestamp{kT0.ns + offset_ns}; }
Timestamp at_ms(std::int64_t offset_ms) { return at_ns(offset_ms * 1'000'000); }

// The price the gateway would value the order at.
Price reference_of(const OrderIntent& o, const MarketSnapshot& m) {
  if (o.type == OrderType::kLimit) return o.limit_price;
  if (m.has_book()) return o.side == Side::kBuy ? m.ask : m.bid;
  return m.last;
}

ReasonCode check(const ExecutionPolicy& p, const OrderIntent& o, const MarketSnapshot& m, Timestamp now = kT0) {
  return p.check(o, kInst, m, reference_of(o, m), now).reason;
}

struct Row {
  std::string name;
  ReasonCode expected;
};

// Changes the base order, market or clock for one row of a threshold table.
using RowSetup = void (*)(OrderIntent&, MarketSnapshot&, Timestamp&);

// Runs each row against a buy of 1 unit on the base market at T0, as changed by the row.
void run_rows(const ExecutionPolicy& policy, const std::vector<std::pair<Row, RowSetup>>& rows) {
  for (const auto& [row, setup] : rows) {
    SCOPED_TRACE(row.name);
    OrderIntent o = market_order(Side::kBuy, units(1));
    MarketSnapshot m = base_market();
    Timestamp now = kT0;
    setup(o, m, now);
    EXPECT_EQ(to_string(check(policy, o, m, now)), to_string(row.expected));
  }
}

TEST(ExecutionPolicyStaleData, OlderThanMaxAgeIsRejected) {
  ExecutionPolicyConfig c;
  c.max_data_age = Duration::from_ms(500);
  const ExecutionPolicy policy(c);
  run_rows(policy, {
                       {{"age 499.999999 ms", ReasonCode::kNone},
                        [](OrderIntent&, MarketSnapshot&, Timestamp& now) { now = at_ns(499'999'999); }},
                       {{"age 500 ms exactly", ReasonCode::kNone},
                        [](OrderIntent&, MarketSnapshot&, Timestamp& now) { now = at_ms(500); }},
                       {{"age 500 ms + 1 ns", ReasonCode::kStaleMarketData},
                        [](OrderIntent&, MarketSnapshot&, Timestamp& now) { now = at_ns(500'000'001); }},
                   });
}

TEST(ExecutionPolicyNoMarketData, MissingSnapshotOrPriceIsRejected) {
  const ExecutionPolicy policy(ExecutionPolicyConfig{});  // every optional check off
  MarketSnapshot never_updated;
  EXPECT_EQ(check(policy, market_order(Side::kBuy, units(1)), never_updated), ReasonCode::kNoMarketData);
  // A snapshot with a time but no price at all, even for a limit order that carries its own.
  MarketSnapshot no_prices;
  no_prices.time = kT0;
  EXPECT_EQ(check(policy, limit_order(Side::kBuy, units(1), cents(10000)), no_prices), ReasonCode::kNoMarketData);
  // No reference price to value the order at.
  EXPECT_EQ(policy.check(market_order(Side::kBuy, units(1)), kInst, base_market(), Price{}, kT0).reason,
            ReasonCode::kNoMarketData);
  EXPECT_EQ(check(policy, market_order(Side::kBuy, units(1)), base_market()), ReasonCode::kNone);
}

TEST(ExecutionPolicySpread, WiderThanMaxBpsIsRejected) {
  // max 100 bps: spread × 10000 must not exceed mid × 100.
  ExecutionPolicyConfig c;
  c.max_spread_bps = 100;
  const ExecutionPolicy policy(c);
  run_rows(policy, {
                       // 99.50 / 100.49: spread 99, mid 99.99 → 990,000 ≤ 999,900.
                       {{"just below", ReasonCode::kNone},
                        [](OrderIntent&, MarketSnapshot& m, Timestamp&) {
                          m.bid = cents(9950);
                          m.ask = cents(10049);
                        }},
                       // 99.50 / 100.50: spread 100, mid 100.00 → 1,000,000 ≤ 1,000,000.
                       {{"at", ReasonCode::kNone},
                        [](OrderIntent&, MarketSnapshot& m, Timestamp&) {
                          m.bid = cents(9950);
                          m.ask = cents(10050);
                        }},
                       // 99.50 / 100.51: spread 101, mid 100.00 (rounded down) → 1,010,000 > 1,000,000.
                       {{"just above", ReasonCode::kSpreadTooWide},
                        [](OrderIntent&, MarketSnapshot& m, Timestamp&) {
                          m.bid = cents(9950);
                          m.ask = cents(10051);
                        }},
                   });
}

TEST(ExecutionPolicyDepth, TopOfBookOnTheTakenSideMustHoldMinNotional) {
  // min 1,000 USD at the touch: a buy takes the ask (100.05), a sell the bid (99.95).
  ExecutionPolicyConfig c;
  c.min_top_depth = usd(1'000);
  const ExecutionPolicy policy(c);
  run_rows(policy, {
                       // 100.00 × 10.000 = 1,000.00
                       {{"buy: at", ReasonCode::kNone},
                        [](OrderIntent&, MarketSnapshot& m, Timestamp&) {
                          m.ask = cents(10000);
                          m.ask_qty = units(10);
                        }},
                       // 100.00 × 9.999 = 999.90
                       {{"buy: just below", ReasonCode::kInsufficientDepth},
                        [](OrderIntent&, MarketSnapshot& m, Timestamp&) {
                          m.ask = cents(10000);
                          m.ask_qty = milli(9'999);
                        }},
                       {{"buy: just above", ReasonCode::kNone},
                        [](OrderIntent&, MarketSnapshot& m, Timestamp&) {
                          m.ask = cents(10000);
                          m.ask_qty = milli(10'001);
                        }},
                       // A thin bid does not matter to a buy...
                       {{"buy: thin bid ignored", ReasonCode::kNone},
                        [](OrderIntent&, MarketSnapshot& m, Timestamp&) { m.bid_qty = milli(1); }},
                       // ...but does to a sell.
                       {{"sell: thin bid", ReasonCode::kInsufficientDepth},
                        [](OrderIntent& o, MarketSnapshot& m, Timestamp&) {
                          o.side = Side::kSell;
                          m.bid_qty = milli(1);
                        }},
                   });
}

TEST(ExecutionPolicyVolume, RecentVolumeBelowMinimumIsRejected) {
  ExecutionPolicyConfig c;
  c.min_recent_volume = units(5);
  const ExecutionPolicy policy(c);
  run_rows(policy, {
                       {{"just below", ReasonCode::kInsufficientVolume},
                        [](OrderIntent&, MarketSnapshot& m, Timestamp&) { m.recent_volume = milli(4'999); }},
                       {{"at", ReasonCode::kNone},
                        [](OrderIntent&, MarketSnapshot& m, Timestamp&) { m.recent_volume = units(5); }},
                       {{"just above", ReasonCode::kNone},
                        [](OrderIntent&, MarketSnapshot& m, Timestamp&) { m.recent_volume = milli(5'001); }},
                   });
}

TEST(ExecutionPolicyCollar, LimitFartherThanCollarFromReferenceIsRejected) {
  // 100 bps around the mid 100.00: limits within [99.00, 101.00] pass.
  ExecutionPolicyConfig c;
  c.collar_bps = 100;
  const ExecutionPolicy policy(c);
  run_rows(
      policy,
      {
          {{"buy at 100.99", ReasonCode::kNone},
           [](OrderIntent& o, MarketSnapshot&, Timestamp&) { o = limit_order(Side::kBuy, units(1), cents(10099)); }},
          {{"buy at 101.00", ReasonCode::kNone},
           [](OrderIntent& o, MarketSnapshot&, Timestamp&) { o = limit_order(Side::kBuy, units(1), cents(10100)); }},
          {{"buy at 101.01", ReasonCode::kPriceCollar},
           [](OrderIntent& o, MarketSnapshot&, Timestamp&) { o = limit_order(Side::kBuy, units(1), cents(10101)); }},
          {{"sell at 99.01", ReasonCode::kNone},
           [](OrderIntent& o, MarketSnapshot&, Timestamp&) { o = limit_order(Side::kSell, units(1), cents(9901)); }},
          {{"sell at 99.00", ReasonCode::kNone},
           [](OrderIntent& o, MarketSnapshot&, Timestamp&) { o = limit_order(Side::kSell, units(1), cents(9900)); }},
          {{"sell at 98.99", ReasonCode::kPriceCollar},
           [](OrderIntent& o, MarketSnapshot&, Timestamp&) { o = limit_order(Side::kSell, units(1), cents(9899)); }},
          // Without a book the reference is the last price (here 110.00): 101.01 is 8.2% away.
          {{"no book: last is the reference", ReasonCode::kPriceCollar},
           [](OrderIntent& o, MarketSnapshot& m, Timestamp&) {
             m = bars_only_market();
             m.last = cents(11000);
             o = limit_order(Side::kBuy, units(1), cents(10101));
           }},
          // Market orders have no limit to collar.
          {{"market order", ReasonCode::kNone}, [](OrderIntent&, MarketSnapshot&, Timestamp&) {}},
      });
}

TEST(ExecutionPolicyMaxOrder, NotionalAboveMaximumIsRejected) {
  // max 1,000 USD; a limit buy at 100.00 is valued at 100.00.
  ExecutionPolicyConfig c;
  c.max_order_notional = usd(1'000);
  const ExecutionPolicy policy(c);
  run_rows(
      policy,
      {
          {{"just below", ReasonCode::kNone},
           [](OrderIntent& o, MarketSnapshot&, Timestamp&) {
             o = limit_order(Side::kBuy, milli(9'999), cents(10000));
           }},
          {{"at", ReasonCode::kNone},
           [](OrderIntent& o, MarketSnapshot&, Timestamp&) { o = limit_order(Side::kBuy, units(10), cents(10000)); }},
          {{"just above", ReasonCode::kMaxOrderNotional},
           [](OrderIntent& o, MarketSnapshot&, Timestamp&) {
             o = limit_order(Side::kBuy, milli(10'001), cents(10000));
           }},
      });
}

TEST(ExecutionPolicyMaxOrder, QtyAboveMaximumIsRejected) {
  ExecutionPolicyConfig c;
  c.max_order_qty = units(10);
  const ExecutionPolicy policy(c);
  run_rows(policy,
           {
               {{"just below", ReasonCode::kNone},
                [](OrderIntent& o, MarketSnapshot&, Timestamp&) { o.qty = milli(9'999); }},
               {{"at", ReasonCode::kNone}, [](OrderIntent& o, MarketSnapshot&, Timestamp&) { o.qty = units(10); }},
               {{"just above", ReasonCode::kMaxOrderQty},
                [](OrderIntent& o, MarketSnapshot&, Timestamp&) { o.qty = milli(10'001); }},
           });
}

TEST(ExecutionPolicyPostOnly, WouldCrossIsRejected) {
  // Book 99.95 / 100.05. A post-only buy at or above the ask, or sell at or below the bid, would take.
  const ExecutionPolicy policy(ExecutionPolicyConfig{});
  auto post = [](Side side, std::int64_t price) {
    OrderIntent o = limit_order(side, units(1), cents(price));
    o.post_only = true;
    return o;
  };
  EXPECT_EQ(check(policy, post(Side::kBuy, 10000), base_market()), ReasonCode::kNone);
  EXPECT_EQ(check(policy, post(Side::kBuy, 10005), base_market()), ReasonCode::kPostOnlyWouldCross);
  EXPECT_EQ(check(policy, post(Side::kBuy, 10010), base_market()), ReasonCode::kPostOnlyWouldCross);
  EXPECT_EQ(check(policy, post(Side::kSell, 10000), base_market()), ReasonCode::kNone);
  EXPECT_EQ(check(policy, post(Side::kSell, 9995), base_market()), ReasonCode::kPostOnlyWouldCross);
  EXPECT_EQ(check(policy, post(Side::kSell, 9990), base_market()), ReasonCode::kPostOnlyWouldCross);
  // The same crossing buy without post-only is an ordinary marketable limit.
  EXPECT_EQ(check(policy, limit_order(Side::kBuy, units(1), cents(10010)), base_market()), ReasonCode::kNone);
}

TEST(ExecutionPolicyThrottle, PerInstrumentNWithinWindowThenThrottledThenFreeAgain) {
  // 3 orders per 1 s window. Sends at T0, T0+100ms, T0+200ms.
  ExecutionPolicyConfig c;
  c.max_orders_per_window = 3;
  c.throttle_window = Duration::from_seconds(1);
  ExecutionPolicy policy(c);
  const OrderIntent o = market_order(Side::kBuy, units(1));
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(check(policy, o, base_market(), at_ms(100 * i)), ReasonCode::kNone) << "order " << i + 1;
    policy.record_sent(o, o.qty, at_ms(100 * i));
  }
  EXPECT_EQ(check(policy, o, base_market(), at_ms(300)), ReasonCode::kThrottled);          // the 4th
  EXPECT_EQ(check(policy, o, base_market(), at_ns(999'999'999)), ReasonCode::kThrottled);  // window not over
  EXPECT_EQ(check(policy, o, base_market(), at_ms(1'000)), ReasonCode::kNone);             // T0 send left it
  // Another instrument has its own window.
  EXPECT_EQ(check(policy, market_order(Side::kBuy, units(1), "o-2", 2), base_market(), at_ms(300)), ReasonCode::kNone);
}

TEST(ExecutionPolicyThrottle, WindowSlidesWithEachSend) {
  ExecutionPolicyConfig c;
  c.max_orders_per_window = 2;
  ExecutionPolicy policy(c);
  const OrderIntent o = market_order(Side::kBuy, units(1));
  policy.record_sent(o, o.qty, at_ms(0));
  policy.record_sent(o, o.qty, at_ms(900));
  EXPECT_EQ(check(policy, o, base_market(), at_ms(999)), ReasonCode::kThrottled);
  ASSERT_EQ(check(policy, o, base_market(), at_ms(1'000)), ReasonCode::kNone);
  policy.record_sent(o, o.qty, at_ms(1'000));
  // Now the two latest are at 900 and 1000: free again at 1900.
  EXPECT_EQ(check(policy, o, base_market(), at_ms(1'899)), ReasonCode::kThrottled);
  EXPECT_EQ(check(policy, o, base_market(), at_ms(1'900)), ReasonCode::kNone);
}

TEST(ExecutionPolicyThrottle, AccountLimitIsFourTimesTheInstrumentLimit) {
  // 2 per instrument → 8 per account: 2 sends on each of instruments 1..4 fill the account.
  ExecutionPolicyConfig c;
  c.max_orders_per_window = 2;
  ExecutionPolicy policy(c);
  for (std::uint32_t inst = 1; inst <= 4; ++inst) {
    const OrderIntent o = market_order(Side::kBuy, units(1), "o-1", inst);
    for (int i = 0; i < 2; ++i) policy.record_sent(o, o.qty, at_ms(10 * inst + i));
  }
  const OrderIntent fifth = market_order(Side::kBuy, units(1), "o-5", 5);
  EXPECT_EQ(check(policy, fifth, base_market(), at_ms(100)), ReasonCode::kThrottled);
  // The oldest account send was at T0+10ms.
  EXPECT_EQ(check(policy, fifth, base_market(), at_ms(1'009)), ReasonCode::kThrottled);
  EXPECT_EQ(check(policy, fifth, base_market(), at_ms(1'010)), ReasonCode::kNone);
}

TEST(ExecutionPolicyThrottle, SevenAccountSendsLeaveRoomForAnEighth) {
  ExecutionPolicyConfig c;
  c.max_orders_per_window = 2;
  ExecutionPolicy policy(c);
  for (std::uint32_t inst = 1; inst <= 7; ++inst) {
    const OrderIntent o = market_order(Side::kBuy, units(1), "o-1", inst);
    policy.record_sent(o, o.qty, at_ms(inst));
  }
  EXPECT_EQ(check(policy, market_order(Side::kBuy, units(1), "o-8", 8), base_market(), at_ms(10)), ReasonCode::kNone);
}

TEST(ExecutionPolicyRepeats, IdenticalOrdersBeyondMaxRepeatsAreRejected) {
  // max 2 identical (side, qty, price) in a row within 60 s of the previous one.
  ExecutionPolicyConfig c;
  c.max_repeats = 2;
  c.repeat_window = Duration::from_seconds(60);
  ExecutionPolicy policy(c);
  const OrderIntent o = limit_order(Side::kBuy, units(1), cents(10000));
  policy.record_sent(o, o.qty, at_ms(0));
  ASSERT_EQ(check(policy, o, base_market(), at_ms(1'000)), ReasonCode::kNone);  // the 2nd is allowed
  policy.record_sent(o, o.qty, at_ms(1'000));
  EXPECT_EQ(check(policy, o, base_market(), at_ms(2'000)), ReasonCode::kRepeatedOrder);  // the 3rd is not
  // Anything different is not a repeat.
  EXPECT_EQ(check(policy, limit_order(Side::kBuy, milli(1'010), cents(10000)), base_market(), at_ms(2'000)),
            ReasonCode::kNone);
  EXPECT_EQ(check(policy, limit_order(Side::kSell, units(1), cents(10000)), base_market(), at_ms(2'000)),
            ReasonCode::kNone);
  EXPECT_EQ(check(policy, limit_order(Side::kBuy, units(1), cents(10005)), base_market(), at_ms(2'000)),
            ReasonCode::kNone);
  // 60 s after the last identical send the run is over.
  EXPECT_EQ(check(policy, o, base_market(), at_ns(61'000'000'000 - 1)), ReasonCode::kRepeatedOrder);
  EXPECT_EQ(check(policy, o, base_market(), at_ms(61'000)), ReasonCode::kNone);
}

TEST(ExecutionPolicyRepeats, ADifferentOrderInBetweenResetsTheRun) {
  ExecutionPolicyConfig c;
  c.max_repeats = 1;
  ExecutionPolicy policy(c);
  const OrderIntent a = limit_order(Side::kBuy, units(1), cents(10000));
  const OrderIntent b = limit_order(Side::kBuy, units(2), cents(10000));
  policy.record_sent(a, a.qty, at_ms(0));
  EXPECT_EQ(check(policy, a, base_market(), at_ms(1)), ReasonCode::kRepeatedOrder);
  policy.record_sent(b, b.qty, at_ms(2));
  EXPECT_EQ(check(policy, a, base_market(), at_ms(3)), ReasonCode::kNone);
}

TEST(ExecutionPolicyOff, EveryOptionalCheckIsOffWhenItsSettingIsZero) {
  ExecutionPolicyConfig c;  // all zero
  c.throttle_window = Duration::from_seconds(1);
  ExecutionPolicy policy(c);
  MarketSnapshot m = base_market();
  m.bid = cents(5000);  // 50% spread
  m.ask = cents(15000);
  m.bid_qty = milli(1);
  m.ask_qty = milli(1);
  m.recent_volume = Qty{};
  const OrderIntent o = limit_order(Side::kBuy, units(1'000'000), cents(14000));  // 40% off the mid, huge
  const Timestamp late = kT0 + Duration::from_seconds(3'600);                     // an hour old
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(check(policy, o, m, late), ReasonCode::kNone) << "order " << i;
    policy.record_sent(o, o.qty, late);  // no throttle, no repeat limit
  }
}

TEST(ExecutionPolicyNoBook, BookChecksAreSkippedWithoutABook) {
  ExecutionPolicyConfig c;
  c.max_spread_bps = 1;
  c.min_top_depth = usd(1'000'000);
  const ExecutionPolicy policy(c);
  OrderIntent post = limit_order(Side::kBuy, units(1), cents(10100));  // above last: would cross a book
  post.post_only = true;
  EXPECT_EQ(check(policy, post, bars_only_market()), ReasonCode::kNone);
  EXPECT_EQ(check(policy, market_order(Side::kSell, units(1)), bars_only_market()), ReasonCode::kNone);
  // The same with a book fails all three.
  const PolicyCheck with_book = policy.check(post, kInst, base_market(), post.limit_price, kT0);
  EXPECT_EQ(with_book.reason, ReasonCode::kSpreadTooWide);
  for (ReasonCode r : {ReasonCode::kSpreadTooWide, ReasonCode::kInsufficientDepth, ReasonCode::kPostOnlyWouldCross})
    EXPECT_NE(with_book.reasons_mask & (std::uint64_t{1} << static_cast<unsigned>(r)), 0u) << to_string(r);
}

TEST(ExecutionPolicyOrder, FirstFailingCheckIsReportedAndAllAreMasked) {
  ExecutionPolicyConfig c;
  c.max_data_age = Duration::from_ms(1);
  c.min_recent_volume = units(10'000);
  c.max_order_qty = units(1);
  const ExecutionPolicy policy(c);
  const PolicyCheck r = policy.check(market_order(Side::kBuy, units(2)), kInst, base_market(), cents(10005), at_ms(5));
  EXPECT_EQ(r.reason, ReasonCode::kStaleMarketData);
  for (ReasonCode code : {ReasonCode::kStaleMarketData, ReasonCode::kInsufficientVolume, ReasonCode::kMaxOrderQty})
    EXPECT_NE(r.reasons_mask & (std::uint64_t{1} << static_cast<unsigned>(code)), 0u) << to_string(code);
}

}  // namespace
}  // namespace cst
