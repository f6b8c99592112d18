// ExecutionGateway: the one door every order passes (DESIGN.md sections 2-3).
//
// decide() runs RiskGuard then ExecutionPolicy, enforces idempotency by client order id
// (a second intent with a used id returns the first decision and no new ApprovedOrder),
// journals every decision to the AuditJournal, counts outcomes, and is the only code that
// can construct an ApprovedOrder. cancel() always approves and journals. The gateway does
// not own the guard, policy or journal; they must outlive it. Single-threaded (one gateway
// per account, driven by the engine's event loop).
#pragma once

#include <cstdint>
#include <optional>

#include "cst/audit/records.hpp"
#include "cst/core/instrument.hpp"
#include "cst/gateway/approved_order.hpp"
#include "cst/gateway/execution_policy.hpp"
#include "cst/gateway/gateway_stats.hpp"
#include "cst/gateway/idempotency_table.hpp"
#include "cst/market/market_event.hpp"
#include "cst/risk/account_state.hpp"
#include "cst/risk/risk_guard.hpp"

namespace cst {

class AuditJournal;

// The gateway's answer; the same value is returned again for a duplicate client order id.
struct GatewayDecision {
  std::uint64_t decision_id = 0;
  Verdict verdict = Verdict::kRejected;
  // Rejected: the check that rejected (risk steps run before policy checks). Reduced: the first
  // risk step that cut the quantity. kNone when approved in full. reasons_mask has them all.
  ReasonCode reason = ReasonCode::kNone;
  std::uint64_t reasons_mask = 0;
  Qty requested_qty;
  Qty approved_qty;
  Price approved_price;
  bool approved() const { return verdict != Verdict::kRejected; }
};

struct GatewayOutcome {
  GatewayDecision decision;
  std::optional<ApprovedOrder> order;  // present only for a first, approved decision
  bool duplicate = false;
};

struct GatewayOptions {
  // Journal measured decision times; off in backtests so journals are byte-identical.
  bool journal_decision_time = false;
  std::size_t expected_orders = 1 << 16;  // idempotency table reservation
};

class ExecutionGateway {
 public:
  ExecutionGateway(RiskGuard& risk, ExecutionPolicy& policy, AuditJournal& journal, GatewayOptions options = {});
  ExecutionGateway(const ExecutionGateway&) = delete;
  ExecutionGateway& operator=(const ExecutionGateway&) = delete;

  // Decides on a new order at clock time `now`. An intent without a client order id is
  // rejected (kInvalidOrder) and does not claim the empty id. A decision that changes the
  // RiskGuard's state (leverage attempt → lockdown) is followed by a "risk_state" note.
  GatewayOutcome decide(const OrderIntent& intent, const Instrument& instrument, const AccountState& account,
                        const MarketSnapshot& market, Timestamp now);
  // Cancels are always allowed; the request is journaled.
  ApprovedCancel cancel(const CancelIntent& intent, Timestamp now);

  const GatewayStats& stats() const { return stats_; }
  RiskGuard& risk() { return risk_; }
  const RiskGuard& risk() const { return risk_; }
  // Whether a client order id has been decided on (used ids are never reused).
  bool has_seen(const ClientOrderId& id) const { return decided_.find(id) != nullptr; }

 private:
  void count(const OrderIntent& intent, const GatewayDecision& d, std::uint64_t elapsed_ns);

  RiskGuard& risk_;
  ExecutionPolicy& policy_;
  AuditJournal& journal_;
  GatewayOptions options_;
  std::uint64_t next_decision_id_ = 1;
  IdempotencyTable<GatewayDecision> decided_;  // no allocation per decision once reserved
  GatewayStats stats_;
};

}  // namespace cst
