// PaperVenue: the trader's session with a PaperExchange. It sends exactly what the gateway
// approved, delivers reports on poll (and at the end of send/cancel), and fails the way a real
// connection does when told to: refused sends, lost replies (the order exists but the trader
// never heard), and a dropped session that cancels our orders and loses their reports.
//
// ApprovedOrders come from a real ExecutionGateway (support/engine_gateway_harness.hpp); its
// client order ids are t-1, t-2, ... and every intent is stamped kT0, so orders reach the
// exchange at kT0 and bar 0 (at kT0) is the first that can fill them.
#include "cst/venues/paper_venue.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "support/engine_fixtures.hpp"
#include "support/engine_gateway_harness.hpp"
#include "support/engine_venue_rig.hpp"

namespace cst {
namespace {

using namespace testing_support;

const Bar kBar0 = minute_bar(0, 10'000, 10'200, 9'900, 10'100);
const Bar kBar1 = minute_bar(1, 10'150, 10'300, 10'050, 10'250);

class Recorder final : public ExecutionListener {
 public:
  void on_execution(const ExecutionReport& r) override {
    ++depth_;
    max_depth = std::max(max_depth, depth_);
    reports.push_back(r);
    if (hook) hook(r);
    --depth_;
  }
  std::vector<ExecutionReport> reports;
  std::function<void(const ExecutionReport&)> hook;
  int max_depth = 0;

