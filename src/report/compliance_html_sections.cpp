#include "compliance_html_sections.hpp"

#include "compliance_html_table.hpp"
#include "cst/report/text_format.hpp"

namespace cst::report::compliance_html {

namespace {

void action_row(Table& t, const OperatorActionEntry& a) {
  t.row(a.at).text(a.action).text(a.operator_name).text(a.reason).text(a.outcome);
}

std::string episode_html(const ComplianceReport& r, const LockdownEpisode& e, std::size_t number) {
  std::string out = "<h3>Lockdown " + std::to_string(number) + ": from " + time_text(e.start.time);
  if (e.resumed_by) {
    out += " to " + time_text(e.resumed_by->at.time) + ", resumed by " + html_escape(e.resumed_by->operator_name);
  } else {
    out += ", <span class=\"bad\">still in force at the end of the window</span>";
  }
  out += "</h3>";
  if (e.began_before_window) out += "<p class=\"note\">Began before the window; shown whole.</p>";
  Table triggers({"#", "Time", "Source", "Reason"}, first_unverified(r));
  for (const LockdownTrigger& t : e.triggers) triggers.row(t.at).text(t.source).text(t.detail);
  out += triggers.finish();
  if (!e.refused_resumes.empty() || e.resumed_by) {
    Table resumes({"#", "Time", "Action", "Operator", "Reason", "State after / why refused"}, first_unverified(r));
    for (const OperatorActionEntry& a : e.refused_resumes) action_row(resumes, a);
    if (e.resumed_by) action_row(resumes, *e.resumed_by);
    out += resumes.finish();
  }
  return out;
}

}  // namespace

std::string decisions_section(const ComplianceReport& r) {
  const DecisionTally& d = r.decisions;
  Table verdicts({"Verdict", "Count"}, 0);
  for (const NameCount& c : d.by_verdict) verdicts.row().text(c.name).number(c.count);
  Table reasons({"Reason", "Total", "Reduced", "Rejected"}, 0);
  for (const ReasonCount& c : d.by_reason)
    reasons.row().code(c.reason).number(c.total()).number(c.reduced).number(c.rejected);
  return section("Gateway decisions", "<p>" + std::to_string(d.total) + " decisions, " +
                                          std::to_string(r.order_events) + " order events.</p><div class=\"grid2\">" +
                                          verdicts.finish("No decisions in the window.") +
                                          reasons.finish("No order was reduced or rejected.") + "</div>");
}

std::string violations_section(const ComplianceReport& r) {
  Table events({"#", "Time", "Kind", "Weight", "Detail"}, first_unverified(r));
  for (const SecurityEventEntry& e : r.security_events) {
    events.row(e.at).code(e.kind).text(e.weight ? std::to_string(*e.weight) : "?").text(e.detail);
  }
  Table ceilings({"#", "Time", "Ceiling", "Client order id", "Side", "Qty"}, first_unverified(r));
  for (const CeilingRejection& c : r.ceiling_rejections) {
    ceilings.row(c.at).code(c.reason).code(c.client_order_id).text(c.side).text(c.qty);
  }
  return section("Violations", "<h3>Security events</h3>" + events.finish("No security events in the window.") +
                                   "<h3>Orders rejected at a hard ceiling</h3>" +
                                   ceilings.finish("No order asked above a hard ceiling."));
}

std::string lockdowns_section(const ComplianceReport& r) {
  if (r.lockdowns.empty()) return section("Lockdowns", "<p class=\"note\">No lockdown in the window.</p>");
  std::string body;
  for (std::size_t i = 0; i < r.lockdowns.size(); ++i) body += episode_html(r, r.lockdowns[i], i + 1);
  return section("Lockdowns", body);
}

std::string operator_section(const ComplianceReport& r) {
  Table actions({"#", "Time", "Action", "Operator", "Reason", "State after / why refused"}, first_unverified(r));
  for (const OperatorActionEntry& a : r.operator_actions) action_row(actions, a);
  Table states({"#", "Time", "Change", "Reason"}, first_unverified(r));
  for (const RiskStateEntry& s : r.risk_states) states.row(s.at).text(s.from + " -> " + s.to).code(s.reason);
  for (const RiskEventEntry& e : r.risk_events)
    states.row(e.at).text("risk event " + e.event).text("equity " + e.equity);
  return section("Operator actions and trading state",
                 "<h3>Operator actions</h3>" + actions.finish("No operator action in the window.") +
                     "<h3>Trading state changes</h3>" + states.finish("No state change in the window."));
}

std::string keys_section(const ComplianceReport& r) {
  Table keys({"#", "Time", "Event", "Key id", "Venue", "Detail"}, first_unverified(r));
  for (const KeyEventEntry& k : r.key_events) keys.row(k.at).text(k.event).code(k.key_id).text(k.venue).text(k.detail);
  Table approvals({"#", "Time", "Event", "Client order id", "Operator", "Detail"}, first_unverified(r));
  for (const OrderApprovalEntry& a : r.order_approvals) {
    approvals.row(a.at).code(a.kind).code(a.client_order_id).text(a.operator_name).text(a.detail);
  }
  return section("Keys and order approvals", "<h3>API key events</h3>" + keys.finish("No key events in the window.") +
                                                 "<h3>Large-order approvals</h3>" +
                                                 approvals.finish("No order was held for approval in the window."));
}

}  // namespace cst::report::compliance_html
