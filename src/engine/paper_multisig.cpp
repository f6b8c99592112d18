// Multi-signature approval of large orders in a paper session (DESIGN.md section 7): held,
// approved by M of N operators (`cst approve`), released through the usual write-ahead path,
// or rejected at the timeout. Every step is journaled.
#include "cst/security/operator_statements.hpp"
#include "paper_session_impl.hpp"

namespace cst::paper_detail {

void PaperSession::hold_new_orders(std::size_t held_before) {
  const Timestamp now = wall_now();
  for (std::size_t i = held_before; i < flow_.held().size(); ++i) {
    const OrderFlow::HeldOrder& h = flow_.held()[i];
    const std::string id = h.order.client_order_id().str();
    HeldOrderRow row{id,
                     std::string(to_string(h.order.side())),
                     h.order.approved_qty().raw,
                     h.reference.raw,
                     h.notional,
                     options_.multisig.required,
                     now,
                     now + options_.multisig.timeout,
                     "held"};
    holds_[id] = HoldState{row.expires, {}};
    Status s = store_->put_held_order(row);
    if (!s.ok()) note("engine_error", json_object({{"message", s.error().message}}));
    note("order_held", json_object({{"client_order_id", id},
                                    {"notional", to_string(h.notional)},
                                    {"required", std::to_string(options_.multisig.required)},
                                    {"expires", format_iso8601(row.expires)}}));
    std::string message = "order " + id;
    message += " (" + to_string(h.notional) + ") held for " + std::to_string(options_.multisig.required);
    message += " operator approvals: cst approve " + id + " --state " + options_.state_path + " --key FILE";
    raise_alert("order_held", id, message);
  }
}

void PaperSession::process_approvals() {
  // Nothing held: nothing to release or expire, and no query per bar. An approval that names no
  // held order is judged (and journaled) the next time one is held.
  if (flow_.held().empty()) return;
  auto pending = store_->pending_order_approvals();
  if (!pending.ok()) {
    note("engine_error", json_object({{"message", pending.error().message}}));
    return;
  }
  auto operators = config::operators_of(options_.config_values);
  for (const OrderApprovalRow& a : *pending) {
    std::string why;
    const OrderFlow::HeldOrder* held = nullptr;
    for (const auto& h : flow_.held())
      if (h.order.client_order_id().view() == a.client_order_id) held = &h;
    const security::OperatorPublicKey* op = nullptr;
    if (operators.ok())
      for (const auto& o : *operators)
        if (o.name == a.operator_name) op = &o;
    auto signature = security::parse_signature_hex(a.signature);
    if (held == nullptr) {
      why = "no order " + a.client_order_id + " is held";
    } else if (op == nullptr) {
      why = a.operator_name + " is not an operator of the configuration in force";
    } else if (!signature.ok() || !security::verify_operator_signature(
                                      op->key, security::kOrderApprovalPurpose,
                                      security::order_approval_statement(
                                          account_key(loaded_.setup), a.client_order_id, to_string(held->order.side()),
                                          held->order.approved_qty().raw, held->reference.raw, held->notional.raw),
                                      *signature)) {
      why = "the signature does not verify for this order";
    }
    if (!why.empty()) {
      note("order_approval_rejected",
           json_object({{"client_order_id", a.client_order_id}, {"operator", a.operator_name}, {"why", why}}));
      security_event(security::SecurityEventKind::kRejectedApproval,
                     "approval of " + a.client_order_id + " by " + a.operator_name + " ignored: " + why);
    } else {
      auto& approvers = holds_[a.client_order_id].approved_by;
      if (std::find(approvers.begin(), approvers.end(), a.operator_name) == approvers.end()) {
        approvers.push_back(a.operator_name);
      }
      note("order_approval", json_object({{"client_order_id", a.client_order_id},
                                          {"operator", a.operator_name},
                                          {"approvals", std::to_string(approvers.size())}}));
    }
    Status s = store_->mark_approval_done(a.seq);
    if (!s.ok()) note("engine_error", json_object({{"message", s.error().message}}));
  }
  // Release what has enough approvals; reject what waited too long.
  const Timestamp now = wall_now();
  std::vector<std::string> release, expire;
  for (const auto& h : flow_.held()) {
    const std::string id = h.order.client_order_id().str();
    const HoldState& st = holds_[id];
    if (static_cast<int>(st.approved_by.size()) >= options_.multisig.required)
      release.push_back(id);
    else if (now >= st.expires)
      expire.push_back(id);
  }
  for (const std::string& id : release) {
    note("order_released",
         json_object({{"client_order_id", id}, {"approved_by", joined(holds_[id].approved_by, ",")}}));
    (void)store_->set_held_status(id, "released");
    holds_.erase(id);
    if (flow_.release(*ClientOrderId::parse(id))) ++run_.orders_sent;
  }
  for (const std::string& id : expire) {
    note("order_approval_expired",
         json_object({{"client_order_id", id}, {"approvals", std::to_string(holds_[id].approved_by.size())}}));
    (void)store_->set_held_status(id, "expired");
    holds_.erase(id);
    (void)flow_.expire(*ClientOrderId::parse(id), "approval_timeout");
  }
}

void PaperSession::expire_all_held(std::string_view reason) {
  std::vector<std::string> ids;
  for (const auto& h : flow_.held()) ids.push_back(h.order.client_order_id().str());
  for (const std::string& id : ids) {
    note("order_approval_expired", json_object({{"client_order_id", id}, {"reason", std::string(reason)}}));
    (void)store_->set_held_status(id, "expired");
    holds_.erase(id);
    (void)flow_.expire(*ClientOrderId::parse(id), reason);
  }
}

}  // namespace cst::paper_detail
