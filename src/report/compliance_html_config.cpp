#include "compliance_html_sections.hpp"
#include "compliance_html_table.hpp"
#include "cst/report/text_format.hpp"

namespace cst::report::compliance_html {

namespace {

std::string list_text(const std::vector<std::string>& items) {
  if (items.empty()) return "none";
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string value_html(const std::optional<std::string>& v) {
  return v ? "<code>" + html_escape(*v) + "</code>" : "<span class=\"note\">(none)</span>";
}

std::string review_html(const ComplianceReport& r, const ConfigReviewEntry& e) {
  std::string out =
      "<h3>Review at " + time_text(e.at.time) + " (record " + std::to_string(e.at.seq) +
      "): " + (e.accepted() ? "<span class=\"ok\">accepted</span>" : "<span class=\"bad\">REFUSED</span>") + "</h3>";
  Table facts({"Item", "Value"}, 0);
  facts.row().text("Config hash").code(e.config_hash);
  facts.row().text("First use").text(e.first_use ? "yes" : "no");
  facts.row().text("Approvals needed").number(e.approvals_needed);
  facts.row().text("Approved by").text(list_text(e.approved_by));
  facts.row().text("Approvals ignored").text(list_text(e.ignored));
  facts.row().text("Changed without approval").text(list_text(e.unapproved));
  if (e.unprotected) facts.row().text("Unprotected").text("RESTRICTED changes, but no operators are configured");
  out += facts.finish();
  const bool unverified = first_unverified(r) != 0 && e.at.seq >= first_unverified(r);
  if (unverified) out += "<p class=\"bad\">&#9888; This review is at or after the record where the journal breaks.</p>";
  Table changes({"Key", "Level", "Before", "After"}, 0);
  for (const ConfigChangeEntry& c : e.changes) {
    changes.row().code(c.key).text(c.level).html(value_html(c.before)).html(value_html(c.after));
  }
  return out + changes.finish("No changes.");
}

}  // namespace

std::string configuration_section(const ComplianceReport& r) {
  std::string body;
  for (const ConfigReviewEntry& e : r.config_reviews) body += review_html(r, e);
  if (r.config_reviews.empty()) body += "<p class=\"note\">No configuration review in the window.</p>";
  Table in_force({"#", "Time", "Config hash", "Changes", "First use"}, first_unverified(r));
  for (const ConfigInForceEntry& e : r.configs_in_force) {
    in_force.row(e.at).code(e.config_hash).text(e.changes).text(e.first_use ? "yes" : "no");
  }
  Table tampered({"#", "Time", "File", "Hash in force", "Hash found"}, first_unverified(r));
  for (const ConfigTamperedEntry& e : r.config_tampering) {
    tampered.row(e.at).code(e.path).code(e.expected).code(e.found.empty() ? "(unreadable)" : e.found);
  }
  return section("Configuration", body + "<h3>Configurations put in force</h3>" +
                                      in_force.finish("None in the window.") + "<h3>Configuration file tampering</h3>" +
                                      tampered.finish("No tampering detected in the window."));
}

std::string threat_section(const ComplianceReport& r) {
  std::string body = "<p>At the start of the window: ";
  if (r.threat_at_start) {
    body += "<strong>" + html_escape(r.threat_at_start->level) + "</strong> (score " +
            html_escape(r.threat_at_start->score) + ", since " + time_text(r.threat_at_start->at.time) + ")";
  } else {
    body += "no earlier threat level in the journal";
  }
  body += ".</p>";
  Table changes({"#", "Time", "Level", "Score", "Limits at"}, first_unverified(r));
  for (const ThreatChange& t : r.threat_changes) {
    changes.row(t.at).text(t.level).text(t.score).text(t.limits_percent.empty() ? "" : t.limits_percent + "%");
  }
  return section("Threat level", body + changes.finish("No change in the window."));
}

std::string alerts_section(const ComplianceReport& r) {
  Table alerts({"#", "Time", "Kind", "Reason"}, first_unverified(r));
  for (const AlertEntry& a : r.alerts) alerts.row(a.at).code(a.kind).text(a.reason);
  return section("Alerts", alerts.finish("No alerts in the window."));
}

std::string other_section(const ComplianceReport& r) {
  Table other({"Note kind", "Count"}, 0);
  for (const NameCount& c : r.other_notes) other.row().code(c.name).number(c.count);
  std::string body = "<h3>Other notes</h3>" + other.finish("None.");
  body += "<h3>Malformed records: " + std::to_string(r.malformed) + "</h3>";
  Table bad({"#", "Time", "Kind", "Problem"}, first_unverified(r));
  for (const MalformedRecord& m : r.malformed_listed) bad.row(m.at).code(m.kind).text(m.problem);
  body += bad.finish("None: every record this report reads was well-formed.");
  if (r.malformed > r.malformed_listed.size()) {
    body += "<p class=\"note\">Showing the first " + std::to_string(r.malformed_listed.size()) + ".</p>";
  }
  return section("Other records", body);
}

}  // namespace cst::report::compliance_html
