// OrderFlow: the one path orders take in every mode (DESIGN.md section 2).
//
//   submit: OrderRequest → OrderIntent (new client order id) → ExecutionGateway (journaled)
//           → [DurableLog::before_send] → Venue::send
//   report: ExecutionReport → order state machine → [DurableLog] → portfolio → listener (strategy)
//
// Backtest, paper and live differ only in the venue and the DurableLog: none in backtests; in
// paper and live it makes the decision and the order durable before the venue call and each
// acknowledgement and fill durable before anything acts on it (state/state_store.hpp). A
// DurableLog failure halts the flow: no further order is sent and halted() says why; the
// process must stop and recover from what is on disk.
// Single-threaded (the engine loop).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "cst/audit/audit_journal.hpp"
#include "cst/engine/order_manager.hpp"
#include "cst/gateway/execution_gateway.hpp"
#include "cst/portfolio/portfolio.hpp"
#include "cst/state/state_types.hpp"
#include "cst/strategy/strategy.hpp"
#include "cst/venues/venue.hpp"
#include "cst/venues/venue_session.hpp"

namespace cst {

class OrderFlowListener {
 public:
  virtual ~OrderFlowListener() = default;
  // A fill was applied (and, in paper/live, is durable).
  virtual void on_fill(const Fill& fill, const FillEffect& effect) = 0;
  // Something the run should report (a venue refusal, a report for an unknown order).
  virtual void on_flow_error(std::string message) = 0;
};

class DurableLog {
 public:
  virtual ~DurableLog() = default;
  // The decision is in the journal and the order (SUBMITTED) in the state store.
  virtual Status before_send(const Order& order, std::uint64_t decision_id, Price reference,
                             const SourceId& source) = 0;
  // An order changed without a fill (ack, cancel, reject, error, fate unknown).
  virtual Status order_changed(const Order& order, std::string_view reason, bool uncertain) = 0;
  // Whether this venue trade was applied before (a report that came twice).
  virtual bool has_trade(std::uint64_t trade_id) const = 0;
  // The fill, the order and the portfolio after it.
  virtual Status fill_applied(const StoredFill& fill, const Order& order, const Portfolio& portfolio) = 0;
};

// Transient venue errors (DESIGN.md section 6): up to max_retries more attempts, waiting
// backoff, then twice that, and so on. After a timeout the order may exist at the venue, so the
// next attempt first asks the venue by client order id and sends only if it is not there.
struct RetryPolicy {
  int max_retries = 3;
  std::chrono::milliseconds backoff{1000};
};

// The wait before retry number `retry` (1, 2, 3, ...): backoff * 2^(retry - 1).
std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int retry);

class OrderFlow {
 public:
  OrderFlow(const Instrument& instrument, Portfolio& portfolio, ExecutionGateway& gateway, AuditJournal& journal,
            Venue& venue, OrderFlowListener& listener, ClientOrderIdGenerator ids, bool allow_short,
            DurableLog* durable = nullptr);

  // The engine's clock: decisions and journaled order events carry it.
  void set_now(Timestamp now) { now_ = now; }
  Timestamp now() const { return now_; }
  // `mark` values market orders and exposure; `volume` is the market's recent volume.
  SubmitResult submit(const OrderRequest& request, const SourceId& source, Price mark, Qty volume);
  void cancel(const ClientOrderId& id, const SourceId& source);
  void on_execution(const ExecutionReport& report);

  AccountState account_state(Price mark) const;
  void set_retry_policy(RetryPolicy policy) { retry_ = policy; }
  // Runs the retries that are due (paper/live call it from their loop).
  void retry_due();
  bool has_pending_send(const ClientOrderId& id) const;
  std::size_t pending_sends() const { return pending_.size(); }
  // Puts an order a previous process left working back under management (recovery).
  void adopt(Order order, Price reference);
  // Ends an order whose venue fate is settled outside a report (recovery, reconciliation).
  void settle(Order& order, Qty open_qty, std::string_view reason);
  // Records a state change made outside a report (recovery marks, acks learnt by query).
  void changed(const Order& order, std::string_view reason, bool uncertain);

  OrderManager& orders() { return orders_; }
  const OrderManager& orders() const { return orders_; }
  bool halted() const { return !halt_.ok(); }
  const Status& halt_reason() const { return halt_; }
  ClientOrderIdGenerator& ids() { return ids_; }

  // Multi-signature approval (DESIGN.md section 7): an order the gateway approved whose notional
  // is at least `threshold` (0: off) is held, not yet durable and not sent, until release()
  // sends it by the usual write-ahead path or expire() rejects it. Its exposure counts meanwhile.
  struct HeldOrder {
    ApprovedOrder order;
    Price reference;
    SourceId source;
    std::uint64_t decision_id = 0;
    Timestamp since;
    Money notional;
  };
  void set_hold_threshold(Money threshold) { hold_threshold_ = threshold; }
  const std::vector<HeldOrder>& held() const { return held_; }
  bool release(const ClientOrderId& id);
  bool expire(const ClientOrderId& id, std::string_view reason);

 private:
  void send_new(ApprovedOrder approved, Price reference, std::uint64_t decision_id, const SourceId& source,
                SubmitResult* out);
  void drop_held(const HeldOrder& h, std::string_view reason);
  void journal_event(const Order& o, Qty qty, Price price, Money fee, std::string_view reason);
  void apply_fill(Order& o, const ExecutionReport& r);
  void end_order(Order& o, Qty open_qty, std::string_view reason);
  bool durable_ok(const Status& s);
  // After a failed send: schedules a retry, or settles the order's fate.
  void send_failed(SendResult result, int retries_done, bool may_exist);

  struct PendingSend {
    ApprovedOrder order;
    int retries_done;
    std::chrono::steady_clock::time_point due;
    bool query_first;  // an earlier attempt timed out: the venue may have it
  };

  const Instrument& inst_;
  Portfolio& portfolio_;
  ExecutionGateway& gateway_;
  AuditJournal& journal_;
  Venue& venue_;
  OrderFlowListener& listener_;
  ClientOrderIdGenerator ids_;
  bool allow_short_;
  DurableLog* durable_;
  OrderManager orders_;
  Status halt_;
  Timestamp now_;
  RetryPolicy retry_;
  TradingVenue* queryable_;  // the venue, if it can be asked about an order
  std::vector<PendingSend> pending_;
  Money hold_threshold_;
  std::vector<HeldOrder> held_;
};

}  // namespace cst