 private:
  int depth_ = 0;
};

// An exchange in a temporary file, a session to it, and a gateway to approve orders.
class PaperRig {
 public:
  explicit PaperRig(PaperFaults faults = {}) : inst_(test_instrument()) {
    PaperExchangeConfig config;
    config.instrument = inst_;
    config.starting_cash = Money::from_raw(100'000 * kMoneyUnit);
    auto ex = PaperExchange::open(dir_.file("px.db"), config);
    if (!ex.ok()) ADD_FAILURE() << ex.error().message;
    exchange_ = std::move(*ex);
    venue_ = std::make_unique<PaperVenue>(*exchange_, recorder_, faults);
  }

  ClientOrderId send_market(Side side, Qty q, ErrorCode expected_error) {
    ApprovedOrder order = gateway_.market(inst_, side, q);
    const ClientOrderId id = order.client_order_id();
    SendResult s = venue_->send(std::move(order));
    EXPECT_FALSE(s.ok());
    if (!s.ok()) {
      EXPECT_EQ(s.error().code, expected_error) << s.error().message;
      // A transport failure hands the approval back for a retry; nothing else does.
      const bool retryable = expected_error == ErrorCode::kUnavailable || expected_error == ErrorCode::kTimeout;
      EXPECT_EQ(s.unsent.has_value(), retryable);
      if (s.unsent) {
        EXPECT_EQ(s.unsent->client_order_id(), id);
      }
    }
    return id;
  }
  ClientOrderId send(ApprovedOrder order) {
    const ClientOrderId id = order.client_order_id();
    SendResult s = venue_->send(std::move(order));
    EXPECT_TRUE(s.ok()) << s.error().message;
    return id;
  }
  ClientOrderId market(Side side, Qty q) { return send(gateway_.market(inst_, side, q)); }
  ClientOrderId limit(Side side, Qty q, Price p) { return send(gateway_.limit(inst_, side, q, p)); }

  std::optional<VenueOrder> at_exchange(const ClientOrderId& id) {
    auto q = exchange_->query(id);
    EXPECT_TRUE(q.ok());
    return q.ok() ? *q : std::nullopt;
  }

  PaperExchange& exchange() { return *exchange_; }
  PaperVenue& venue() { return *venue_; }
  GatewayHarness& gateway() { return gateway_; }
  Recorder& recorder() { return recorder_; }
  const std::vector<ExecutionReport>& reports() const { return recorder_.reports; }
  const Instrument& instrument() const { return inst_; }

 private:
  TempDir dir_;
  Instrument inst_;
  GatewayHarness gateway_;
  std::unique_ptr<PaperExchange> exchange_;
  Recorder recorder_;
  std::unique_ptr<PaperVenue> venue_;
};

TEST(PaperVenue, AckArrivesWithSendAndLaterReportsOnPoll) {
  PaperRig rig;
  const ClientOrderId id = rig.market(Side::kBuy, qty(1'000));
  ASSERT_EQ(rig.reports().size(), 1u);
  EXPECT_EQ(rig.reports()[0].kind, ExecKind::kAccepted);
  EXPECT_EQ(rig.reports()[0].venue_order_id.view(), "PX-1");

  ASSERT_TRUE(rig.exchange().on_bar(kBar0).ok());
  EXPECT_EQ(rig.reports().size(), 1u);  // nothing until the trader polls
  rig.venue().poll();
  ASSERT_EQ(rig.reports().size(), 2u);
  EXPECT_EQ(rig.reports()[1].kind, ExecKind::kFilled);
  EXPECT_EQ(rig.reports()[1].client_order_id, id);
  EXPECT_EQ(rig.reports()[1].trade_id, 1u);
  EXPECT_EQ(rig.reports()[1].price, kBar0.open);
  rig.venue().poll();
  EXPECT_EQ(rig.reports().size(), 2u);  // each report once
  EXPECT_EQ(rig.venue().sends(), 1u);
}

// Invariant 2: the gateway may approve less than was asked; the exchange receives exactly that.
TEST(PaperVenue, ExchangeStoresExactlyTheApprovedQuantityAndPrice) {
  PaperRig rig;
  GatewayHarness moderate(RiskProfile::kModerate, money(10'000 * kMoneyUnit));
  GatewayOutcome out = moderate.decide(rig.instrument(), Side::kBuy, OrderType::kLimit, qty(10'000), px(9'987));
  ASSERT_TRUE(out.order.has_value());
  ASSERT_EQ(out.decision.verdict, Verdict::kReduced);
  const Qty approved = out.order->approved_qty();
  const Price price = out.order->approved_price();
  ASSERT_LT(approved, qty(10'000));
  const ClientOrderId id = rig.send(std::move(*out.order));
  const auto stored = rig.at_exchange(id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->qty, approved);
  EXPECT_EQ(stored->limit_price, price);
  EXPECT_EQ(stored->limit_price, px(9'987));
  EXPECT_EQ(stored->type, OrderType::kLimit);
}

TEST(PaperVenue, FailedSendsNeverReachTheExchange) {
  PaperFaults faults;
  faults.fail_next_sends = 2;
  PaperRig rig(faults);
  const ClientOrderId a = rig.send_market(Side::kBuy, qty(1'000), ErrorCode::kUnavailable);
  const ClientOrderId b = rig.send_market(Side::kBuy, qty(1'000), ErrorCode::kUnavailable);
  EXPECT_FALSE(rig.at_exchange(a).has_value());
  EXPECT_FALSE(rig.at_exchange(b).has_value());
  EXPECT_EQ(rig.exchange().orders_received(), 0u);
  EXPECT_TRUE(rig.reports().empty());
  rig.market(Side::kBuy, qty(1'000));  // the fault is used up
  EXPECT_EQ(rig.exchange().orders_received(), 1u);
  EXPECT_EQ(rig.venue().sends(), 3u);
  EXPECT_EQ(rig.venue().transient_failures(), 2u);
}

TEST(PaperVenue, LostReplyTimesOutButTheOrderExistsAtTheExchange) {
  PaperFaults faults;
  faults.lose_next_acks = 1;
  PaperRig rig(faults);
  const ClientOrderId id = rig.send_market(Side::kBuy, qty(1'000), ErrorCode::kTimeout);
  EXPECT_TRUE(rig.reports().empty());  // the ack was lost with the reply
  const auto stored = rig.at_exchange(id);
  ASSERT_TRUE(stored.has_value());  // what the trader must ask before retrying
  EXPECT_EQ(stored->status, VenueOrderStatus::kOpen);
  auto asked = rig.venue().query_order(id);
  ASSERT_TRUE(asked.ok());
  EXPECT_TRUE(asked->has_value());
  // Only that reply was lost: the order's fill still arrives.
  ASSERT_TRUE(rig.exchange().on_bar(kBar0).ok());
  rig.venue().poll();
  ASSERT_EQ(rig.reports().size(), 1u);
  EXPECT_EQ(rig.reports()[0].kind, ExecKind::kFilled);
  EXPECT_EQ(rig.reports()[0].client_order_id, id);
}

TEST(PaperVenue, ClientOrderIdTheExchangeHasSeenIsADuplicateError) {
  PaperRig rig;
  // Someone placed t-1 on the account already (the gateway's next id).
  auto other = rig.exchange().inject_order(
      NewOrder{*ClientOrderId::parse("t-1"), Side::kBuy, OrderType::kLimit, qty(1'000), px(9'000)}, kT0);
  ASSERT_TRUE(other.ok());
  rig.send_market(Side::kSell, qty(500), ErrorCode::kDuplicate);
  EXPECT_TRUE(rig.reports().empty());
  EXPECT_EQ(rig.exchange().duplicate_submissions(), 1u);
  EXPECT_EQ(rig.at_exchange(*ClientOrderId::parse("t-1"))->side, Side::kBuy);  // untouched
}

TEST(PaperVenue, CancelIsCarriedOutAtTheExchangeAndReported) {
  PaperRig rig;
  const ClientOrderId id = rig.limit(Side::kBuy, qty(1'000), px(9'000));
  Status s = rig.venue().cancel(rig.gateway().cancel(rig.instrument(), id));
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(rig.reports().size(), 2u);
  EXPECT_EQ(rig.reports()[1].kind, ExecKind::kCancelled);
  EXPECT_EQ(rig.reports()[1].reason_view(), "cancel_request");
  EXPECT_EQ(rig.at_exchange(id)->status, VenueOrderStatus::kCancelled);
  Status again = rig.venue().cancel(rig.gateway().cancel(rig.instrument(), id));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
}

TEST(PaperVenue, DisconnectCancelsOurOrdersAtTheExchangeAndLosesEveryReport) {
  PaperRig rig;
  ASSERT_TRUE(rig.venue().cancels_on_disconnect());
  const ClientOrderId resting = rig.limit(Side::kBuy, qty(1'000), px(9'000));
  const ClientOrderId filled = rig.market(Side::kBuy, qty(1'000));
  ASSERT_TRUE(rig.exchange().on_bar(kBar0).ok());  // `filled` fills; its report waits for a poll
  const std::size_t heard = rig.reports().size();

  rig.venue().disconnect(kBar0.time + kMinute);
  EXPECT_FALSE(rig.venue().connected());
  EXPECT_TRUE(rig.exchange().take_reports().empty());  // nothing kept for a later session
  rig.venue().poll();
  EXPECT_EQ(rig.reports().size(), heard);  // neither the fill nor the cancel arrives
  EXPECT_EQ(rig.at_exchange(resting)->status, VenueOrderStatus::kCancelled);
  EXPECT_EQ(rig.at_exchange(resting)->reason, "cancel_on_disconnect");

  rig.venue().reconnect();
  rig.venue().poll();
  EXPECT_EQ(rig.reports().size(), heard);
  // The trader learns what happened by asking.
  auto open = rig.venue().open_orders();
  ASSERT_TRUE(open.ok());
  EXPECT_TRUE(open->empty());
  auto fills = rig.venue().fills_after(0);
  ASSERT_TRUE(fills.ok());
  ASSERT_EQ(fills->size(), 1u);
  EXPECT_EQ(fills->at(0).client_order_id, filled);
  auto cancelled = rig.venue().query_order(resting);
  ASSERT_TRUE(cancelled.ok() && cancelled->has_value());
  EXPECT_EQ((*cancelled)->status, VenueOrderStatus::kCancelled);
}

TEST(PaperVenue, WithoutCancelOnDisconnectOrdersKeepWorking) {
  PaperFaults faults;
  faults.cancel_on_disconnect = false;
  PaperRig rig(faults);
  EXPECT_FALSE(rig.venue().cancels_on_disconnect());
  const ClientOrderId resting = rig.limit(Side::kBuy, qty(1'000), px(9'000));
  rig.venue().disconnect(kT0);
  EXPECT_EQ(rig.at_exchange(resting)->status, VenueOrderStatus::kOpen);
}

TEST(PaperVenue, ReportsProducedWhileDisconnectedAreLost) {
  PaperFaults faults;
  faults.cancel_on_disconnect = false;
  PaperRig rig(faults);
  const ClientOrderId id = rig.market(Side::kBuy, qty(1'000));
  rig.venue().disconnect(kT0);
  ASSERT_TRUE(rig.exchange().on_bar(kBar0).ok());  // fills while nobody listens
  rig.venue().reconnect();
  rig.venue().poll();
  ASSERT_EQ(rig.reports().size(), 1u);  // only the ack from before
  auto fills = rig.venue().fills_after(0);
  ASSERT_TRUE(fills.ok());
  ASSERT_EQ(fills->size(), 1u);
  EXPECT_EQ(fills->at(0).client_order_id, id);
}

TEST(PaperVenue, EveryCallWhileDisconnectedIsUnavailable) {
  PaperRig rig;
  const ClientOrderId id = rig.limit(Side::kBuy, qty(1'000), px(9'000));
  rig.venue().disconnect(kT0);
  const std::uint64_t received = rig.exchange().orders_received();
  auto unavailable = [](const Error& e) { return e.code == ErrorCode::kUnavailable; };
  rig.send_market(Side::kBuy, qty(1'000), ErrorCode::kUnavailable);
  Status c = rig.venue().cancel(rig.gateway().cancel(rig.instrument(), id));
  EXPECT_TRUE(!c.ok() && unavailable(c.error()));
  auto q = rig.venue().query_order(id);
  EXPECT_TRUE(!q.ok() && unavailable(q.error()));
  auto o = rig.venue().open_orders();
  EXPECT_TRUE(!o.ok() && unavailable(o.error()));
  auto f = rig.venue().fills_after(0);
  EXPECT_TRUE(!f.ok() && unavailable(f.error()));
  auto b = rig.venue().balances();
  EXPECT_TRUE(!b.ok() && unavailable(b.error()));
  EXPECT_EQ(rig.venue().transient_failures(), 6u);
  EXPECT_EQ(rig.exchange().orders_received(), received);

  rig.venue().reconnect();
  auto back = rig.venue().balances();
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->cash, Money::from_raw(100'000 * kMoneyUnit));
}

TEST(PaperVenue, ReportsFromAListenerThatSendsArriveInOrderWithoutReentry) {
  PaperRig rig;
  const ClientOrderId a = rig.market(Side::kBuy, qty(1'000));
  const ClientOrderId c = rig.market(Side::kBuy, qty(2'000));
  std::optional<ClientOrderId> b;
  rig.recorder().hook = [&](const ExecutionReport& r) {
    if (r.kind == ExecKind::kFilled && r.client_order_id == a) b = rig.market(Side::kBuy, qty(500));
  };
  ASSERT_TRUE(rig.exchange().on_bar(kBar0).ok());
  rig.venue().poll();
  ASSERT_TRUE(b.has_value());
  // a acked, c acked, a filled, c filled (already queued), then b's ack.
  expect_reports(rig.reports(), 2, {{a, ExecKind::kFilled}, {c, ExecKind::kFilled}, {*b, ExecKind::kAccepted}});
  EXPECT_EQ(rig.reports().size(), 5u);
  EXPECT_EQ(rig.recorder().max_depth, 1);
}

TEST(PaperVenue, OrderForAnotherInstrumentIsRefused) {
  PaperRig rig;
  Instrument other = test_instrument();
  other.id = InstrumentId{1};
  other.symbol = "OTHER-USD";
  SendResult s = rig.venue().send(rig.gateway().market(other, Side::kBuy, qty(1'000)));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(rig.exchange().orders_received(), 0u);
}

}  // namespace
}  // namespace cst
