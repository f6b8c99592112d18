#include "compliance_lockdowns.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "cst/security/security_monitor.hpp"

namespace cst::report::compliance {

namespace {

constexpr std::int64_t kLockdownWeight = 10;  // security_monitor.hpp: such an event locks down at once

bool mentions_lockdown(std::string_view s) {
  constexpr std::string_view kWord = "lockdown";
  const auto it = std::search(s.begin(), s.end(), kWord.begin(), kWord.end(),
                              [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  return it != s.end();
}

std::string labeled(std::string_view a, std::string_view sep, std::string_view b) {
  if (b.empty()) return std::string(a);
  return std::string(a) + std::string(sep) + std::string(b);
}

std::optional<std::string> trigger_detail(std::string_view kind, const Json& o) {
  if (kind == "security_event") {
    // The journaled weight; a known kind of weight 10 without one (an older note) counts too.
    const std::string name = text(o, "kind");
    const auto known = security::parse_security_event_kind(name);
    const std::int64_t w = integer(o, "weight").value_or(known ? security::weight(*known) : 0);
    if (w < kLockdownWeight) return std::nullopt;
    return labeled(name, ": ", text(o, "detail"));
  }
  if (kind == "risk_state") {
    if (text(o, "to") != "lockdown") return std::nullopt;
    return "gateway: " + text(o, "from") + " -> lockdown" +
           (has_text(o, "reason") ? " (" + text(o, "reason") + ")" : "");
  }
  if (kind == "risk_event") {
    if (text(o, "event") != "emergency_lockdown") return std::nullopt;
    return labeled("emergency_lockdown", ", equity ", text(o, "equity"));
  }
  if (kind == "alert") {
    // lock_down() raises its alert under the kind of the security event that caused it.
    const std::string alert_kind = text(o, "kind");
    const std::string reason = text(o, "reason");
    const bool by_lockdown = security::parse_security_event_kind(alert_kind).has_value() ||
                             mentions_lockdown(alert_kind) || mentions_lockdown(reason);
    if (!by_lockdown) return std::nullopt;
    // Its reason usually starts with that kind already ("config_tampering: ...").
    if (reason.starts_with(alert_kind + ":")) return reason;
    return labeled(alert_kind, ": ", reason);
  }
  if (kind == "recovery_start") {
    if (text(o, "trading_state") != "lockdown") return std::nullopt;
    return labeled("restarted in lockdown", ": ", text(o, "reason"));
  }
  return std::nullopt;
}

}  // namespace

std::optional<LockdownTrigger> lockdown_trigger(std::string_view kind, const Json& o, JournalRef at) {
  auto detail = trigger_detail(kind, o);
  if (!detail) return std::nullopt;
  return LockdownTrigger{at, std::string(kind), std::move(*detail)};
}

void LockdownTracker::trigger(LockdownTrigger t, bool before) {
  if (open_) {
    episodes_.back().triggers.push_back(std::move(t));
    return;
  }
  LockdownEpisode e;
  e.start = t.at;
  e.began_before_window = before;
  e.triggers.push_back(std::move(t));
  episodes_.push_back(std::move(e));
  open_ = true;
}

void LockdownTracker::resume(const OperatorActionEntry& a, bool before) {
  if (!open_) return;
  open_ = false;
  if (before && episodes_.back().began_before_window) {
    episodes_.pop_back();  // over before the window began
    return;
  }
  episodes_.back().resumed_by = a;
}

void LockdownTracker::refused(const OperatorActionEntry& a) {
  if (open_) episodes_.back().refused_resumes.push_back(a);
}

std::vector<LockdownEpisode> LockdownTracker::take() {
  open_ = false;
  return std::exchange(episodes_, {});
}

}  // namespace cst::report::compliance
