// build_compliance_report: one pass over the journal, each record routed to what reads it.
#include <filesystem>
#include <map>
#include <utility>

#include "compliance_collect.hpp"
#include "compliance_decisions.hpp"
#include "compliance_fields.hpp"
#include "compliance_lockdowns.hpp"
#include "compliance_notes.hpp"
#include "cst/audit/record_format.hpp"
#include "cst/report/compliance_report.hpp"

namespace cst::report {

namespace {

using namespace compliance;

template <class T>
bool append(std::vector<T>& list, std::optional<T> entry) {
  if (!entry) return false;
  list.push_back(std::move(*entry));
  return true;
}

class Collector {
 public:
  Collector(std::optional<Timestamp> from, std::optional<Timestamp> to) : from_(from), to_(to) {}

  void add(const JournalRecordView& r) {
    const JournalRef at{r.seq, Timestamp{r.time_ns}};
    if (to_ && at.time > *to_) return;
    if (from_ && at.time < *from_) {
      carry_in(r.kind, r.payload, at);
      return;
    }
    ++report_.records_in_window;
    if (!report_.first_in_window || at.time < *report_.first_in_window) report_.first_in_window = at.time;
    if (!report_.last_in_window || at.time > *report_.last_in_window) report_.last_in_window = at.time;
    read(r.kind, r.payload, at);
  }

  ComplianceReport finish() {
    report_.decisions = decisions_.take();
    report_.lockdowns = lockdowns_.take();
    report_.other_notes = sorted_counts(other_);
    return std::move(report_);
  }

 private:
  // A record before the window: only the lockdown state and the threat level carry in.
  void carry_in(std::string_view kind, std::string_view payload, JournalRef at) {
    if (kind == audit::kKindDecision || kind == audit::kKindOrderEvent || kind == audit::kKindJournalClose) return;
    const auto o = parse_object(payload);
    if (!o) return;
    std::string ignored;
    if (kind == "threat_level") {
      if (auto change = read_threat_change(*o, at, &ignored)) report_.threat_at_start = std::move(*change);
      return;
    }
    track_lockdown(kind, *o, at, true);
  }

  void read(std::string_view kind, std::string_view payload, JournalRef at) {
    if (kind == audit::kKindJournalClose) return;  // the seal: `integrity` reports it
    if (kind == audit::kKindOrderEvent) {
      ++report_.order_events;
      return;
    }
    if (kind == audit::kKindInvalidNote) {
      malformed(at, kind, "a note the journal could not store as given (bad kind or not a JSON object)");
      return;
    }
    const auto o = parse_object(payload);
    if (!o) {
      malformed(at, kind, "payload is not a JSON object");
      return;
    }
    if (kind == audit::kKindDecision) {
      read_decision(*o, at);
      return;
    }
    track_lockdown(kind, *o, at, false);
    if (!read_note(kind, *o, at)) ++other_[std::string(kind)];
  }

  void read_decision(const Json& o, JournalRef at) {
    std::optional<CeilingRejection> ceiling;
    std::string problem;
    if (!decisions_.add(o, at, &ceiling, &problem)) {
      malformed(at, audit::kKindDecision, problem);
      return;
    }
    append(report_.ceiling_rejections, std::move(ceiling));
  }

  // Resumes count whatever else their note holds: the account did resume.
  void track_lockdown(std::string_view kind, const Json& o, JournalRef at, bool before) {
    if (auto trigger = lockdown_trigger(kind, o, at)) {
      lockdowns_.trigger(std::move(*trigger), before);
    } else if (kind == "operator_resume") {
      lockdowns_.resume(OperatorActionEntry{at, "resume", text(o, "operator"), text(o, "reason"), text(o, "state")},
                        before);
    } else if (kind == "operator_resume_refused") {
      lockdowns_.refused(
          OperatorActionEntry{at, "resume_refused", text(o, "operator"), text(o, "reason"), text(o, "why")});
    }
  }

  // False for a kind this report does not read.
  bool read_note(std::string_view kind, const Json& o, JournalRef at) {
    std::string problem;
    bool ok = true;
    ComplianceReport& r = report_;
    if (kind == "security_event") {
      ok = append(r.security_events, read_security_event(o, at, &problem));
    } else if (kind == "threat_level") {
      ok = append(r.threat_changes, read_threat_change(o, at, &problem));
    } else if (kind == "alert") {
      ok = append(r.alerts, read_alert(o, at, &problem));
    } else if (kind == "risk_state") {
      ok = append(r.risk_states, read_risk_state(o, at, &problem));
    } else if (kind == "risk_event") {
      ok = append(r.risk_events, read_risk_event(o, at, &problem));
    } else if (kind == "operator_kill") {
      ok = append(r.operator_actions, read_operator_action(o, at, "kill", &problem));
    } else if (kind == "operator_resume") {
      ok = append(r.operator_actions, read_operator_action(o, at, "resume", &problem));
    } else if (kind == "operator_resume_refused") {
      ok = append(r.operator_actions, read_operator_action(o, at, "resume_refused", &problem));
    } else if (kind == "key_event") {
      ok = append(r.key_events, read_key_event(o, at, &problem));
    } else if (is_order_approval_kind(kind)) {
      ok = append(r.order_approvals, read_order_approval(o, at, kind, &problem));
    } else if (kind == "config_review") {
      ok = append(r.config_reviews, read_config_review(o, at, &problem));
    } else if (kind == "config_in_force") {
      ok = append(r.configs_in_force, read_config_in_force(o, at, &problem));
    } else if (kind == "config_tampered") {
      ok = append(r.config_tampering, read_config_tampered(o, at, &problem));
    } else {
      return false;
    }
    if (!ok) malformed(at, kind, problem);
    return true;
  }

  void malformed(JournalRef at, std::string_view kind, std::string problem) {
    ++report_.malformed;
    if (report_.malformed_listed.size() < kMaxMalformedListed) {
      report_.malformed_listed.push_back(MalformedRecord{at, std::string(kind), std::move(problem)});
    }
  }

  std::optional<Timestamp> from_;
  std::optional<Timestamp> to_;
  ComplianceReport report_;
  DecisionCounter decisions_;
  LockdownTracker lockdowns_;
  std::map<std::string, std::uint64_t> other_;  // note kinds not read, by name
};

}  // namespace

ComplianceReport compliance::collect_records(const std::vector<JournalRecordView>& records,
                                             std::optional<Timestamp> from, std::optional<Timestamp> to) {
  Collector collector(from, to);
  for (const JournalRecordView& r : records) collector.add(r);
  return collector.finish();
}

Result<ComplianceReport> build_compliance_report(const std::string& journal, std::optional<Timestamp> from,
                                                 std::optional<Timestamp> to) {
  if (from && to && *from > *to) {
    return make_error(ErrorCode::kInvalidArgument,
                      "the window starts (" + format_iso8601(*from) + ") after it ends (" + format_iso8601(*to) + ")");
  }
  auto verified = verify_journal(journal);
  if (!verified.ok()) return verified.error();
  Collector collector(from, to);
  const Status read = for_each_record(journal, [&collector](const JournalRecordView& r) {
    collector.add(r);
    return true;
  });
  if (!read.ok()) return read.error();
  ComplianceReport report = collector.finish();
  report.journal_name = std::filesystem::path(journal).filename().string();
  report.from = from;
  report.to = to;
  report.integrity = std::move(*verified);
  return report;
}

}  // namespace cst::report
