// sma_cross: the crossing rule exactly as documented in sma_cross.hpp.
//   cross above at bar t:  fast[t-1] <= slow[t-1] and fast[t] > slow[t]  -> buy (when flat)
//   cross below at bar t:  fast[t-1] >= slow[t-1] and fast[t] < slow[t]  -> close a long
// fast[t] and slow[t] are plain means of the last `fast` / `slow` closes; no signal can come
// before both are defined on two consecutive bars. Long-only unless short=1.
//
// Closes here are whole numbers (price_decimals 0); each expected signal is worked out in the
// comments from the means.
#include "cst/strategy/sma_cross.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "cst/core/rng.hpp"

namespace cst {
namespace {

Instrument whole_units() {
  Instrument i;
  i.symbol = "TEST";
  i.price_decimals = 0;
  i.qty_decimals = 0;
  return i;
}

// A StrategyContext that records requests and lets the test set the account.
class FakeContext final : public StrategyContext {
 public:
  Timestamp now() const override { return now_; }
  const Instrument& instrument() const override { return inst_; }
  Qty position() const override { return position_; }
  Money equity() const override { return equity_; }
  Money cash() const override { return equity_; }
  bool has_open_orders() const override { return open_orders_; }
  SubmitResult submit(const OrderRequest& r) override {
    requests.push_back(Request{bar_index, r});
    return SubmitResult{true, ClientOrderId{}, r.qty, ReasonCode::kNone};
  }
  void cancel(const ClientOrderId&) override {}
  void set_timer(Timestamp) override {}

