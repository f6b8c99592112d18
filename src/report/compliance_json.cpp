// compliance.json: the compliance report for machines, with the same content as the HTML.
#include "cst/report/compliance_report.hpp"
#include "json_writer.hpp"

namespace cst::report {

namespace {

void text(JsonWriter& w, std::string_view name, std::string_view v) {
  w.key(name);
  w.string(v);
}

void count(JsonWriter& w, std::string_view name, std::uint64_t v) {
  w.key(name);
  w.unsigned_integer(v);
}

void boolean(JsonWriter& w, std::string_view name, bool v) {
  w.key(name);
  w.number_text(v ? "true" : "false");
}

void time_or_null(JsonWriter& w, std::string_view name, const std::optional<Timestamp>& t) {
  w.key(name);
  if (t) {
    w.string(format_iso8601(*t));
  } else {
    w.null();
  }
}

void optional_text(JsonWriter& w, std::string_view name, const std::optional<std::string>& v) {
  w.key(name);
  if (v) {
    w.string(*v);
  } else {
    w.null();
  }
}

void strings(JsonWriter& w, std::string_view name, const std::vector<std::string>& items) {
  w.key(name);
  w.begin_array();
  for (const std::string& s : items) w.string(s);
  w.end_array();
}

// Opens an entry object with where it comes from; the caller adds fields and closes it.
void begin_entry(JsonWriter& w, const JournalRef& at) {
  w.begin_object();
  count(w, "seq", at.seq);
  text(w, "time", format_iso8601(at.time));
}

// An array of entries under `name`, each written by write(w, entry) after its seq and time.
template <class T, class Write>
void entries(JsonWriter& w, std::string_view name, const std::vector<T>& list, Write&& write) {
  w.key(name);
  w.begin_array();
  for (const T& e : list) {
    begin_entry(w, e.at);
    write(w, e);
    w.end_object();
  }
  w.end_array();
}

void write_action(JsonWriter& w, const OperatorActionEntry& a) {
  text(w, "action", a.action);
  text(w, "operator", a.operator_name);
  text(w, "reason", a.reason);
  text(w, a.action == "resume_refused" ? "why" : "state", a.outcome);
}

void write_journal(JsonWriter& w, const ComplianceReport& r) {
  const VerifyReport& v = r.integrity;
  w.key("journal");
  w.begin_object();
  text(w, "file", r.journal_name);
  boolean(w, "intact", v.ok);
  count(w, "records", v.records);
  text(w, "head_hash", v.head_hash_hex);
  boolean(w, "sealed", v.sealed);
  w.key("first_bad_seq");
  if (v.ok)
    w.null();
  else
    w.unsigned_integer(v.first_bad_seq);
  w.key("problem");
  if (v.ok)
    w.null();
  else
    w.string(v.problem);
  w.end_object();
}

void write_window(JsonWriter& w, const ComplianceReport& r) {
  w.key("window");
  w.begin_object();
  time_or_null(w, "from", r.from);
  time_or_null(w, "to", r.to);
  time_or_null(w, "first_record", r.first_in_window);
  time_or_null(w, "last_record", r.last_in_window);
  count(w, "records", r.records_in_window);
  w.end_object();
}

void write_decisions(JsonWriter& w, const ComplianceReport& r) {
  w.key("decisions");
  w.begin_object();
  count(w, "total", r.decisions.total);
  w.key("by_verdict");
  w.begin_array();
  for (const NameCount& c : r.decisions.by_verdict) {
    w.begin_object();
    text(w, "verdict", c.name);
    count(w, "count", c.count);
    w.end_object();
  }
  w.end_array();
  w.key("by_reason");
  w.begin_array();
  for (const ReasonCount& c : r.decisions.by_reason) {
    w.begin_object();
    text(w, "reason", c.reason);
    count(w, "count", c.total());
    count(w, "reduced", c.reduced);
    count(w, "rejected", c.rejected);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  count(w, "order_events", r.order_events);
}

void write_violations(JsonWriter& w, const ComplianceReport& r) {
  w.key("violations");
  w.begin_object();
  entries(w, "security_events", r.security_events, [](JsonWriter& o, const SecurityEventEntry& e) {
    text(o, "kind", e.kind);
    text(o, "detail", e.detail);
    o.key("weight");
    if (e.weight)
      o.integer(*e.weight);
    else
      o.null();
  });
  entries(w, "ceiling_rejections", r.ceiling_rejections, [](JsonWriter& o, const CeilingRejection& e) {
    text(o, "reason", e.reason);
    text(o, "client_order_id", e.client_order_id);
    text(o, "side", e.side);
    text(o, "qty", e.qty);
  });
  w.end_object();
}

void write_lockdowns(JsonWriter& w, const ComplianceReport& r) {
  w.key("lockdowns");
  w.begin_array();
  for (const LockdownEpisode& e : r.lockdowns) {
    begin_entry(w, e.start);
    boolean(w, "began_before_window", e.began_before_window);
    entries(w, "triggers", e.triggers, [](JsonWriter& o, const LockdownTrigger& t) {
      text(o, "source", t.source);
      text(o, "detail", t.detail);
    });
    entries(w, "refused_resumes", e.refused_resumes, write_action);
    w.key("resumed_by");
    if (e.resumed_by) {
      begin_entry(w, e.resumed_by->at);
      write_action(w, *e.resumed_by);
      w.end_object();
    } else {
      w.null();
    }
    w.end_object();
  }
  w.end_array();
}

void write_controls(JsonWriter& w, const ComplianceReport& r) {
  entries(w, "operator_actions", r.operator_actions, write_action);
  entries(w, "risk_states", r.risk_states, [](JsonWriter& o, const RiskStateEntry& e) {
    text(o, "from", e.from);
    text(o, "to", e.to);
    text(o, "reason", e.reason);
  });
  entries(w, "risk_events", r.risk_events, [](JsonWriter& o, const RiskEventEntry& e) {
    text(o, "event", e.event);
    text(o, "equity", e.equity);
  });
  entries(w, "key_events", r.key_events, [](JsonWriter& o, const KeyEventEntry& e) {
    text(o, "event", e.event);
    text(o, "key_id", e.key_id);
    text(o, "venue", e.venue);
    text(o, "detail", e.detail);
  });
  entries(w, "order_approvals", r.order_approvals, [](JsonWriter& o, const OrderApprovalEntry& e) {
    text(o, "kind", e.kind);
    text(o, "client_order_id", e.client_order_id);
    text(o, "operator", e.operator_name);
    text(o, "detail", e.detail);
  });
}

void write_review(JsonWriter& w, const ConfigReviewEntry& e) {
  text(w, "config_hash", e.config_hash);
  boolean(w, "first_use", e.first_use);
  boolean(w, "accepted", e.accepted());
  w.key("changes");
  w.begin_array();
  for (const ConfigChangeEntry& c : e.changes) {
    w.begin_object();
    text(w, "key", c.key);
    text(w, "level", c.level);
    optional_text(w, "before", c.before);
    optional_text(w, "after", c.after);
    w.end_object();
  }
  w.end_array();
  count(w, "approvals_needed", e.approvals_needed);
  strings(w, "approved_by", e.approved_by);
  strings(w, "ignored", e.ignored);
  strings(w, "unapproved", e.unapproved);
  boolean(w, "unprotected", e.unprotected);
}

void write_configuration(JsonWriter& w, const ComplianceReport& r) {
  w.key("configuration");
  w.begin_object();
  entries(w, "reviews", r.config_reviews, write_review);
  entries(w, "in_force", r.configs_in_force, [](JsonWriter& o, const ConfigInForceEntry& e) {
    text(o, "config_hash", e.config_hash);
    text(o, "changes", e.changes);
    boolean(o, "first_use", e.first_use);
  });
  entries(w, "tampered", r.config_tampering, [](JsonWriter& o, const ConfigTamperedEntry& e) {
    text(o, "path", e.path);
    text(o, "expected", e.expected);
    text(o, "found", e.found);
  });
  w.end_object();
}

void write_threat_fields(JsonWriter& w, const ThreatChange& t) {
  text(w, "level", t.level);
  text(w, "score", t.score);
  text(w, "limits_percent", t.limits_percent);
}

void write_threat(JsonWriter& w, const ComplianceReport& r) {
  w.key("threat");
  w.begin_object();
  w.key("at_start");
  if (r.threat_at_start) {
    begin_entry(w, r.threat_at_start->at);
    write_threat_fields(w, *r.threat_at_start);
    w.end_object();
  } else {
    w.null();
  }
  entries(w, "changes", r.threat_changes, write_threat_fields);
  w.end_object();
}

void write_rest(JsonWriter& w, const ComplianceReport& r) {
  entries(w, "alerts", r.alerts, [](JsonWriter& o, const AlertEntry& e) {
    text(o, "kind", e.kind);
    text(o, "reason", e.reason);
  });
  w.key("other_notes");
  w.begin_array();
  for (const NameCount& c : r.other_notes) {
    w.begin_object();
    text(w, "kind", c.name);
    count(w, "count", c.count);
    w.end_object();
  }
  w.end_array();
  w.key("malformed");
  w.begin_object();
  count(w, "count", r.malformed);
  entries(w, "listed", r.malformed_listed, [](JsonWriter& o, const MalformedRecord& e) {
    text(o, "kind", e.kind);
    text(o, "problem", e.problem);
  });
  w.end_object();
}

}  // namespace

std::string render_compliance_json(const ComplianceReport& report) {
  JsonWriter w;
  w.begin_object();
  w.key("schema_version");
  w.integer(kComplianceSchemaVersion);
  write_journal(w, report);
  write_window(w, report);
  write_decisions(w, report);
  write_violations(w, report);
  write_lockdowns(w, report);
  write_controls(w, report);
  write_configuration(w, report);
  write_threat(w, report);
  write_rest(w, report);
  w.end_object();
  return w.finish();
}

}  // namespace cst::report
