// Paper trading against the paper exchange: reconciliation of injected divergences (a fill the
// trader missed, an order it does not know, a balance change), the guardian on a lost
// connection, a lost acknowledgement, and refusals before anything trades.
#include "cst/engine/paper_session.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "cst/state/trader_lock.hpp"
#include "support/paper_session_fixture.hpp"

namespace cst {
namespace {

using testing_support::bars_from_closes;
using testing_support::PaperSessionTest;
using testing_support::px;
using testing_support::qty;
using testing_support::ScriptStrategy;

TEST_F(PaperSessionTest, AFillTheTraderMissedIsAppliedOnceByReconciliation) {
  ClientOrderId id;
  options_.drill = [&](PaperDrill& d) {
    if (d.bar_index == 3) {
      auto f = d.exchange.inject_fill(id, qty(400), px(9'000), d.now);
      EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.error().message);
      return true;
    }
    return d.bar_index == 5;  // a second reconciliation must find nothing new
  };
  PaperRun r = run([&](StrategyContext& ctx, int bar) {
    if (bar == 1) id = rest_buy(ctx).client_order_id;
  });
  ASSERT_EQ(r.last_reconciliations.size(), 2u);
  EXPECT_EQ(r.last_reconciliations[0].missing_fills_applied, 1u);
  EXPECT_FALSE(r.last_reconciliations[0].balance_mismatch);
  EXPECT_EQ(r.last_reconciliations[1].missing_fills_applied, 0u);
  EXPECT_EQ(r.position, qty(400));
  auto s = store();
  auto fills = s->fills();
  ASSERT_TRUE(fills.ok());
  ASSERT_EQ(fills->size(), 1u);
  EXPECT_EQ((*fills)[0].client_order_id, id);
  auto order = s->find_order(id);
  ASSERT_TRUE(order.ok() && order->has_value());
  EXPECT_EQ((*order)->order.status, OrderStatus::kPartiallyFilled);
}

TEST_F(PaperSessionTest, AnOrderTheTraderDoesNotKnowIsCancelledByDefault) {
  const ClientOrderId manual = *ClientOrderId::parse("manual-1");
  options_.drill = [&](PaperDrill& d) {
    if (d.bar_index != 3) return false;
    EXPECT_TRUE(
        d.exchange.inject_order(NewOrder{manual, Side::kBuy, OrderType::kLimit, qty(500), px(9'500)}, d.now).ok());
    return true;
  };
  PaperRun r = run([](StrategyContext&, int) {});
  ASSERT_EQ(r.last_reconciliations.size(), 1u);
  EXPECT_EQ(r.last_reconciliations[0].unknown_orders_cancelled, 1u);
  auto x = exchange();
  auto q = x->query(manual);
  ASSERT_TRUE(q.ok() && q->has_value());
  EXPECT_EQ((*q)->status, VenueOrderStatus::kCancelled);
}

TEST_F(PaperSessionTest, AnOrderTheTraderDoesNotKnowIsAdoptedByPolicy) {
  const ClientOrderId manual = *ClientOrderId::parse("manual-1");
  options_.unknown_orders = UnknownOrderPolicy::kAdopt;
  options_.faults.cancel_on_disconnect = false;
  options_.drill = [&](PaperDrill& d) {
    if (d.bar_index != 3) return false;
    EXPECT_TRUE(
        d.exchange.inject_order(NewOrder{manual, Side::kBuy, OrderType::kLimit, qty(500), px(9'500)}, d.now).ok());
    return true;
  };
  PaperRun r = run([](StrategyContext&, int) {});
  ASSERT_EQ(r.last_reconciliations.size(), 1u);
  EXPECT_EQ(r.last_reconciliations[0].unknown_orders_adopted, 1u);
  auto order = store()->find_order(manual);
  ASSERT_TRUE(order.ok() && order->has_value());
  EXPECT_EQ((*order)->order.intent.source.view(), "adopted");
  EXPECT_EQ((*order)->order.status, OrderStatus::kOpen);
  auto q = exchange()->query(manual);
  ASSERT_TRUE(q.ok() && q->has_value());
  EXPECT_EQ((*q)->status, VenueOrderStatus::kOpen);
}

TEST_F(PaperSessionTest, ABalanceMismatchEntersSafeModeWhichSurvivesARestart) {
  std::vector<ReasonCode> answers;
  options_.drill = [&](PaperDrill& d) {
    if (d.bar_index != 3) return false;
    EXPECT_TRUE(d.exchange.adjust_balance(testing_support::money(50 * testing_support::kMoneyUnit), Qty{}).ok());
    return true;
  };
  std::vector<std::string> alerts;
  options_.alert = [&](const std::string& line) { alerts.push_back(line); };
  auto buy_at_5 = [&](StrategyContext& ctx, int bar) {
    if (bar == 5) answers.push_back(ctx.submit(PaperSessionTest::market_buy()).reason);
  };
  PaperRun r = run(buy_at_5);
  ASSERT_EQ(r.last_reconciliations.size(), 1u);
  EXPECT_TRUE(r.last_reconciliations[0].balance_mismatch);
  EXPECT_TRUE(r.last_reconciliations[0].safe_mode_entered);
  EXPECT_EQ(r.last_reconciliations[0].cash_difference, testing_support::money(50 * testing_support::kMoneyUnit));
  EXPECT_TRUE(r.safe_mode);
  ASSERT_EQ(alerts.size(), 1u) << "an alert even without progress output";
  EXPECT_NE(alerts[0].find("ALERT safe mode (reduce-only): balance mismatch"), std::string::npos) << alerts[0];
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0], ReasonCode::kSafeMode);
  auto loaded = store()->load();
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE(loaded->controls.safe_mode);
  EXPECT_NE(loaded->controls.safe_reason.find("balance mismatch"), std::string::npos);

  // A new process: more bars, same state. Safe mode is still on and still refuses new risk.
  bars_ = bars_from_closes(std::vector<std::int64_t>(40, 10'000));
  options_.drill = nullptr;
  PaperRun again = run(buy_at_5);
  EXPECT_TRUE(again.safe_mode);
  EXPECT_EQ(alerts.size(), 1u) << "safe mode carried over is not a new alert";
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[1], ReasonCode::kSafeMode);
}

TEST_F(PaperSessionTest, TheGuardianStopsNewRiskWhileDisconnectedAndSettlesWhatTheVenueCancelled) {
  std::vector<ReasonCode> answers;
  options_.drill = [&](PaperDrill& d) {
    if (d.bar_index == 3) d.venue.disconnect(d.now);
    if (d.bar_index == 6) d.venue.reconnect();
    return false;
  };
  std::vector<std::string> alerts;
  options_.alert = [&](const std::string& line) { alerts.push_back(line); };
  PaperRun r = run([&](StrategyContext& ctx, int bar) {
    if (bar == 1) rest_buy(ctx);
    if (bar == 4 || bar == 8) answers.push_back(ctx.submit(PaperSessionTest::market_buy()).reason);
  });
  EXPECT_EQ(r.disconnects, 1u);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0], "ALERT venue disconnected: no new risk until it is back and reconciled");
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[0], ReasonCode::kVenueUnavailable);
  EXPECT_EQ(answers[1], ReasonCode::kNone);
  ASSERT_FALSE(r.last_reconciliations.empty());
  // The venue cancelled the resting order on disconnect; the trader learnt it by querying.
  EXPECT_EQ(r.last_reconciliations.back().orders_settled, 1u);
}

TEST_F(PaperSessionTest, ALostAcknowledgementIsSettledByQueryAndTheOrderIsNotSentTwice) {
  options_.faults.lose_next_acks = 1;
  options_.retry.max_retries = 0;  // no retry in this process: recovery must settle it
  options_.max_bars = 2;           // the process ends with the order's fate unknown
  ClientOrderId id;
  run([&](StrategyContext& ctx, int bar) {
    if (bar == 1) id = rest_buy(ctx).client_order_id;
  });
  auto stored = store()->find_order(id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->order.status, OrderStatus::kSubmitted);
  EXPECT_TRUE((*stored)->uncertain);

  options_.faults.lose_next_acks = 0;
  options_.faults.cancel_on_disconnect = false;
  PaperRun r = run([](StrategyContext&, int) {});
  EXPECT_EQ(r.recovery.uncertain_resolved, 1u);
  EXPECT_EQ(r.recovery.not_received, 0u);
  auto x = exchange();
  EXPECT_EQ(x->orders_received(), 1u);
  EXPECT_EQ(x->duplicate_submissions(), 0u);
}

TEST_F(PaperSessionTest, TransientRefusalsAreRetriedUntilTheOrderArrivesOnce) {
  options_.faults.fail_next_sends = 2;
  options_.retry.backoff = std::chrono::milliseconds(0);
  ClientOrderId id;
  run([&](StrategyContext& ctx, int bar) {
    if (bar == 1) id = rest_buy(ctx).client_order_id;
  });
  auto x = exchange();
  EXPECT_EQ(x->orders_received(), 1u);
  EXPECT_EQ(x->duplicate_submissions(), 0u);
  auto stored = store()->find_order(id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->order.status, OrderStatus::kOpen);
  EXPECT_FALSE((*stored)->uncertain);
}

TEST_F(PaperSessionTest, AnOrderRefusedMoreThanThreeRetriesEndsWithoutReachingTheVenue) {
  options_.faults.fail_next_sends = 4;  // the first attempt and three retries
  options_.retry.backoff = std::chrono::milliseconds(0);
  ClientOrderId id;
  run([&](StrategyContext& ctx, int bar) {
    if (bar == 1) id = rest_buy(ctx).client_order_id;
  });
  EXPECT_EQ(exchange()->orders_received(), 0u);
  auto stored = store()->find_order(id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->order.status, OrderStatus::kError);
}

TEST_F(PaperSessionTest, ATimedOutOrderIsQueriedBeforeAnyRetryAndNeverSentTwice) {
  options_.faults.lose_next_acks = 1;
  options_.retry.backoff = std::chrono::milliseconds(0);
  ClientOrderId id;
  run([&](StrategyContext& ctx, int bar) {
    if (bar == 1) id = rest_buy(ctx).client_order_id;
  });
  auto x = exchange();
  EXPECT_EQ(x->orders_received(), 1u);
  EXPECT_EQ(x->duplicate_submissions(), 0u);
  auto stored = store()->find_order(id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->order.status, OrderStatus::kOpen);
  auto events = store()->order_events(id);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->back().reason, "ack_by_query");
}

TEST(RetryDelay, StartsAtTheBackoffAndDoubles) {
  const RetryPolicy p{3, std::chrono::milliseconds(1000)};
  EXPECT_EQ(retry_delay(p, 1).count(), 1000);
  EXPECT_EQ(retry_delay(p, 2).count(), 2000);
  EXPECT_EQ(retry_delay(p, 3).count(), 4000);
}

TEST_F(PaperSessionTest, ASecondTraderOnTheSameStateIsRefused) {
  auto lock = TraderLock::acquire(options_.state_path);
  ASSERT_TRUE(lock.ok());
  ScriptStrategy s([](StrategyContext&, int) {});
  auto r = run_paper(config_, bars_, s, options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLocked);
  EXPECT_FALSE(std::filesystem::exists(options_.journal_path)) << "nothing may be written before the lock";
}

TEST_F(PaperSessionTest, TheResearchProfileIsRefused) {
  config_.risk_profile = RiskProfile::kResearch;
  ScriptStrategy s([](StrategyContext&, int) {});
  auto r = run_paper(config_, bars_, s, options_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("research"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace cst
