// SimVenue paper-fill knobs (DESIGN.md section 6): slippage, spread, partial fills and latency
// are all off by default; when on, they move fills by exact amounts and are deterministic for
// a seed.
//
// Units (engine_fixtures.hpp): price raw 12'345 = 123.45, qty raw 1'000 = 1.000.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "cst/venues/sim_venue.hpp"
#include "support/engine_fixtures.hpp"
#include "support/engine_venue_rig.hpp"

namespace cst {
namespace {

using namespace testing_support;

TEST(SimVenueKnobs, AllKnobsAreOffByDefault) {
  const SimVenueConfig c;
  EXPECT_EQ(c.timing, FillTiming::kNextOpen);
  EXPECT_FALSE(c.allow_short);
  EXPECT_EQ(c.model.slippage_bps, 0);
  EXPECT_EQ(c.model.spread_bps, 0);
  EXPECT_EQ(c.model.partial_probability, 0.0);
  EXPECT_EQ(c.model.latency.ns, 0);
}

TEST(SimVenueKnobs, DefaultConfigFillsMarketOrdersAtTheRawOpenInFull) {
  VenueRig rig;
  rig.bar(minute_bar(0, 12'300, 12'400, 12'200, 12'340));
  rig.market(Side::kBuy, qty(1'777));
  rig.bar(minute_bar(1, 12'345, 12'400, 12'300, 12'350));
  rig.market(Side::kSell, qty(1'777));
  rig.bar(minute_bar(2, 12'347, 12'400, 12'300, 12'350));
  const auto fills = rig.fills();
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(fills[0].price, px(12'345));  // no slippage, no half-spread
  EXPECT_EQ(fills[0].qty, qty(1'777));    // no partial fill
  EXPECT_EQ(fills[1].price, px(12'347));
  EXPECT_EQ(fills[1].qty, qty(1'777));
}

// A market order pays slippage_bps + spread_bps / 2 against the reference (the open in
// next-open mode), rounded to the tick against the trader: up for buys, down for sells.
struct CostCase {
  const char* what;
  std::int64_t slippage_bps, spread_bps, tick;
  std::int64_t buy, sell;  // expected fill prices (raw) for a 123.45 open
};

TEST(SimVenueKnobs, SlippageAndSpreadMoveMarketFillsByExactBps) {
  const CostCase cases[] = {
      // 12,345 x 1.0005 = 12,351.1725 -> up 12,352;   12,345 x 0.9995 = 12,338.8275 -> down 12,338
      {"slippage 5 bps", 5, 0, 1, 12'352, 12'338},
      // half of 2 bps = 1 bp: 12,346.2345 -> 12,347;  12,343.7655 -> 12,343
      {"spread 2 bps (half paid)", 0, 2, 1, 12'347, 12'343},
      // 5 + 1 = 6 bps: 12,352.407 -> 12,353;          12,337.593 -> 12,337
      {"slippage 5 + spread 2", 5, 2, 1, 12'353, 12'337},
      // Same 6 bps on a 0.05 tick: 12,352.407 -> 12,355; 12,337.593 -> 12,335
      {"slippage 5 + spread 2 on a 0.05 tick", 5, 2, 5, 12'355, 12'335},
      // Odd spread: 3 bps -> 1.5 bps: 12,345 x 1.00015 = 12,346.85175 -> 12,347; 12,343.14825 -> 12,343
      {"spread 3 bps (1.5 bps paid)", 0, 3, 1, 12'347, 12'343},
      // Knobs off: the raw open.
      {"no costs", 0, 0, 1, 12'345, 12'345},
  };
  for (const CostCase& c : cases) {
    SCOPED_TRACE(c.what);
    SimVenueConfig config;
    config.model.slippage_bps = c.slippage_bps;
    config.model.spread_bps = c.spread_bps;
    config.allow_short = true;
    Instrument inst = test_instrument();
    inst.tick_size = px(c.tick);
    VenueRig rig(config, inst);
    rig.bar(minute_bar(0, 12'300, 12'400, 12'200, 12'300));
    rig.market(Side::kBuy, qty(1'000));
    rig.market(Side::kSell, qty(1'000));
    rig.open(minute_bar(1, 12'345, 12'400, 12'300, 12'350));
    const auto fills = rig.fills();
    ASSERT_EQ(fills.size(), 2u);
    EXPECT_EQ(fills[0].side, Side::kBuy);
    EXPECT_EQ(fills[0].price, px(c.buy));
    EXPECT_EQ(fills[1].side, Side::kSell);
    EXPECT_EQ(fills[1].price, px(c.sell));
  }
}

TEST(SimVenueKnobs, CostsInThisCloseModeApplyToTheClose) {
  SimVenueConfig config;
  config.timing = FillTiming::kThisClose;
  config.model.slippage_bps = 5;  // close 100.00 -> buy 100.05 exactly (no rounding)
  VenueRig rig(config);
  rig.bar(minute_bar(0, 9'900, 10'100, 9'800, 10'000));
  rig.market(Side::kBuy, qty(1'000));
  const auto fills = rig.fills();
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].price, px(10'005));
}

TEST(SimVenueKnobs, LimitOrdersPayNoSlippage) {
  SimVenueConfig config;
  config.model.slippage_bps = 5;
  config.model.spread_bps = 2;
  VenueRig rig(config);
  rig.bar(minute_bar(0, 10'100, 10'150, 10'050, 10'100));
  rig.limit(Side::kBuy, qty(1'000), px(10'000));
  rig.open(minute_bar(1, 10'050, 10'080, 9'990, 10'000));
  const auto fills = rig.fills();
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].price, px(10'000));  // the limit, not worsened
}

TEST(SimVenueKnobs, CertainPartialFillsHalveTheRemainderEachBar) {
  // Probability 1, ratio 0.5: each eligible bar fills floor(remaining / 2) on the 0.001 lot,
  // and when half rounds to zero the last lot. 1.000 fills as
  //   500, 250, 125, 62 (62.5 down), 31 (of 63), 16 (of 32), 8, 4, 2, 1 (of 2), 1 (last lot)
  // = 1,000 in 11 bars, each at that bar's open.
  SimVenueConfig config;
  config.model.partial_probability = 1.0;
  config.model.partial_ratio = 0.5;
  VenueRig rig(config);
  rig.bar(minute_bar(0, 10'000, 10'010, 9'990, 10'000));
  const ClientOrderId id = rig.market(Side::kBuy, qty(1'000));
  for (int i = 1; i <= 12; ++i) rig.bar(minute_bar(i, 10'000 + i, 10'100, 9'900, 10'000));
  const std::vector<std::int64_t> expected = {500, 250, 125, 62, 31, 16, 8, 4, 2, 1, 1};
  const auto fills = rig.fills();
  ASSERT_EQ(fills.size(), expected.size());
  std::int64_t total = 0;
  for (std::size_t i = 0; i < fills.size(); ++i) {
    SCOPED_TRACE("fill " + std::to_string(i));
    EXPECT_EQ(fills[i].client_order_id, id);
    EXPECT_EQ(fills[i].qty.raw, expected[i]);
    EXPECT_EQ(fills[i].price, px(10'000 + static_cast<std::int64_t>(i) + 1));  // bar i+1's open
    total += fills[i].qty.raw;
  }
  EXPECT_EQ(total, 1'000);
  EXPECT_EQ(rig.venue().working_orders(), 0u);
}

// Runs a fixed script of orders through a venue with random partial fills.
std::vector<ExecutionReport> partial_script(std::uint64_t seed) {
  SimVenueConfig config;
  config.model.partial_probability = 0.3;
  config.model.partial_ratio = 0.4;
  config.model.seed = seed;
  VenueRig rig(config);
  for (int i = 0; i < 40; ++i) {
    rig.bar(minute_bar(i, 10'000 + i, 10'100 + i, 9'900 + i, 10'000 + i));
    if (i % 5 == 0) rig.market(Side::kBuy, qty(1'000 + i));
  }
  return rig.fills();
}

TEST(SimVenueKnobs, PartialFillsAreDeterministicForASeedAndSumToTheOrder) {
  const auto a = partial_script(42);
  const auto b = partial_script(42);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE("fill " + std::to_string(i));
    EXPECT_EQ(a[i].client_order_id, b[i].client_order_id);
    EXPECT_EQ(a[i].qty, b[i].qty);
    EXPECT_EQ(a[i].price, b[i].price);
    EXPECT_EQ(a[i].time, b[i].time);
  }
  // 8 orders (bars 0, 5, ..., 35) of 1,000 + i lots each; every one fills completely within
  // the 40 bars, and with probability 0.3 some fill in more than one piece.
  std::map<std::string, std::int64_t> per_order;
  for (const auto& f : a) per_order[f.client_order_id.str()] += f.qty.raw;
  ASSERT_EQ(per_order.size(), 8u);
  std::int64_t expected_total = 0;
  for (int i = 0; i < 40; i += 5) expected_total += 1'000 + i;
  std::int64_t total = 0;
  for (const auto& [id, q] : per_order) total += q;
  EXPECT_EQ(total, expected_total);
  EXPECT_GT(a.size(), per_order.size());  // at least one order was split
}

struct LatencyCase {
  Duration latency;
  int fill_bar;  // index of the bar whose open fills an order sent at bar 0's close
};

TEST(SimVenueKnobs, LatencyDelaysEligibility) {
  // Sent at bar 0's close = kT0 + 60 s; eligible from kT0 + 60 s + latency. Bar i opens at
  // kT0 + 60 s x i and matches orders eligible at or before its open.
  const LatencyCase cases[] = {
      {Duration{}, 1},                  // eligible at bar 1's open
      {Duration::from_ms(50), 2},       // 60.05 s > 60 s: misses bar 1, fills at bar 2
      {Duration::from_seconds(60), 2},  // eligible exactly at bar 2's open (120 s)
      {Duration::from_seconds(61), 3},  // 121 s: misses bar 2
  };
  for (const LatencyCase& c : cases) {
    SCOPED_TRACE("latency ns " + std::to_string(c.latency.ns));
    SimVenueConfig config;
    config.model.latency = c.latency;
    VenueRig rig(config);
    rig.bar(minute_bar(0, 10'000, 10'100, 9'900, 10'000));
    rig.market(Side::kBuy, qty(1'000));
    for (int i = 1; i <= 4; ++i) rig.bar(minute_bar(i, 10'000 + i * 10, 10'100 + i * 10, 9'900, 10'000));
    const auto fills = rig.fills();
    ASSERT_EQ(fills.size(), 1u);
    EXPECT_EQ(fills[0].time, kT0 + Duration{kMinute.ns * c.fill_bar});
    EXPECT_EQ(fills[0].price, px(10'000 + c.fill_bar * 10));
  }
}

TEST(SimVenueKnobs, LatencyAlsoDelaysThisCloseFills) {
  SimVenueConfig config;
  config.timing = FillTiming::kThisClose;
  config.model.latency = Duration::from_ms(50);
  VenueRig rig(config);
  rig.bar(minute_bar(0, 10'000, 10'100, 9'900, 10'000));
  rig.market(Side::kBuy, qty(1'000));
  EXPECT_TRUE(rig.fills().empty());  // not at bar 0's close: the order is still in flight
  rig.bar(minute_bar(1, 10'010, 10'100, 9'900, 10'020));
  rig.bar(minute_bar(2, 10'030, 10'100, 9'900, 10'040));
  const auto fills = rig.fills();
  ASSERT_EQ(fills.size(), 1u);
  // Eligible at 60.05 s, i.e. during bar 1: it fills at bar 1's close 100.20 (or later), never
  // at bar 0's close.
  EXPECT_GE(fills[0].time, kT0 + kMinute + Duration::from_ms(50));
}

}  // namespace
}  // namespace cst