  struct Request {
    std::size_t bar;
    OrderRequest order;
  };
  std::vector<Request> requests;
  std::size_t bar_index = 0;
  Instrument inst_ = whole_units();
  Qty position_;
  Money equity_ = Money::from_raw(1'000'000'000'000);
  bool open_orders_ = false;
  Timestamp now_;
};

SmaCross make(int fast, int slow, bool allow_short = false, const std::string& size = "1") {
  std::map<std::string, std::string> params{{"fast", std::to_string(fast)}, {"slow", std::to_string(slow)}};
  if (allow_short) params["short"] = "1";
  auto sizing = Sizing::parse(size);
  EXPECT_TRUE(sizing.ok());
  auto p = SmaCrossParams::parse(params, *sizing);
  EXPECT_TRUE(p.ok()) << p.error().message;
  return SmaCross(*p);
}

Bar close_bar(std::size_t i, std::int64_t close) {
  return Bar{Timestamp::from_seconds(60 * static_cast<std::int64_t>(i)),
             Price::from_raw(close),
             Price::from_raw(close),
             Price::from_raw(close),
             Price::from_raw(close),
             Qty::from_raw(1)};
}

// Feeds closes one bar at a time; returns the bars at which any order was requested.
std::vector<std::size_t> feed(SmaCross& s, FakeContext& ctx, const std::vector<std::int64_t>& closes) {
  for (std::size_t i = 0; i < closes.size(); ++i) {
    ctx.bar_index = i;
    s.on_bar(ctx, close_bar(i, closes[i]));
  }
  std::vector<std::size_t> bars;
  for (const auto& r : ctx.requests) bars.push_back(r.bar);
  return bars;
}

TEST(SmaCross, NoSignalBeforeBothAveragesExistOnTwoBars) {
  // fast=2, slow=3. Closes 10, 10, 13, 13:
  //   bar 2: fast (10+13)/2 = 11.5, slow 33/3 = 11  -> above, but bar 1 has no slow mean
  //   bar 3: fast 13, slow 12                     -> above, and above before: no cross
  // A rule that treated "no previous bar" as "below" would buy at bar 2.
  SmaCross s = make(2, 3);
  FakeContext ctx;
  EXPECT_TRUE(feed(s, ctx, {10, 10, 13, 13}).empty());
}

TEST(SmaCross, CrossAboveBuysAtThatBarsClose) {
  // fast=2, slow=3. Closes 12, 11, 10, 10, 13:
  //   bar 2: fast 10.5, slow 11      -> below
  //   bar 3: fast 10,   slow 10.33.. -> below
  //   bar 4: fast 11.5, slow 11      -> above: cross above at bar 4
  SmaCross s = make(2, 3);
  FakeContext ctx;
  ASSERT_EQ(feed(s, ctx, {12, 11, 10, 10, 13}), (std::vector<std::size_t>{4}));
  const OrderRequest& r = ctx.requests[0].order;
  EXPECT_EQ(r.side, Side::kBuy);
  EXPECT_EQ(r.type, OrderType::kMarket);
  EXPECT_EQ(r.qty, Qty::from_raw(1));  // fixed size "1"
  EXPECT_FALSE(r.reduce_only);
}

TEST(SmaCross, EqualityOnThePreviousBarCountsAsNotAbove) {
  // fast=2, slow=3. Closes 10, 10, 10, 13:
  //   bar 2: fast 10 == slow 10      -> equal (not above)
  //   bar 3: fast 11.5 > slow 11     -> cross above at bar 3
  SmaCross s = make(2, 3);
  FakeContext ctx;
  EXPECT_EQ(feed(s, ctx, {10, 10, 10, 13}), (std::vector<std::size_t>{3}));
}

TEST(SmaCross, ReachingEqualityIsNotACrossButLeavingItUpwardIs) {
  // fast=2, slow=3. Closes 12, 11, 10, 12, 12:
  //   bar 2: fast 10.5 < slow 11                   -> below
  //   bar 3: fast (10+12)/2 = 11 == slow 33/3 = 11 -> equal: no signal
  //   bar 4: fast 12 > slow 34/3 = 11.33..          -> cross above at bar 4 (previous equal)
  SmaCross s = make(2, 3);
  FakeContext ctx;
  EXPECT_EQ(feed(s, ctx, {12, 11, 10, 12, 12}), (std::vector<std::size_t>{4}));
}

TEST(SmaCross, CrossBelowClosesALong) {
  // fast=2, slow=3, long 5 units. Closes 10, 11, 12, 9:
  //   bar 2: fast 11.5 > slow 11     -> above (first comparable bar: no signal)
  //   bar 3: fast 10.5 < slow 10.67  -> cross below at bar 3: sell the whole 5, reduce-only
  SmaCross s = make(2, 3);
  FakeContext ctx;
  ctx.position_ = Qty::from_raw(5);
  ASSERT_EQ(feed(s, ctx, {10, 11, 12, 9}), (std::vector<std::size_t>{3}));
  const OrderRequest& r = ctx.requests[0].order;
  EXPECT_EQ(r.side, Side::kSell);
  EXPECT_EQ(r.qty, Qty::from_raw(5));
  EXPECT_TRUE(r.reduce_only);
}

TEST(SmaCross, EqualityOnThePreviousBarCountsAsNotBelow) {
  // fast=2, slow=3, long. Closes 10, 10, 10, 7:
  //   bar 2: equal; bar 3: fast 8.5 < slow 9 -> cross below at bar 3
  SmaCross s = make(2, 3);
  FakeContext ctx;
  ctx.position_ = Qty::from_raw(1);
  EXPECT_EQ(feed(s, ctx, {10, 10, 10, 7}), (std::vector<std::size_t>{3}));
  EXPECT_EQ(ctx.requests[0].order.side, Side::kSell);
}

TEST(SmaCross, LongOnlyByDefaultIgnoresACrossBelowWhenFlat) {
  SmaCross s = make(2, 3);
  FakeContext ctx;  // flat
  EXPECT_TRUE(feed(s, ctx, {10, 11, 12, 9}).empty());
}

TEST(SmaCross, CrossAboveWhileAlreadyLongDoesNotAddToIt) {
  // Closes 12, 11, 10, 10, 13 cross above at bar 4 (see CrossAboveBuysAtThatBarsClose).
  SmaCross s = make(2, 3);
  FakeContext ctx;
  ctx.position_ = Qty::from_raw(1);
  EXPECT_TRUE(feed(s, ctx, {12, 11, 10, 10, 13}).empty());
}

TEST(SmaCross, ShortSellsOnACrossBelowWhenFlat) {
  SmaCross s = make(2, 3, /*allow_short=*/true);
  FakeContext ctx;
  ASSERT_EQ(feed(s, ctx, {10, 11, 12, 9}), (std::vector<std::size_t>{3}));
  const OrderRequest& r = ctx.requests[0].order;
  EXPECT_EQ(r.side, Side::kSell);
  EXPECT_EQ(r.qty, Qty::from_raw(1));
  EXPECT_FALSE(r.reduce_only);  // opens a short
}

TEST(SmaCross, ShortCoversOnACrossAboveAndGoesLong) {
  // Short 3 units; closes 12, 11, 10, 10, 13 cross above at bar 4: first a reduce-only buy of
  // 3 (cover), then the entry buy of the fixed size 1.
  SmaCross s = make(2, 3, /*allow_short=*/true);
  FakeContext ctx;
  ctx.position_ = Qty::from_raw(-3);
  ASSERT_EQ(feed(s, ctx, {12, 11, 10, 10, 13}), (std::vector<std::size_t>{4, 4}));
  EXPECT_EQ(ctx.requests[0].order.side, Side::kBuy);
  EXPECT_EQ(ctx.requests[0].order.qty, Qty::from_raw(3));
  EXPECT_TRUE(ctx.requests[0].order.reduce_only);
  EXPECT_EQ(ctx.requests[1].order.side, Side::kBuy);
  EXPECT_EQ(ctx.requests[1].order.qty, Qty::from_raw(1));
  EXPECT_FALSE(ctx.requests[1].order.reduce_only);
}

TEST(SmaCross, ShortClosesALongAndSellsShortOnACrossBelow) {
  SmaCross s = make(2, 3, /*allow_short=*/true);
  FakeContext ctx;
  ctx.position_ = Qty::from_raw(2);
  ASSERT_EQ(feed(s, ctx, {10, 11, 12, 9}), (std::vector<std::size_t>{3, 3}));
  EXPECT_EQ(ctx.requests[0].order.qty, Qty::from_raw(2));
  EXPECT_TRUE(ctx.requests[0].order.reduce_only);
  EXPECT_EQ(ctx.requests[1].order.side, Side::kSell);
  EXPECT_EQ(ctx.requests[1].order.qty, Qty::from_raw(1));
  EXPECT_FALSE(ctx.requests[1].order.reduce_only);
}

TEST(SmaCross, NoNewOrderWhileOneIsStillWorking) {
  SmaCross s = make(2, 3);
  FakeContext ctx;
  ctx.open_orders_ = true;
  EXPECT_TRUE(feed(s, ctx, {12, 11, 10, 10, 13}).empty());
}

TEST(SmaCross, PercentSizingAsksForTheSizingQuantityAtTheClose) {
  // size 10% of equity 10,000 at close 13, no fee: budget 1,000 -> floor(1,000 / 13) = 76.
  SmaCross s = make(2, 3, false, "10%");
  FakeContext ctx;
  ctx.equity_ = Money::from_raw(10'000 * 100'000'000LL);
  ASSERT_EQ(feed(s, ctx, {12, 11, 10, 10, 13}), (std::vector<std::size_t>{4}));
  EXPECT_EQ(ctx.requests[0].order.qty, Qty::from_raw(76));
}

TEST(SmaCross, SizeThatCannotBeOrderedIsAnError) {
  // A fixed size finer than the instrument's lot cannot be sent; the strategy reports it (the
  // engine stops a strategy that throws) instead of silently trading nothing or a rounded size.
  SmaCross s = make(2, 3, false, "0.5");  // whole units only
  FakeContext ctx;
  std::vector<std::int64_t> closes = {12, 11, 10, 10, 13};
  for (std::size_t i = 0; i + 1 < closes.size(); ++i) s.on_bar(ctx, close_bar(i, closes[i]));
  EXPECT_THROW(s.on_bar(ctx, close_bar(4, 13)), std::runtime_error);
  EXPECT_TRUE(ctx.requests.empty());
}

// A separate, obviously correct reference: recompute both means from scratch on every bar and
// compare them exactly as fractions (fast_sum * slow vs slow_sum * fast).
std::vector<std::size_t> reference_crosses(const std::vector<std::int64_t>& c, int fast, int slow) {
  std::vector<std::size_t> out;
  auto sign_at = [&](std::size_t t) {
    std::int64_t fs = 0, ss = 0;
    for (std::size_t k = t + 1 - static_cast<std::size_t>(fast); k <= t; ++k) fs += c[k];
    for (std::size_t k = t + 1 - static_cast<std::size_t>(slow); k <= t; ++k) ss += c[k];
    const std::int64_t lhs = fs * slow, rhs = ss * fast;
    return lhs > rhs ? 1 : (lhs < rhs ? -1 : 0);
  };
  for (std::size_t t = static_cast<std::size_t>(slow); t < c.size(); ++t) {
    const int before = sign_at(t - 1), now = sign_at(t);
    if ((before <= 0 && now > 0) || (before >= 0 && now < 0)) out.push_back(t);
  }
  return out;
}

TEST(SmaCross, MatchesABruteForceReferenceOnRandomWalks) {
  // Random walks on a coarse grid produce many ties (equal means). With allow_short and the
  // position fixed flat, every cross above buys and every cross below sells short, so the
  // bars with orders are exactly the crossing bars.
  Rng rng(2024);
  for (int trial = 0; trial < 50; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    const int fast = 1 + static_cast<int>(rng.next_u64() % 5);
    const int slow = fast + 1 + static_cast<int>(rng.next_u64() % 7);
    std::vector<std::int64_t> closes;
    std::int64_t price = 100;
    for (int i = 0; i < 200; ++i) {
      price += static_cast<std::int64_t>(rng.next_u64() % 3) - 1;  // -1, 0, +1
      if (price < 1) price = 1;
      closes.push_back(price);
    }
    SmaCross s = make(fast, slow, /*allow_short=*/true);
    FakeContext ctx;
    EXPECT_EQ(feed(s, ctx, closes), reference_crosses(closes, fast, slow)) << "fast=" << fast << " slow=" << slow;
  }
}

}  // namespace
}  // namespace cst
