// Shared by the PaperExchange tests: a bar pair with easy numbers, an exchange config on the
// test instrument, NewOrder builders, open/place/query helpers that fail the test on error, and
// a seeded script (bars + orders, every fill knob on) for the parity and restart tests.
//
// Units (engine_fixtures.hpp): price raw 10'000 = 100.00, qty raw 1'000 = 1.000, Money raw 1e-8
// (kMoneyUnit = 1.00). Notional raw = price raw x qty raw x 1000. Fees: maker 2 bps, taker 10 bps.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "cst/venues/paper_exchange.hpp"
#include "support/engine_fixtures.hpp"

namespace cst::testing_support {

// bar 0: O 100.00 H 102.00 L 99.00 C 101.00; bar 1: O 101.50 H 103.00 L 100.50 C 102.50.
inline const Bar kBar0 = minute_bar(0, 10'000, 10'200, 9'900, 10'100);
inline const Bar kBar1 = minute_bar(1, 10'150, 10'300, 10'050, 10'250);
inline const Money kCash = Money::from_raw(10'000 * kMoneyUnit);

inline Timestamp close_of(const Bar& b) { return b.time + kMinute; }
inline ClientOrderId cid(const std::string& text) { return *ClientOrderId::parse(text); }

inline PaperExchangeConfig config_with(FillModel model = {}, Money cash = kCash, Instrument inst = test_instrument()) {
  PaperExchangeConfig c;
  c.instrument = std::move(inst);
  c.starting_cash = cash;
  c.model = model;
  return c;
}

inline NewOrder market(const std::string& id, Side side, Qty q) {
  return NewOrder{cid(id), side, OrderType::kMarket, q, {}};
}
inline NewOrder limit(const std::string& id, Side side, Qty q, Price p, bool post_only = false) {
  return NewOrder{cid(id), side, OrderType::kLimit, q, p, post_only};
}

inline std::unique_ptr<PaperExchange> open_ok(const std::string& path, const PaperExchangeConfig& config) {
  auto ex = PaperExchange::open(path, config);
  EXPECT_TRUE(ex.ok()) << ex.error().message;
  return ex.ok() ? std::move(*ex) : nullptr;
}

inline VenueOrder place_ok(PaperExchange& ex, const NewOrder& order, Timestamp now) {
  auto placed = ex.place(order, now);
  EXPECT_TRUE(placed.ok()) << placed.error().message;
  return placed.ok() ? *placed : VenueOrder{};
}

inline std::vector<VenueFill> all_fills(const PaperExchange& ex) {
  auto fills = ex.fills_after(0);
  EXPECT_TRUE(fills.ok()) << fills.error().message;
  return fills.ok() ? *fills : std::vector<VenueFill>{};
}

inline VenueOrder queried(const PaperExchange& ex, const std::string& id) {
  auto q = ex.query(cid(id));
  EXPECT_TRUE(q.ok() && q->has_value()) << "order " << id;
  return q.ok() && q->has_value() ? **q : VenueOrder{};
}

// A seeded run with every knob on: orders every few bars, some partial, some limits.
struct Script {
  std::vector<Bar> bars;
  FillModel model;
  Script() {
    model.slippage_bps = 5;
    model.spread_bps = 2;
    model.partial_probability = 0.4;
    model.partial_ratio = 0.5;
    model.latency = Duration::from_ms(50);
    model.seed = 11;
    Rng walk(2024);
    std::int64_t close = 10'000;
    for (int i = 0; i < 60; ++i) {
      const std::int64_t open = close;
      close = open + static_cast<std::int64_t>(walk.next_u64() % 101) - 50;
      const std::int64_t hi = std::max(open, close) + static_cast<std::int64_t>(walk.next_u64() % 30);
      const std::int64_t lo = std::min(open, close) - static_cast<std::int64_t>(walk.next_u64() % 30);
      bars.push_back(minute_bar(i, open, hi, lo, close));
    }
  }
  // The orders decided at bar i's close (ids are t-<n>, as the gateway harness numbers them).
  template <class Send>
  void orders_at(int i, int& next_id, Send send) const {
    const Bar& b = bars[static_cast<std::size_t>(i)];
    auto id = [&] { return "t-" + std::to_string(next_id++); };
    if (i % 3 == 0) send(market(id(), Side::kBuy, qty(1'000)));
    if (i % 5 == 1) send(market(id(), Side::kSell, qty(1'500)));  // at times more than held
    if (i % 4 == 2) send(limit(id(), Side::kBuy, qty(2'000), px(b.close.raw - 30)));
    if (i % 7 == 3) send(limit(id(), Side::kSell, qty(900), px(b.close.raw + 25)));
  }
};

inline bool same_fill(const VenueFill& a, const VenueFill& b) {
  return a.trade_id == b.trade_id && a.client_order_id == b.client_order_id && a.side == b.side && a.qty == b.qty &&
         a.price == b.price && a.fee == b.fee && a.maker == b.maker && a.time == b.time;
}

}  // namespace cst::testing_support
