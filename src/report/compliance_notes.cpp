#include "compliance_notes.hpp"

#include <algorithm>

#include "cst/security/security_monitor.hpp"

namespace cst::report::compliance {

namespace {

// True if o has `key` as text; else names it in *problem.
bool require(const Json& o, const char* key, std::string* problem) {
  if (has_text(o, key)) return true;
  *problem = std::string("no '") + key + "' field";
  return false;
}

std::optional<std::string> optional_text(const Json& o, const char* key) {
  if (!o.contains(key) || o[key].is_null()) return std::nullopt;
  return text(o, key);
}

std::vector<ConfigChangeEntry> read_changes(const Json& o) {
  std::vector<ConfigChangeEntry> out;
  const auto it = o.find("changes");
  if (it == o.end() || !it->is_array()) return out;
  for (const Json& c : *it) {
    if (!c.is_object()) continue;
    out.push_back(
        ConfigChangeEntry{text(c, "key"), text(c, "level"), optional_text(c, "before"), optional_text(c, "after")});
  }
  return out;
}

}  // namespace

std::optional<SecurityEventEntry> read_security_event(const Json& o, JournalRef at, std::string* problem) {
  if (!require(o, "kind", problem)) return std::nullopt;
  SecurityEventEntry e{at, text(o, "kind"), text(o, "detail"), std::nullopt};
  if (auto w = integer(o, "weight")) {
    e.weight = static_cast<int>(std::clamp<std::int64_t>(*w, -1'000'000, 1'000'000));
  } else if (!o.contains("weight")) {
    // Older notes did not journal the weight: the kind's own, if it is a known kind.
    if (auto kind = security::parse_security_event_kind(e.kind)) e.weight = security::weight(*kind);
  }
  return e;
}

std::optional<ThreatChange> read_threat_change(const Json& o, JournalRef at, std::string* problem) {
  if (!require(o, "level", problem)) return std::nullopt;
  return ThreatChange{at, text(o, "level"), text(o, "score"), text(o, "limits_percent")};
}

std::optional<AlertEntry> read_alert(const Json& o, JournalRef at, std::string* problem) {
  if (!require(o, "kind", problem)) return std::nullopt;
  return AlertEntry{at, text(o, "kind"), text(o, "reason")};
}

std::optional<RiskStateEntry> read_risk_state(const Json& o, JournalRef at, std::string* problem) {
  if (!require(o, "to", problem)) return std::nullopt;
  return RiskStateEntry{at, text(o, "from"), text(o, "to"), text(o, "reason")};
}

std::optional<RiskEventEntry> read_risk_event(const Json& o, JournalRef at, std::string* problem) {
  if (!require(o, "event", problem)) return std::nullopt;
  return RiskEventEntry{at, text(o, "event"), text(o, "equity")};
}

std::optional<OperatorActionEntry> read_operator_action(const Json& o, JournalRef at, std::string_view action,
                                                        std::string* problem) {
  if (!require(o, "operator", problem)) return std::nullopt;
  const bool refused = action == "resume_refused";
  return OperatorActionEntry{at, std::string(action), text(o, "operator"), text(o, "reason"),
                             text(o, refused ? "why" : "state")};
}

std::optional<KeyEventEntry> read_key_event(const Json& o, JournalRef at, std::string* problem) {
  if (!require(o, "event", problem)) return std::nullopt;
  return KeyEventEntry{at, text(o, "event"), text(o, "key_id"), text(o, "venue"),
                       joined(text(o, "detail"), other_fields(o, {"event", "key_id", "venue", "detail"}))};
}

std::optional<OrderApprovalEntry> read_order_approval(const Json& o, JournalRef at, std::string_view kind,
                                                      std::string* /*problem*/) {
  return OrderApprovalEntry{at, std::string(kind), text(o, "client_order_id"), text(o, "operator"),
                            joined(text(o, "why"), other_fields(o, {"client_order_id", "operator", "why"}))};
}

std::optional<ConfigReviewEntry> read_config_review(const Json& o, JournalRef at, std::string* problem) {
  if (!require(o, "config_hash", problem)) return std::nullopt;
  ConfigReviewEntry e;
  e.at = at;
  e.config_hash = text(o, "config_hash");
  e.first_use = flag(o, "first_use");
  e.changes = read_changes(o);
  e.approvals_needed =
      static_cast<std::uint64_t>(std::max<std::int64_t>(0, integer(o, "approvals_needed").value_or(0)));
  e.approved_by = texts(o, "approved_by");
  e.ignored = texts(o, "ignored");
  e.unapproved = texts(o, "unapproved");
  e.unprotected = flag(o, "unprotected");
  return e;
}

std::optional<ConfigInForceEntry> read_config_in_force(const Json& o, JournalRef at, std::string* problem) {
  if (!require(o, "config_hash", problem)) return std::nullopt;
  return ConfigInForceEntry{at, text(o, "config_hash"), text(o, "changes"), flag(o, "first_use")};
}

std::optional<ConfigTamperedEntry> read_config_tampered(const Json& o, JournalRef at, std::string* problem) {
  if (!require(o, "expected", problem)) return std::nullopt;
  return ConfigTamperedEntry{at, text(o, "path"), text(o, "expected"), text(o, "found")};
}

bool is_order_approval_kind(std::string_view kind) {
  return kind == "order_held" || kind == "order_released" || kind.starts_with("order_approval");
}

}  // namespace cst::report::compliance
