// The DurableLog of paper and live trading (order_flow.hpp) over the account's StateStore and
// AuditJournal: before a send, the journal is flushed (the decision is durable, DESIGN.md
// invariant 3) and the order stored as SUBMITTED; every acknowledgement, cancel and fill is
// stored before anything acts on it. It remembers the venue trade ids applied, so a fill
// reported twice is applied once.
#pragma once

#include <unordered_set>

#include "cst/audit/audit_journal.hpp"
#include "cst/engine/order_flow.hpp"
#include "cst/state/state_store.hpp"

namespace cst {

class StoreDurableLog final : public DurableLog {
 public:
  StoreDurableLog(StateStore& store, AuditJournal& journal, const std::vector<std::uint64_t>& applied_trades);

  Status before_send(const Order& order, std::uint64_t decision_id, Price reference, const SourceId& source) override;
  Status order_changed(const Order& order, std::string_view reason, bool uncertain) override;
  bool has_trade(std::uint64_t trade_id) const override { return trades_.count(trade_id) != 0; }
  Status fill_applied(const StoredFill& fill, const Order& order, const Portfolio& portfolio) override;
  // A fill of an order not managed here (reconciliation found it at the venue).
  Status foreign_fill_applied(const StoredFill& fill, const Portfolio& portfolio);

 private:
  StateStore& store_;
  AuditJournal& journal_;
  std::unordered_set<std::uint64_t> trades_;
};

}  // namespace cst
