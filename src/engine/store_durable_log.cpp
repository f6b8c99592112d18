#include "cst/engine/store_durable_log.hpp"

#include "cst/engine/crash_point.hpp"

namespace cst {

StoreDurableLog::StoreDurableLog(StateStore& store, AuditJournal& journal,
                                 const std::vector<std::uint64_t>& applied_trades)
    : store_(store), journal_(journal), trades_(applied_trades.begin(), applied_trades.end()) {}

Status StoreDurableLog::before_send(const Order& order, std::uint64_t decision_id, Price reference,
                                    const SourceId& source) {
  Status s = journal_.flush();
  if (!s.ok()) return s;
  crash_point::pass("decision journaled, order not stored");
  StoredOrder o;
  o.order = order.snapshot();
  o.order.intent.source = source;
  o.decision_id = decision_id;
  o.reference = reference;
  o.created = order.events().front().time;
  // Until the venue answers, nobody knows whether it has the order.
  o.uncertain = true;
  s = store_.record_new_order(o);
  if (!s.ok()) return s;
  crash_point::pass("order stored, not sent");
  return Status::Ok();
}

Status StoreDurableLog::order_changed(const Order& order, std::string_view reason, bool uncertain) {
  Status s = store_.record_order_update(order, reason, uncertain);
  if (s.ok()) crash_point::pass("order change stored");
  return s;
}

Status StoreDurableLog::fill_applied(const StoredFill& fill, const Order& order, const Portfolio& portfolio) {
  auto stored = store_.record_fill(fill, &order, portfolio.snapshot());
  if (!stored.ok()) return stored.error();
  trades_.insert(fill.trade_id);
  crash_point::pass("fill stored, strategy not told");
  return Status::Ok();
}

Status StoreDurableLog::foreign_fill_applied(const StoredFill& fill, const Portfolio& portfolio) {
  auto stored = store_.record_fill(fill, nullptr, portfolio.snapshot());
  if (!stored.ok()) return stored.error();
  trades_.insert(fill.trade_id);
  return Status::Ok();
}

}  // namespace cst
