// The paper session's security controls: lockdown triggers, the threat level and its
// tightening of the gateway (DESIGN.md section 7; security_monitor.hpp has the rules).
#include "paper_session_impl.hpp"

namespace cst::paper_detail {

using security::SecurityEventKind;

void PaperSession::lock_down(const std::string& kind, const std::string& reason) {
  risk_.lockdown();
  Status s = save_controls(reason, kind);
  raise_alert(kind, reason, "LOCKDOWN: " + reason);
  // At the next bar, not here: a lockdown can be raised from inside a venue call.
  if (options_.flatten_on_lockdown) flatten_pending_ = true;
  if (s.ok()) s = journal_->flush();
  if (!s.ok()) note("engine_error", json_object({{"message", s.error().message}}));
}

void PaperSession::security_event(SecurityEventKind kind, const std::string& detail) {
  const std::string name(to_string(kind));
  Status s = store_->add_security_event(StoredSecurityEvent{now_, name, detail, false});
  if (!s.ok()) note("engine_error", json_object({{"message", s.error().message}}));
  note("security_event",
       json_object({{"kind", name}, {"detail", detail}, {"weight", std::to_string(security::weight(kind))}}));
  if (auto reason = monitor_.record(security::SecurityEvent{now_, kind, detail})) {
    monitor_.set_security_lockdown(true);
    lock_down(name, *reason);
  }
  update_threat();
}

void PaperSession::update_threat(bool force) {
  const security::ThreatLevel t = monitor_.threat(now_);
  if (t == threat_ && !force) return;
  const bool rising = t > threat_;
  threat_ = t;
  const int percent = security::tightening_percent(t);
  risk_.set_tightening(percent);
  note("threat_level", json_object({{"level", std::string(to_string(t))},
                                    {"score", std::to_string(monitor_.score(now_))},
                                    {"limits_percent", std::to_string(percent)}}));
  if (rising && t >= security::ThreatLevel::kElevated) {
    raise_alert("threat_level", std::string(to_string(t)),
                "threat level " + std::string(to_string(t)) + ": position and exposure limits at " +
                    std::to_string(percent) + "%");
  }
}

Status PaperSession::restore_security() {
  auto events = store_->security_events(now_ + Duration{-options_.security.violation_window.ns});
  if (!events.ok()) return events.error();
  for (const StoredSecurityEvent& e : *events) {
    if (auto kind = security::parse_security_event_kind(e.kind)) {
      monitor_.restore(security::SecurityEvent{e.time, *kind, e.detail}, e.acknowledged);
    }
  }
  // A lockdown set by a security trigger (its kind is stored as who set it) stays SEVERE.
  if (risk_.state() == TradingState::kLockdown &&
      security::parse_security_event_kind(loaded_.controls.operator_name).has_value()) {
    monitor_.set_security_lockdown(true);
  }
  update_threat(true);
  return Status::Ok();
}

void PaperSession::ceiling_attempt(const OrderRequest& request, const SubmitResult& r) {
  const bool position = r.reason == ReasonCode::kPositionCeiling;
  security_event(position ? SecurityEventKind::kPositionCeilingAttempt : SecurityEventKind::kLeverageCeilingAttempt,
                 std::string(to_string(request.side)) + " " + format_decimal(request.qty.raw, inst_.qty_decimals) +
                     (position ? " asked for a position above the hard ceiling of " +
                                     std::to_string(kHardCeilings.position_bp / 100) + "% of equity"
                               : " asked for leverage above the ceiling of " +
                                     format_decimal(risk_.limits().leverage_x100, 2) + "x"));
}

}  // namespace cst::paper_detail
