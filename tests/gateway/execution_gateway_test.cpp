// ExecutionGateway (DESIGN.md sections 2-3): the one door. Every test runs against a real
// SQLite AuditJournal in a temporary directory; at the end the journal must verify, be sealed
// and hold exactly one decision record per decision made (GatewayTest::TearDown).
//
// Unless a test says otherwise: profile moderate, no policy checks, equity 100,000 USD in cash,
// TEST-USD with last 100.00 and no book (tests/support/trading_fixtures.hpp), so every order
// is valued at 100.00 and the position limit is 2,000 USD = 20 units.

#include "cst/gateway/execution_gateway.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <string>

#include "support/gateway_harness.hpp"
#include "support/trading_fixtures.hpp"

namespace cst {
namespace {

using test::cents;
using test::limit_order;
using test::market_order;
using test::milli;
using test::units;
using test::usd;

const Timestamp kT0 = Timestamp::from_seconds(1'700'000'000);
const Instrument kInst = test::test_instrument();

MarketSnapshot bars_market() {
  MarketSnapshot m;
  m.time = kT0;
  m.last = cents(10000);
  m.recent_volume = units(1'000);
  return m;
}

AccountState flat() { return test::flat_account(usd(100'000)); }
AccountState long_ten() {
  AccountState a = flat();
  a.instrument = {units(10), Qty{}, Qty{}};
  return a;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class GatewayTest : public ::testing::Test {
 protected:
  void start(test::GatewayHarnessOptions options = {}) {
    ASSERT_TRUE(dir_.ok());
    harness_ =
        std::make_unique<test::GatewayHarness>(dir_.file("journal-" + std::to_string(starts_++) + ".db"), options);
    ASSERT_TRUE(harness_->ready());
  }
  void SetUp() override { start(); }
  void TearDown() override {
    if (harness_ && harness_->ready() && !harness_->closed()) (void)harness_->close_and_check();
  }
  // Restarts with other options (the journal of the default start is checked and dropped).
  void restart(test::GatewayHarnessOptions options) {
    (void)harness_->close_and_check();
    harness_.reset();
    start(options);
  }
  // Restarts with a policy whose only check is a maximum order quantity of `max_qty`.
  void restart_with_max_order_qty(Qty max_qty) {
    test::GatewayHarnessOptions options;
    options.policy.max_order_qty = max_qty;
    restart(options);
  }

  GatewayOutcome decide(const OrderIntent& intent, const AccountState& account = flat(),
                        const MarketSnapshot& market = bars_market(), Timestamp now = kT0) {
    return harness_->decide(intent, account, market, now);
  }
  ExecutionGateway& gateway() { return harness_->gateway(); }
  test::JournalContents close() { return harness_->close_and_check(); }

  test::TempDir dir_;
  int starts_ = 0;
  std::unique_ptr<test::GatewayHarness> harness_;
};

// --- What the venue gets -------------------------------------------------------------------

TEST_F(GatewayTest, ApprovedOrderCarriesExactlyTheApprovedQtyAndPrice) {
  const GatewayOutcome out = decide(limit_order(Side::kBuy, units(5), cents(9995), "lim-1"));
  ASSERT_EQ(out.decision.verdict, Verdict::kApproved);
  ASSERT_TRUE(out.order.has_value());
  EXPECT_FALSE(out.duplicate);
  EXPECT_EQ(out.order->approved_qty(), units(5));
  EXPECT_EQ(out.order->approved_price(), cents(9995));
  EXPECT_EQ(out.order->intent().qty, units(5));
  EXPECT_EQ(out.order->intent().limit_price, cents(9995));
  EXPECT_EQ(out.order->client_order_id(), test::coid("lim-1"));
  EXPECT_EQ(out.order->side(), Side::kBuy);
  EXPECT_EQ(out.order->type(), OrderType::kLimit);
  EXPECT_EQ(out.order->instrument(), kInst.id);
  EXPECT_EQ(out.order->decision_id(), out.decision.decision_id);
  EXPECT_EQ(out.decision.approved_qty, units(5));
  EXPECT_EQ(out.decision.requested_qty, units(5));
}

TEST_F(GatewayTest, MarketOrderIsApprovedWithoutAPrice) {
  const GatewayOutcome out = decide(market_order(Side::kBuy, units(2), "mkt-1"));
  ASSERT_TRUE(out.order.has_value());
  EXPECT_EQ(out.order->approved_qty(), units(2));
  EXPECT_EQ(out.order->approved_price(), Price{});
}

TEST_F(GatewayTest, ReducedDecisionCarriesTheReducedQty) {
  // 30 units asked, 20 fit the position limit (invariant 2: the venue gets 20, not 30).
  const GatewayOutcome out = decide(market_order(Side::kBuy, units(30), "big-1"));
  EXPECT_EQ(out.decision.verdict, Verdict::kReduced);
  EXPECT_EQ(out.decision.reason, ReasonCode::kPositionLimit);
  EXPECT_EQ(out.decision.requested_qty, units(30));
  EXPECT_EQ(out.decision.approved_qty, units(20));
  ASSERT_TRUE(out.order.has_value());
  EXPECT_EQ(out.order->approved_qty(), units(20));
  EXPECT_EQ(out.order->intent().qty, units(20));  // nothing in the approval still says 30

  const test::JournalContents j = close();
  ASSERT_EQ(j.decisions.size(), 1u);
  const std::string& rec = j.decisions[0];
  EXPECT_TRUE(contains(rec, R"("qty":"30.000")")) << rec;  // what was asked
  EXPECT_TRUE(contains(rec, R"("verdict":"reduced","reason":"position_limit")")) << rec;
  EXPECT_TRUE(contains(rec, R"("approved_qty":"20.000")")) << rec;
  EXPECT_TRUE(contains(rec, R"("decision_ns":0})")) << rec;  // deterministic mode
}

TEST_F(GatewayTest, RejectedDecisionHasNoOrder) {
  const GatewayOutcome out = decide(market_order(Side::kSell, units(1), "sell-1"));  // nothing held, spot
  EXPECT_EQ(out.decision.verdict, Verdict::kRejected);
  EXPECT_EQ(out.decision.reason, ReasonCode::kInsufficientPosition);
  EXPECT_EQ(out.decision.approved_qty, Qty{});
  EXPECT_FALSE(out.decision.approved());
  EXPECT_FALSE(out.order.has_value());
}

TEST_F(GatewayTest, PolicyRejectionAfterRiskApprovalHasNoOrder) {
  restart_with_max_order_qty(units(10));
  const GatewayOutcome out = decide(market_order(Side::kBuy, milli(10'010), "q-1"));
  EXPECT_EQ(out.decision.verdict, Verdict::kRejected);
  EXPECT_EQ(out.decision.reason, ReasonCode::kMaxOrderQty);
  EXPECT_FALSE(out.order.has_value());
}

TEST_F(GatewayTest, PolicyJudgesTheReducedQty) {
  // Risk cuts 30 to 20; a policy maximum of 20 then passes it.
  restart_with_max_order_qty(units(20));
  const GatewayOutcome out = decide(market_order(Side::kBuy, units(30), "q-1"));
  EXPECT_EQ(out.decision.verdict, Verdict::kReduced);
  ASSERT_TRUE(out.order.has_value());
  EXPECT_EQ(out.order->approved_qty(), units(20));
}

TEST_F(GatewayTest, RiskReductionThenPolicyRejectionReportsTheRejectingCheck) {
  // Risk steps run before policy checks: 30 → 20 (position), then 20 > 10 (max qty) rejects.
  // The rejection is explained by the check that rejected; the cut stays in the mask.
  restart_with_max_order_qty(units(10));
  const GatewayOutcome out = decide(market_order(Side::kBuy, units(30), "q-1"));
  EXPECT_EQ(out.decision.verdict, Verdict::kRejected);
  EXPECT_EQ(out.decision.reason, ReasonCode::kMaxOrderQty);
  EXPECT_NE(out.decision.reasons_mask & (std::uint64_t{1} << static_cast<unsigned>(ReasonCode::kPositionLimit)), 0u);
  EXPECT_FALSE(out.order.has_value());
}

TEST_F(GatewayTest, MarketOrderWithoutMarketDataIsRejected) {
  const GatewayOutcome market = decide(market_order(Side::kBuy, units(1), "m-1"), flat(), MarketSnapshot{});
  EXPECT_EQ(market.decision.reason, ReasonCode::kNoMarketData);
  // A limit order carries its own price, but the policy still wants a snapshot.
  const GatewayOutcome limit = decide(limit_order(Side::kBuy, units(1), cents(10000), "l-1"), flat(), MarketSnapshot{});
  EXPECT_EQ(limit.decision.reason, ReasonCode::kNoMarketData);
  EXPECT_FALSE(market.order.has_value());
  EXPECT_FALSE(limit.order.has_value());
}

// --- Idempotency ---------------------------------------------------------------------------

TEST_F(GatewayTest, SameClientOrderIdReturnsTheFirstDecisionAndNoOrder) {
  const GatewayOutcome first = decide(market_order(Side::kBuy, units(5), "dup-1"));
  ASSERT_TRUE(first.order.has_value());
  EXPECT_TRUE(gateway().has_seen(test::coid("dup-1")));
  // The retry asks for something else, in a state that would now refuse it: it still gets the
  // first answer, and no second order.
  gateway().risk().kill();
  const GatewayOutcome second = decide(market_order(Side::kBuy, units(7), "dup-1"));
  EXPECT_TRUE(second.duplicate);
  EXPECT_FALSE(second.order.has_value());
  EXPECT_EQ(second.decision.decision_id, first.decision.decision_id);
  EXPECT_EQ(second.decision.verdict, Verdict::kApproved);
  EXPECT_EQ(second.decision.approved_qty, units(5));
  EXPECT_EQ(gateway().stats().duplicates, 1u);
  EXPECT_EQ(gateway().stats().total.approved, 1u);
  EXPECT_EQ(gateway().stats().total.rejected, 0u);

  // Both attempts are journaled; the second as a duplicate.
  const test::JournalContents j = close();
  ASSERT_EQ(j.decisions.size(), 2u);
  EXPECT_TRUE(contains(j.decisions[0], R"("verdict":"approved")"));
  EXPECT_TRUE(contains(j.decisions[1], R"("reason":"duplicate_client_order_id")")) << j.decisions[1];
  EXPECT_TRUE(contains(j.decisions[1], R"("qty":"7.000")"));
}

TEST_F(GatewayTest, RejectedIdIsUsedUpToo) {
  const GatewayOutcome first = decide(market_order(Side::kSell, units(1), "rej-1"));
  ASSERT_EQ(first.decision.verdict, Verdict::kRejected);
  // Now holding 10, the same id would be approved, but an id is decided once.
  const GatewayOutcome again = decide(market_order(Side::kSell, units(1), "rej-1"), long_ten());
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.decision.verdict, Verdict::kRejected);
  EXPECT_FALSE(again.order.has_value());
}

TEST_F(GatewayTest, EmptyClientOrderIdIsRejectedAndDoesNotClaimTheEmptyId) {
  OrderIntent o = market_order(Side::kBuy, units(1));
  o.client_order_id = ClientOrderId{};
  for (int i = 0; i < 2; ++i) {
    const GatewayOutcome out = decide(o);
    EXPECT_EQ(out.decision.reason, ReasonCode::kInvalidOrder);
    EXPECT_FALSE(out.duplicate);
    EXPECT_FALSE(out.order.has_value());
  }
  EXPECT_FALSE(gateway().has_seen(ClientOrderId{}));
  EXPECT_EQ(gateway().stats().rejected_by_reason[static_cast<std::size_t>(ReasonCode::kInvalidOrder)], 2u);
}

// --- Statistics ----------------------------------------------------------------------------

TEST_F(GatewayTest, StatsCountByVerdictReasonAndSource) {
  test::GatewayHarnessOptions o;
  o.policy.collar_bps = 100;
  restart(o);
  auto from = [](OrderIntent i, std::string_view src) {
    i.source = test::source(src);
    return i;
  };
  decide(from(market_order(Side::kBuy, units(1), "s-1"), "alpha"));              // approved
  decide(from(market_order(Side::kBuy, units(2), "s-2"), "alpha"));              // approved
  decide(from(market_order(Side::kBuy, units(30), "s-3"), "beta"));              // reduced: position
  decide(from(market_order(Side::kSell, units(1), "s-4"), "alpha"));             // rejected: no holdings
  decide(from(limit_order(Side::kBuy, units(5), cents(11000), "s-5"), "beta"));  // rejected: collar (10%)
  decide(from(market_order(Side::kBuy, units(1), "s-1"), "alpha"));              // duplicate

  const GatewayStats& s = gateway().stats();
  EXPECT_EQ(s.total.approved, 2u);
  EXPECT_EQ(s.total.reduced, 1u);
  EXPECT_EQ(s.total.rejected, 2u);
  EXPECT_EQ(s.duplicates, 1u);
  EXPECT_EQ(s.reduced_by_reason[static_cast<std::size_t>(ReasonCode::kPositionLimit)], 1u);
  EXPECT_EQ(s.rejected_by_reason[static_cast<std::size_t>(ReasonCode::kInsufficientPosition)], 1u);
  EXPECT_EQ(s.rejected_by_reason[static_cast<std::size_t>(ReasonCode::kPriceCollar)], 1u);
  EXPECT_EQ(std::accumulate(s.reduced_by_reason.begin(), s.reduced_by_reason.end(), std::uint64_t{0}), 1u);
  EXPECT_EQ(std::accumulate(s.rejected_by_reason.begin(), s.rejected_by_reason.end(), std::uint64_t{0}), 2u);
  ASSERT_EQ(s.by_source.size(), 2u);
  EXPECT_EQ(s.by_source[0].source, test::source("alpha"));  // insertion order
  EXPECT_EQ(s.by_source[0].counts.approved, 2u);
  EXPECT_EQ(s.by_source[0].counts.reduced, 0u);
  EXPECT_EQ(s.by_source[0].counts.rejected, 1u);
  EXPECT_EQ(s.by_source[1].source, test::source("beta"));
  EXPECT_EQ(s.by_source[1].counts.approved, 0u);
  EXPECT_EQ(s.by_source[1].counts.reduced, 1u);
  EXPECT_EQ(s.by_source[1].counts.rejected, 1u);
}

TEST_F(GatewayTest, DecisionTimeHistogramIsPopulated) {
  for (int i = 0; i < 3; ++i) decide(market_order(Side::kBuy, units(1), "t-" + std::to_string(i)));
  const GatewayStats& s = gateway().stats();
  EXPECT_EQ(std::accumulate(s.decision_time_log2.begin(), s.decision_time_log2.end(), std::uint64_t{0}), 3u);
  EXPECT_GT(s.decision_time_max_ns, 0u);
  EXPECT_GE(s.decision_time_quantile_ns(0.5), 1u);
  EXPECT_LE(s.decision_time_quantile_ns(0.5), s.decision_time_quantile_ns(0.99));
  EXPECT_EQ(GatewayStats{}.decision_time_quantile_ns(0.5), 0u);
}

TEST_F(GatewayTest, MeasuredDecisionTimeIsJournaledOnlyWhenAsked) {
  test::GatewayHarnessOptions o;
  o.gateway.journal_decision_time = true;
  restart(o);
  decide(market_order(Side::kBuy, units(1), "t-1"));
  const test::JournalContents j = close();
  ASSERT_EQ(j.decisions.size(), 1u);
  EXPECT_FALSE(contains(j.decisions[0], R"("decision_ns":0})")) << j.decisions[0];
}

// --- Cancels and safe states ---------------------------------------------------------------

TEST_F(GatewayTest, CancelIsAlwaysApprovedAndJournaledEvenUnderKillAndLockdown) {
  CancelIntent c{test::coid("c-1"), AccountId{1}, kInst.id, test::source("test"), kT0};
  const ApprovedCancel normal = gateway().cancel(c, kT0);
  EXPECT_EQ(normal.client_order_id(), test::coid("c-1"));
  gateway().risk().kill();
  c.client_order_id = test::coid("c-2");
  const ApprovedCancel killed = gateway().cancel(c, kT0);
  EXPECT_EQ(killed.client_order_id(), test::coid("c-2"));
  gateway().risk().lockdown();
  c.client_order_id = test::coid("c-3");
  const ApprovedCancel locked = gateway().cancel(c, kT0);
  EXPECT_EQ(locked.intent().instrument, kInst.id);
  EXPECT_EQ(gateway().stats().cancels, 3u);

  const test::JournalContents j = close();
  ASSERT_EQ(j.count_notes("cancel_decision"), 3u);
  for (const auto& [kind, payload] : j.notes) {
    if (kind == "cancel_decision") {
      EXPECT_TRUE(contains(payload, R"("verdict":"approved")")) << payload;
    }
  }
  EXPECT_TRUE(contains(j.notes[2].second, R"("client_order_id":"c-3")")) << j.notes[2].second;
}

TEST_F(GatewayTest, KillSwitchBlocksRiskIncreasingOrdersButNotReducingOnes) {
  gateway().risk().kill();
  const GatewayOutcome buy = decide(market_order(Side::kBuy, units(1), "k-1"), long_ten());
  EXPECT_EQ(buy.decision.reason, ReasonCode::kKillSwitch);
  EXPECT_FALSE(buy.order.has_value());
  const GatewayOutcome sell = decide(market_order(Side::kSell, units(5), "k-2"), long_ten());
  ASSERT_TRUE(sell.order.has_value());
  EXPECT_EQ(sell.order->approved_qty(), units(5));
  gateway().risk().resume();
  EXPECT_TRUE(decide(market_order(Side::kBuy, units(1), "k-3"), long_ten()).order.has_value());
}

TEST_F(GatewayTest, LeverageAttemptLocksDownAndIsJournaledAsAStateChange) {
  // 20,000 units = 2,000,000 USD = 20x equity.
  const GatewayOutcome out = decide(market_order(Side::kBuy, units(20'000), "lev-1"));
  EXPECT_EQ(out.decision.reason, ReasonCode::kLeverageCeiling);
  EXPECT_EQ(gateway().risk().state(), TradingState::kLockdown);
  EXPECT_EQ(decide(market_order(Side::kBuy, units(1), "lev-2")).decision.reason, ReasonCode::kLockdown);
  EXPECT_TRUE(decide(market_order(Side::kSell, units(10), "lev-3"), long_ten()).order.has_value());

  const test::JournalContents j = close();
  ASSERT_EQ(j.count_notes("risk_state"), 1u);
  const std::string& note = j.notes[0].second;
  EXPECT_TRUE(contains(note, R"("decision_id":1)")) << note;
  EXPECT_TRUE(contains(note, R"("from":"active","to":"lockdown","reason":"leverage_ceiling")")) << note;
}

TEST_F(GatewayTest, ApprovedOrdersFeedTheThrottleRejectedOnesDoNot) {
  test::GatewayHarnessOptions o;
  o.policy.max_orders_per_window = 2;
  restart(o);
  auto at_ms = [](std::int64_t ms) { return kT0 + Duration::from_ms(ms); };
  EXPECT_TRUE(decide(market_order(Side::kBuy, units(1), "th-1"), flat(), bars_market(), at_ms(0)).order.has_value());
  EXPECT_FALSE(decide(market_order(Side::kSell, units(1), "th-2"), flat(), bars_market(), at_ms(1)).order.has_value());
  EXPECT_TRUE(decide(market_order(Side::kBuy, units(1), "th-3"), flat(), bars_market(), at_ms(2)).order.has_value());
  EXPECT_EQ(decide(market_order(Side::kBuy, units(1), "th-4"), flat(), bars_market(), at_ms(3)).decision.reason,
            ReasonCode::kThrottled);
  EXPECT_TRUE(
      decide(market_order(Side::kBuy, units(1), "th-5"), flat(), bars_market(), at_ms(1'000)).order.has_value());
}

// --- Determinism ---------------------------------------------------------------------------

// A fixed mix of decisions: approvals, a reduction, rejections, a duplicate, a cancel, a
// leverage lockdown (with its note) and a resume.
void run_script(test::GatewayHarness& h, Qty first_qty) {
  auto at = [](int i) { return kT0 + Duration::from_ms(i); };
  h.decide(market_order(Side::kBuy, first_qty, "d-1"), flat(), bars_market(), at(0));
  h.decide(limit_order(Side::kBuy, units(30), cents(9990), "d-2"), flat(), bars_market(), at(1));
  h.decide(market_order(Side::kSell, units(3), "d-3"), flat(), bars_market(), at(2));
  h.decide(market_order(Side::kBuy, units(1), "d-1"), flat(), bars_market(), at(3));
  (void)h.gateway().cancel(CancelIntent{test::coid("d-2"), AccountId{1}, kInst.id, test::source("test"), at(4)}, at(4));
  h.decide(market_order(Side::kBuy, units(50'000), "d-4"), flat(), bars_market(), at(5));
  h.decide(market_order(Side::kSell, units(10), "d-5"), long_ten(), bars_market(), at(6));
  h.gateway().risk().resume();
  h.decide(market_order(Side::kBuy, units(2), "d-6"), flat(), bars_market(), at(7));
}

TEST(GatewayDeterminism, SameDecisionsGiveIdenticalJournals) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string heads[3];
  const Qty first_qty[3] = {units(1), units(1), units(2)};
  for (int k = 0; k < 3; ++k) {
    test::GatewayHarness h(dir.file("j" + std::to_string(k) + ".db"));
    ASSERT_TRUE(h.ready());
    run_script(h, first_qty[k]);
    const test::JournalContents j = h.close_and_check();
    EXPECT_EQ(j.count_notes("risk_state"), 1u);
    EXPECT_EQ(j.count_notes("cancel_decision"), 1u);
    heads[k] = h.head_hash();
    EXPECT_EQ(heads[k], j.report.head_hash_hex);
  }
  EXPECT_EQ(heads[0], heads[1]);
  EXPECT_NE(heads[0], std::string(64, '0'));
  EXPECT_NE(heads[0], heads[2]);  // one different quantity changes the chain
}

}  // namespace
}  // namespace cst
