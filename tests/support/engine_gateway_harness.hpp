// A real ExecutionGateway (RiskGuard + ExecutionPolicy + AuditJournal in a temp dir) for tests
// that need ApprovedOrders: only the gateway can make one, so venue tests get theirs here.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "cst/audit/audit_journal.hpp"
#include "cst/gateway/execution_gateway.hpp"
#include "cst/risk/risk_guard.hpp"
#include "engine_fixtures.hpp"

namespace cst::testing_support {

class GatewayHarness {
 public:
  // An account with `equity` (also its cash) deciding under `profile`.
  explicit GatewayHarness(RiskProfile profile = RiskProfile::kResearch,
                          Money equity = Money::from_raw(1'000'000 * kMoneyUnit))
      : risk_(make_risk(profile)), policy_(ExecutionPolicyConfig{}) {
    JournalOptions options;
    options.durability = JournalDurability::kNone;
    auto journal = AuditJournal::open(dir_.file("gateway.journal"), options);
    if (!journal.ok()) ADD_FAILURE() << journal.error().message;
    journal_ = std::move(*journal);
    gateway_.emplace(risk_, policy_, *journal_, GatewayOptions{false, 64});
    account_.equity = equity;
    account_.cash = equity;
    account_.start_of_day_equity = equity;
    account_.equity_peak = equity;
    account_.allow_short = true;  // the venue, not the gateway, is under test for holdings
  }
  GatewayHarness(const GatewayHarness&) = delete;
  GatewayHarness& operator=(const GatewayHarness&) = delete;

  // Asks the gateway; `reference` is the last price the market snapshot shows.
  GatewayOutcome decide(const Instrument& inst, Side side, OrderType type, Qty q, Price limit = {},
                        Price reference = Price::from_raw(10'000)) {
    OrderIntent intent;
    intent.client_order_id = *ClientOrderId::parse("t-" + std::to_string(next_id_++));
    intent.instrument = inst.id;
    intent.source = *SourceId::parse("test");
    intent.side = side;
    intent.type = type;
    intent.qty = q;
    intent.limit_price = limit;
    intent.time = kT0;
    MarketSnapshot market;
    market.time = kT0;
    market.last = reference;
    return gateway_->decide(intent, inst, account_, market, kT0);
  }

  // An approved order for exactly `q` (fails the test if the gateway does not approve all).
  ApprovedOrder approve(const Instrument& inst, Side side, OrderType type, Qty q, Price limit = {}) {
    GatewayOutcome out = decide(inst, side, type, q, limit, limit.raw > 0 ? limit : Price::from_raw(10'000));
    EXPECT_TRUE(out.order.has_value()) << "gateway refused: " << to_string(out.decision.reason);
    EXPECT_EQ(out.decision.approved_qty, q);
    return std::move(*out.order);
  }
  ApprovedOrder market(const Instrument& inst, Side side, Qty q) { return approve(inst, side, OrderType::kMarket, q); }
  ApprovedOrder limit(const Instrument& inst, Side side, Qty q, Price p) {
    return approve(inst, side, OrderType::kLimit, q, p);
  }
  ApprovedCancel cancel(const Instrument& inst, const ClientOrderId& id) {
    return gateway_->cancel(CancelIntent{id, AccountId{}, inst.id, *SourceId::parse("test"), kT0}, kT0);
  }

  AccountState& account() { return account_; }

 private:
  static RiskGuard make_risk(RiskProfile profile) {
    auto r = RiskGuard::create(profile, TradingMode::kBacktest);
    if (!r.ok()) ADD_FAILURE() << r.error().message;
    return std::move(*r);
  }

  TempDir dir_;
  RiskGuard risk_;
  ExecutionPolicy policy_;
  std::unique_ptr<AuditJournal> journal_;
  std::optional<ExecutionGateway> gateway_;
  AccountState account_;
  int next_id_ = 1;
};

}  // namespace cst::testing_support
