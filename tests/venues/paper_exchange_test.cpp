// PaperExchange: an exchange with its own SQLite file. It acknowledges, matches exactly like
// SimVenue's next-open mode (same reports for the same bars, orders and seeded knobs), charges
// exact maker/taker fees, settles against its own spot balances, rejects invalid orders with a
// reason, cancels, answers queries, and lets drills change its books without a report.
// What survives a restart, and which files it refuses: paper_exchange_restart_test.cpp.
//
// Units and bars: paper_exchange_fixtures.hpp.
#include "cst/venues/paper_exchange.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/engine_fixtures.hpp"
#include "support/engine_venue_rig.hpp"
#include "venues/paper_exchange_fixtures.hpp"

namespace cst {
namespace {

using namespace testing_support;

TEST(PaperExchange, PlaceIsAcknowledgedAndFillsAtTheNextBarsOpenWithTheTakerFee) {
  TempDir dir;
  auto ex = open_ok(dir.file("px.db"), config_with());
  ASSERT_TRUE(ex->on_bar(kBar0).ok());
  const VenueOrder placed = place_ok(*ex, market("a", Side::kBuy, qty(1'000)), close_of(kBar0));
  EXPECT_EQ(placed.venue_order_id.view(), "PX-1");
  EXPECT_EQ(placed.status, VenueOrderStatus::kOpen);

  auto acks = ex->take_reports();
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].kind, ExecKind::kAccepted);
  EXPECT_EQ(acks[0].venue_order_id.view(), "PX-1");
  EXPECT_EQ(acks[0].time, close_of(kBar0));

  ASSERT_TRUE(ex->on_bar(kBar1).ok());
  auto fills = ex->take_reports();
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].kind, ExecKind::kFilled);
  EXPECT_EQ(fills[0].price, px(10'150));  // bar 1's open
  EXPECT_EQ(fills[0].qty, qty(1'000));
  EXPECT_EQ(fills[0].fee, money(10'150'000));  // 10 bps of 101.50 = 0.1015
  EXPECT_FALSE(fills[0].maker);
  EXPECT_EQ(fills[0].trade_id, 1u);
  EXPECT_EQ(fills[0].time, kBar1.time);

  EXPECT_EQ(queried(*ex, "a").status, VenueOrderStatus::kFilled);
  auto b = ex->balances();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->cash, kCash - money(10'150'000'000) - money(10'150'000));
  EXPECT_EQ(b->base, qty(1'000));
}

TEST(PaperExchange, RestingLimitNeedsTheBarToTradeThroughAndPaysTheMakerFee) {
  TempDir dir;
  auto ex = open_ok(dir.file("px.db"), config_with());
  ASSERT_TRUE(ex->on_bar(kBar0).ok());  // close 101.00: a buy at 100.00 rests
  place_ok(*ex, limit("a", Side::kBuy, qty(1'000), px(10'000)), close_of(kBar0));
  ASSERT_TRUE(ex->on_bar(minute_bar(1, 10'050, 10'080, 10'000, 10'050)).ok());  // low touches 100.00
  EXPECT_TRUE(all_fills(*ex).empty());
  ASSERT_TRUE(ex->on_bar(minute_bar(2, 10'050, 10'080, 9'999, 10'050)).ok());  // low 99.99: through
  const auto fills = all_fills(*ex);
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].price, px(10'000));
  EXPECT_TRUE(fills[0].maker);
  EXPECT_EQ(fills[0].fee, money(2'000'000));  // 2 bps of 100.00
}

TEST(PaperExchange, PartialFillLeavesTheRestWorkingForLaterBars) {
  FillModel model;
  model.partial_probability = 1.0;  // every match is partial: half the rest
  model.partial_ratio = 0.5;
  TempDir dir;
  auto ex = open_ok(dir.file("px.db"), config_with(model));
  place_ok(*ex, market("a", Side::kBuy, qty(1'000)), kT0);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(ex->on_bar(minute_bar(i, 10'000, 10'100, 9'900, 10'000)).ok());
  const auto fills = all_fills(*ex);
  ASSERT_EQ(fills.size(), 3u);
  EXPECT_EQ(fills[0].qty, qty(500));
  EXPECT_EQ(fills[1].qty, qty(250));
  EXPECT_EQ(fills[2].qty, qty(125));
  const VenueOrder a = queried(*ex, "a");
  EXPECT_EQ(a.status, VenueOrderStatus::kPartiallyFilled);
  EXPECT_EQ(a.filled, qty(875));
  auto open = ex->open_orders();
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->at(0).remaining(), qty(125));
}

TEST(PaperExchange, FillThatCannotSettleRejectsOrCancelsTheRest) {
  // Cash for 1.000 at 100.00 plus fee, not for 2.000: the second half cannot settle.
  FillModel model;
  model.partial_probability = 1.0;
  TempDir dir;
  auto ex = open_ok(dir.file("px.db"), config_with(model, money(150 * kMoneyUnit)));
  place_ok(*ex, market("s", Side::kSell, qty(1'000)), kT0);  // holds nothing yet
  place_ok(*ex, market("a", Side::kBuy, qty(2'000)), kT0);
  ASSERT_TRUE(ex->on_bar(minute_bar(0, 10'000, 10'100, 9'900, 10'000)).ok());  // a: 1.000 of 2.000
  ASSERT_TRUE(ex->on_bar(minute_bar(1, 10'000, 10'100, 9'900, 10'000)).ok());  // a: 0.500 more? 49.90 left
  const auto reports = ex->take_reports();
  ASSERT_EQ(reports.size(), 5u);  // 2 acks, s rejected, a filled 1.000, a's rest cancelled
  EXPECT_EQ(reports[2].kind, ExecKind::kRejected);
  EXPECT_EQ(reports[2].client_order_id, cid("s"));
  EXPECT_EQ(reports[2].reason_view(), "insufficient_position_at_fill");
  EXPECT_EQ(reports[3].kind, ExecKind::kFilled);
  EXPECT_EQ(reports[3].qty, qty(1'000));
  EXPECT_EQ(reports[4].kind, ExecKind::kCancelled);
  EXPECT_EQ(reports[4].reason_view(), "insufficient_funds_at_fill");
  EXPECT_EQ(queried(*ex, "a").status, VenueOrderStatus::kCancelled);
  EXPECT_EQ(queried(*ex, "a").filled, qty(1'000));
  EXPECT_EQ(queried(*ex, "s").status, VenueOrderStatus::kRejected);
}

TEST(PaperExchange, InvalidOrdersAreStoredAsRejectedWithAReason) {
  Instrument inst = test_instrument();
  inst.tick_size = px(5);   // 0.05
  inst.lot_step = qty(10);  // 0.010
  struct Case {
    NewOrder order;
    const char* reason;
  };
  const Case cases[] = {
      {market("zero", Side::kBuy, qty(0)), "qty_not_positive"},
      {market("lot", Side::kBuy, qty(1'005)), "qty_off_lot_grid"},
      {limit("tick", Side::kBuy, qty(1'000), px(10'001)), "price_off_tick_grid"},
      {limit("noprice", Side::kBuy, qty(1'000), px(0)), "price_not_positive"},
      {NewOrder{cid("pomkt"), Side::kBuy, OrderType::kMarket, qty(1'000), {}, true}, "post_only_market"},
      {limit("pocross", Side::kBuy, qty(1'000), px(10'100), true), "post_only_would_cross"},  // at the close
  };
  TempDir dir;
  auto ex = open_ok(dir.file("px.db"), config_with({}, kCash, inst));
  ASSERT_TRUE(ex->on_bar(kBar0).ok());  // close 101.00
  for (const Case& c : cases) {
    SCOPED_TRACE(c.reason);
    const VenueOrder o = place_ok(*ex, c.order, close_of(kBar0));
    EXPECT_EQ(o.status, VenueOrderStatus::kRejected);
    EXPECT_EQ(o.reason, c.reason);
    const auto reports = ex->take_reports();
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].kind, ExecKind::kRejected);
    EXPECT_EQ(reports[0].reason_view(), c.reason);
    EXPECT_EQ(queried(*ex, c.order.client_order_id.str()).status, VenueOrderStatus::kRejected);
  }
  // A post-only limit that does not cross rests.
  EXPECT_EQ(place_ok(*ex, limit("porest", Side::kBuy, qty(1'000), px(10'095), true), close_of(kBar0)).status,
            VenueOrderStatus::kOpen);
  auto open = ex->open_orders();
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(open->size(), 1u);
}

TEST(PaperExchange, MatchesExactlyLikeSimVenueInNextOpenMode) {
  // Same bars, same orders, same knobs: the same reports (except the venue's own order ids).
  const Script script;
  SimVenueConfig sim_config;
  sim_config.model = script.model;
  VenueRig rig(sim_config, test_instrument(), money(100'000 * kMoneyUnit));
  TempDir dir;
  auto ex = open_ok(dir.file("px.db"), config_with(script.model, money(100'000 * kMoneyUnit)));
  std::vector<ExecutionReport> paper;
  int sim_id = 1, paper_id = 1;
  for (int i = 0; i < static_cast<int>(script.bars.size()); ++i) {
    const Bar& b = script.bars[static_cast<std::size_t>(i)];
    rig.bar(b);
    ASSERT_TRUE(ex->on_bar(b).ok());
    script.orders_at(i, sim_id, [&](const NewOrder& o) {
      rig.send(rig.gateway().approve(rig.instrument(), o.side, o.type, o.qty, o.limit_price));
    });
    script.orders_at(i, paper_id, [&](const NewOrder& o) { place_ok(*ex, o, close_of(b)); });
    for (const ExecutionReport& r : ex->take_reports()) paper.push_back(r);
  }
  const auto& sim = rig.reports();
  ASSERT_EQ(paper.size(), sim.size());
  int fills = 0, refusals = 0;
  for (std::size_t i = 0; i < sim.size(); ++i) {
    SCOPED_TRACE("report " + std::to_string(i));
    EXPECT_EQ(paper[i].kind, sim[i].kind);
    EXPECT_EQ(paper[i].client_order_id, sim[i].client_order_id);
    EXPECT_EQ(paper[i].time, sim[i].time);
    EXPECT_EQ(paper[i].qty, sim[i].qty);
    EXPECT_EQ(paper[i].price, sim[i].price);
    EXPECT_EQ(paper[i].fee, sim[i].fee);
    EXPECT_EQ(paper[i].maker, sim[i].maker);
    EXPECT_EQ(paper[i].trade_id, sim[i].trade_id);
    EXPECT_EQ(paper[i].reason_view(), sim[i].reason_view());
    fills += sim[i].kind == ExecKind::kFilled;
    refusals += sim[i].kind == ExecKind::kRejected || sim[i].kind == ExecKind::kCancelled;
  }
  EXPECT_GT(fills, 20);
  EXPECT_GT(refusals, 0);  // spot sells without holdings: the settlement rule is compared too
}

TEST(PaperExchange, CancelEndsOnlyAWorkingOrder) {
  TempDir dir;
  auto ex = open_ok(dir.file("px.db"), config_with());
  ASSERT_TRUE(ex->on_bar(kBar0).ok());
  place_ok(*ex, limit("a", Side::kBuy, qty(1'000), px(9'000)), close_of(kBar0));
  place_ok(*ex, market("m", Side::kBuy, qty(1'000)), close_of(kBar0));
  ASSERT_TRUE(ex->on_bar(kBar1).ok());  // m fills
  (void)ex->take_reports();

  ASSERT_TRUE(ex->cancel(cid("a"), close_of(kBar1), "cancel_request").ok());
  const auto reports = ex->take_reports();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].kind, ExecKind::kCancelled);
  EXPECT_EQ(reports[0].reason_view(), "cancel_request");
  EXPECT_EQ(queried(*ex, "a").status, VenueOrderStatus::kCancelled);
  EXPECT_EQ(queried(*ex, "a").reason, "cancel_request");

  for (const char* id : {"a", "m", "never-sent"}) {
    SCOPED_TRACE(id);
    Status again = ex->cancel(cid(id), close_of(kBar1), "cancel_request");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  }
  EXPECT_TRUE(ex->take_reports().empty());
}

TEST(PaperExchange, CancelAllCancelsEveryWorkingOrderAndNothingElse) {
  TempDir dir;
  auto ex = open_ok(dir.file("px.db"), config_with());
  ASSERT_TRUE(ex->on_bar(kBar0).ok());
  place_ok(*ex, limit("a", Side::kBuy, qty(1'000), px(9'000)), close_of(kBar0));
  place_ok(*ex, limit("b", Side::kBuy, qty(1'000), px(9'100)), close_of(kBar0));
  place_ok(*ex, market("m", Side::kBuy, qty(1'000)), close_of(kBar0));
  ASSERT_TRUE(ex->on_bar(kBar1).ok());
  (void)ex->take_reports();
  EXPECT_EQ(ex->cancel_all(close_of(kBar1), "dead_mans_switch"), 2u);
  const auto reports = ex->take_reports();
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].client_order_id, cid("a"));
  EXPECT_EQ(reports[1].client_order_id, cid("b"));
  EXPECT_EQ(reports[1].reason_view(), "dead_mans_switch");
  EXPECT_EQ(queried(*ex, "m").status, VenueOrderStatus::kFilled);
  EXPECT_TRUE(ex->open_orders()->empty());
  EXPECT_EQ(ex->cancel_all(close_of(kBar1), "again"), 0u);
}

TEST(PaperExchange, QueryOfAnOrderNeverReceivedIsNullopt) {
  TempDir dir;
  auto ex = open_ok(dir.file("px.db"), config_with());
  auto q = ex->query(cid("ghost"));
  ASSERT_TRUE(q.ok());
  EXPECT_FALSE(q->has_value());
}

TEST(PaperExchange, FillsAfterReturnsLaterFillsInAscendingTradeId) {
  TempDir dir;
  auto ex = open_ok(dir.file("px.db"), config_with());
  for (int i = 0; i < 4; ++i) {
    place_ok(*ex, market("o" + std::to_string(i), Side::kBuy, qty(100)), minute_bar(i, 0, 0, 0, 0).time);
    ASSERT_TRUE(ex->on_bar(minute_bar(i, 10'000, 10'100, 9'900, 10'000)).ok());
  }
  const auto all = all_fills(*ex);
  ASSERT_EQ(all.size(), 4u);
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].trade_id, i + 1);
  auto later = ex->fills_after(2);
  ASSERT_TRUE(later.ok());
  ASSERT_EQ(later->size(), 2u);
  EXPECT_EQ(later->at(0).trade_id, 3u);
  EXPECT_EQ(later->at(1).trade_id, 4u);
  EXPECT_TRUE(ex->fills_after(4)->empty());
}

TEST(PaperExchange, DrillsChangeWhatQueriesAnswerAndQueueNoReport) {
  TempDir dir;
  auto ex = open_ok(dir.file("px.db"), config_with());
  ASSERT_TRUE(ex->on_bar(kBar0).ok());
  place_ok(*ex, limit("a", Side::kBuy, qty(2'000), px(9'000)), close_of(kBar0));  // rests
  (void)ex->take_reports();

  auto fill = ex->inject_fill(cid("a"), qty(500), px(9'000), close_of(kBar0));
  ASSERT_TRUE(fill.ok()) << fill.error().message;
  EXPECT_EQ(fill->fee, money(900'000));  // maker: 2 bps of 45.00
  EXPECT_EQ(queried(*ex, "a").filled, qty(500));
  EXPECT_EQ(queried(*ex, "a").status, VenueOrderStatus::kPartiallyFilled);
  ASSERT_EQ(all_fills(*ex).size(), 1u);
  EXPECT_EQ(ex->balances()->base, qty(500));
  EXPECT_EQ(ex->balances()->cash, kCash - money(4'500'000'000) - money(900'000));

  auto other = ex->inject_order(limit("someone-else", Side::kSell, qty(100), px(12'000)), close_of(kBar0));
  ASSERT_TRUE(other.ok()) << other.error().message;
  EXPECT_EQ(ex->open_orders()->size(), 2u);
  EXPECT_EQ(ex->orders_received(), 1u);  // only our own place()

  ASSERT_TRUE(ex->adjust_balance(money(-1'000 * kMoneyUnit), qty(3'000)).ok());
  EXPECT_EQ(ex->balances()->base, qty(3'500));
  EXPECT_EQ(ex->balances()->cash, kCash - money(4'500'000'000) - money(900'000) - money(1'000 * kMoneyUnit));

  EXPECT_TRUE(ex->take_reports().empty());
  EXPECT_EQ(ex->inject_fill(cid("a"), qty(1'501), px(9'000), kT0).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ex->inject_fill(cid("ghost"), qty(1), px(9'000), kT0).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace cst
