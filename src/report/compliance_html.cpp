// compliance.html: the compliance report for people, one self-contained page.
#include <algorithm>

#include "compliance_html_sections.hpp"
#include "compliance_html_table.hpp"
#include "cst/core/atomic_file.hpp"
#include "cst/report/compliance_report.hpp"
#include "cst/report/text_format.hpp"

namespace cst::report {

namespace {

using compliance_html::Table;
using compliance_html::time_text;

constexpr std::string_view kCss = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#f5f6f8;margin:0}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 12px}h2{font-size:17px;margin:4px 0 10px}h3{font-size:15px;margin:16px 0 8px}
section,header{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:12px 18px;margin-bottom:16px}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums;margin-bottom:8px}
th,td{padding:4px 10px;border-bottom:1px solid #eceef2;text-align:left;vertical-align:top}
th{background:#f0f2f5;font-weight:600}
td.num{text-align:right;white-space:nowrap}td.time{white-space:nowrap}
.grid2{display:flex;gap:24px;flex-wrap:wrap}.grid2>table,.grid2>p{flex:1;min-width:300px}
.note{color:#5b6270;font-size:12.5px}
.ok{color:#1e7d32}.bad{color:#b3261e;font-weight:600}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
.banner{border-radius:6px;padding:14px 18px;margin-bottom:16px;font-size:15px;border:2px solid}
.banner.intact{background:#e8f5e9;border-color:#1e7d32}
.banner.broken{background:#fdecea;border-color:#b3261e;font-size:17px}
.banner.unsealed{background:#fff8e1;border-color:#b7791f}
tr.unverified td{background:#fdecea}
)css";

std::string banner_html(const ComplianceReport& r) {
  const VerifyReport& v = r.integrity;
  if (!v.ok) {
    return "<div class=\"banner broken\" id=\"integrity\"><strong>JOURNAL NOT INTACT: verification failed at record " +
           std::to_string(v.first_bad_seq) + ".</strong> " + html_escape(v.problem) + "<br>Records from " +
           std::to_string(v.first_bad_seq) +
           " on may have been edited, removed or reordered; this report shows them as the file holds them, and "
           "marks rows from them with &#9888;. Do not rely on this report without the original journal.</div>\n";
  }
  std::string out =
      "<div class=\"banner intact\" id=\"integrity\"><strong>Journal intact:</strong> the hash chain of " +
      std::to_string(v.records) + " records verifies up to head <code>" + html_escape(v.head_hash_hex) +
      "</code>.</div>\n";
  if (!v.sealed) {
    out +=
        "<div class=\"banner unsealed\"><strong>Not sealed:</strong> the writer did not close the journal (it is "
        "still running, or it crashed or was killed), so records after the last one may be missing.</div>\n";
  }
  return out;
}

std::string window_text(const ComplianceReport& r) {
  if (!r.from && !r.to) return "the whole journal";
  return (r.from ? time_text(*r.from) : std::string("the first record")) + " to " +
         (r.to ? time_text(*r.to) : std::string("the last record")) + " (inclusive)";
}

std::string header_html(const ComplianceReport& r) {
  Table meta({"Item", "Value"}, 0);
  meta.row().text("Journal file").code(r.journal_name);
  meta.row().text("Window").html(window_text(r));
  meta.row()
      .text("Records in window")
      .html(std::to_string(r.records_in_window) +
            (r.first_in_window ? ", " + time_text(*r.first_in_window) + " to " + time_text(*r.last_in_window) : ""));
  meta.row().text("Records in journal").number(r.integrity.records);
  meta.row().text("Head hash").code(r.integrity.head_hash_hex);
  meta.row().text("Sealed").text(r.integrity.sealed ? "yes" : "no");
  return "<header><h1>Compliance report: " + html_escape(r.journal_name) + "</h1>" + meta.finish() + "</header>\n";
}

std::uint64_t verdict_count(const ComplianceReport& r, std::string_view verdict) {
  for (const NameCount& c : r.decisions.by_verdict)
    if (c.name == verdict) return c.count;
  return 0;
}

std::string summary_html(const ComplianceReport& r) {
  const auto open_lockdowns =
      std::count_if(r.lockdowns.begin(), r.lockdowns.end(), [](const LockdownEpisode& e) { return !e.resumed_by; });
  const auto refused_reviews = std::count_if(r.config_reviews.begin(), r.config_reviews.end(),
                                             [](const ConfigReviewEntry& e) { return !e.accepted(); });
  const ThreatChange* threat = !r.threat_changes.empty() ? &r.threat_changes.back()
                               : r.threat_at_start       ? &*r.threat_at_start
                                                         : nullptr;
  Table t({"Item", "Count"}, 0);
  t.row()
      .text("Gateway decisions (approved / reduced / rejected)")
      .text(std::to_string(r.decisions.total) + " (" + std::to_string(verdict_count(r, "approved")) + " / " +
            std::to_string(verdict_count(r, "reduced")) + " / " + std::to_string(verdict_count(r, "rejected")) + ")");
  t.row().text("Security events").number(r.security_events.size());
  t.row().text("Orders rejected at a hard ceiling").number(r.ceiling_rejections.size());
  t.row()
      .text("Lockdowns (still in force at the end)")
      .text(std::to_string(r.lockdowns.size()) + " (" + std::to_string(open_lockdowns) + ")");
  t.row().text("Operator actions").number(r.operator_actions.size());
  t.row()
      .text("Configuration reviews (refused)")
      .text(std::to_string(r.config_reviews.size()) + " (" + std::to_string(refused_reviews) + ")");
  t.row().text("Configuration file tampering").number(r.config_tampering.size());
  t.row().text("Key events").number(r.key_events.size());
  t.row().text("Threat level at the end").text(threat ? threat->level : "unknown");
  t.row().text("Alerts").number(r.alerts.size());
  t.row().text("Malformed records").number(r.malformed);
  return compliance_html::section("Summary", t.finish());
}

}  // namespace

std::string render_compliance_html(const ComplianceReport& r) {
  namespace s = compliance_html;
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Compliance report: " +
      html_escape(r.journal_name) + (r.integrity.ok ? "" : " (JOURNAL NOT INTACT)") + "</title><style>" +
      std::string(kCss) + "</style></head>\n<body><main>\n";
  out += banner_html(r);
  out += header_html(r);
  out += summary_html(r);
  out += s::decisions_section(r);
  out += s::violations_section(r);
  out += s::lockdowns_section(r);
  out += s::operator_section(r);
  out += s::keys_section(r);
  out += s::configuration_section(r);
  out += s::threat_section(r);
  out += s::alerts_section(r);
  out += s::other_section(r);
  out += "</main></body></html>\n";
  return out;
}

Status write_compliance_report(const ComplianceReport& report, const std::string& dir) {
  Status s = write_file_atomically(dir + "/compliance.html", render_compliance_html(report));
  if (!s.ok()) return s;
  return write_file_atomically(dir + "/compliance.json", render_compliance_json(report));
}

}  // namespace cst::report
