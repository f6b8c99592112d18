// The compliance report of one account: what its audit journal says about the controls
// (DESIGN.md sections 7 and 9), for an auditor who trusts the journal and nothing else.
//
// Contract. build_compliance_report() verifies the journal's hash chain (verify_journal), then
// reads every record once (for_each_record). It fails only when the file cannot be read as a
// journal (missing, not a cst journal) or the window is inverted; a journal that fails
// verification still gives a report, whose `integrity` says where it breaks. Journal content
// never makes it fail: a payload that is not a JSON object, or lacks a field the report needs,
// is counted in `malformed`; a note kind the report does not know is counted in `other_notes`.
//
// Window. A record is in the window when from <= time <= to (both inclusive; an absent bound is
// open). Records after the window are ignored. Records before it only carry state in: a
// lockdown still in force at `from` (LockdownEpisode::began_before_window) and the threat
// level in force at `from` (threat_at_start). Everything else lists in-window records only.
//
// Lockdown episodes. One starts at the first of these while none is open: a security_event of
// weight >= 10, a risk_state note going to "lockdown", a risk_event "emergency_lockdown", an
// alert raised by a lockdown (its kind is a security event kind, or its kind or reason says
// lockdown), or a recovery_start whose trading state is "lockdown". Later such records join the
// open episode as further triggers. An operator_resume ends it; refused resumes are listed with
// the episode they failed to end.
//
// Determinism (invariant 8). Lists are in journal order (seq); counts are sorted by count,
// highest first, then by name; there is no generation time and only the journal's file name
// (not its path). So the same journal and window give byte-identical HTML and JSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cst/audit/journal_verify.hpp"
#include "cst/core/result.hpp"
#include "cst/core/timestamp.hpp"

namespace cst::report {

// Bumped when a JSON key is renamed or removed (adding keys keeps the version).
inline constexpr int kComplianceSchemaVersion = 1;
// Malformed records are all counted; the first this many are listed.
inline constexpr std::size_t kMaxMalformedListed = 100;

// Where an entry comes from: the record's sequence number and clock time.
struct JournalRef {
  std::uint64_t seq = 0;
  Timestamp time;
};

struct NameCount {
  std::string name;
  std::uint64_t count = 0;
};

// Reduced and rejected decisions by their primary reason ("reason" in the payload).
struct ReasonCount {
  std::string reason;
  std::uint64_t reduced = 0;
  std::uint64_t rejected = 0;
  std::uint64_t total() const { return reduced + rejected; }
};

struct DecisionTally {
  std::uint64_t total = 0;
  std::vector<NameCount> by_verdict;   // approved / reduced / rejected (and anything else found)
  std::vector<ReasonCount> by_reason;  // sorted by total(), then reason
};

// Payload text is kept as the journal wrote it (strings as they are, numbers as JSON text);
// an absent field is empty.
struct SecurityEventEntry {
  JournalRef at;
  std::string kind;  // leverage_ceiling_attempt, config_tampering, key_compromised, ...
  std::string detail;
  std::optional<int> weight;  // none if absent or not an integer
};

// A decision rejected for asking above a LOCKED hard ceiling (leverage or position).
struct CeilingRejection {
  JournalRef at;
  std::string reason;  // leverage_ceiling or position_ceiling
  std::string client_order_id;
  std::string side;
  std::string qty;
};

struct OperatorActionEntry {
  JournalRef at;
  std::string action;  // "kill", "resume" or "resume_refused"
  std::string operator_name;
  std::string reason;   // the operator's reason
  std::string outcome;  // kill/resume: the trading state after; resume_refused: why it was refused
};

struct LockdownTrigger {
  JournalRef at;
  std::string source;  // the note kind: security_event, risk_state, risk_event, alert, recovery_start
  std::string detail;
};

struct LockdownEpisode {
  JournalRef start;
  bool began_before_window = false;
  std::vector<LockdownTrigger> triggers;             // the first one started the episode
  std::vector<OperatorActionEntry> refused_resumes;  // resumes refused while it lasted
  std::optional<OperatorActionEntry> resumed_by;     // none: still locked down at the window's end
};

struct RiskStateEntry {  // the gateway saw the RiskGuard change state after a decision
  JournalRef at;
  std::string from;
  std::string to;
  std::string reason;
};

struct RiskEventEntry {  // a loss limit fired: daily_loss_kill, drawdown_kill, emergency_lockdown
  JournalRef at;
  std::string event;
  std::string equity;
};

struct KeyEventEntry {
  JournalRef at;
  std::string event;  // inventory, rotated, revoked, compromised, no_usable_key, ...
  std::string key_id;
  std::string venue;
  std::string detail;  // "detail", then the note's other fields as "name=value, ..."
};

// Multi-signature approval of large orders: order_held, order_approval, order_approval_*,
// order_released.
struct OrderApprovalEntry {
  JournalRef at;
  std::string kind;
  std::string client_order_id;
  std::string operator_name;
  std::string detail;  // "why", then the note's other fields as "name=value, ..." (notional, approvals, ...)
};

struct ConfigChangeEntry {
  std::string key;
  std::string level;                  // LOCKED, RESTRICTED, MONITORED, FLEXIBLE
  std::optional<std::string> before;  // none: the key was added
  std::optional<std::string> after;   // none: the key was removed
};

struct ConfigReviewEntry {
  JournalRef at;
  std::string config_hash;
  bool first_use = false;
  std::vector<ConfigChangeEntry> changes;
  std::uint64_t approvals_needed = 0;
  std::vector<std::string> approved_by;
  std::vector<std::string> ignored;     // approvals that did not count, and why
  std::vector<std::string> unapproved;  // RESTRICTED keys changed without enough approvals
  bool unprotected = false;             // RESTRICTED changes, but no operators configured
  bool accepted() const { return unapproved.empty(); }
};

struct ConfigInForceEntry {
  JournalRef at;
  std::string config_hash;
  std::string changes;  // number of changes, as journaled
  bool first_use = false;
};

struct ConfigTamperedEntry {
  JournalRef at;
  std::string path;
  std::string expected;  // hash in force
  std::string found;     // hash of the file as found (empty: unreadable)
};

struct ThreatChange {
  JournalRef at;
  std::string level;  // LOW, GUARDED, ELEVATED, HIGH, SEVERE
  std::string score;
  std::string limits_percent;
};

struct AlertEntry {
  JournalRef at;
  std::string kind;
  std::string reason;
};

struct MalformedRecord {
  JournalRef at;
  std::string kind;
  std::string problem;
};

struct ComplianceReport {
  std::string journal_name;  // the file name, without its directory
  std::optional<Timestamp> from;
  std::optional<Timestamp> to;
  VerifyReport integrity;

  std::uint64_t records_in_window = 0;
  std::optional<Timestamp> first_in_window;  // earliest record time in the window
  std::optional<Timestamp> last_in_window;   // latest

  DecisionTally decisions;
  std::uint64_t order_events = 0;
  std::vector<SecurityEventEntry> security_events;
  std::vector<CeilingRejection> ceiling_rejections;
  std::vector<LockdownEpisode> lockdowns;
  std::vector<OperatorActionEntry> operator_actions;
  std::vector<RiskStateEntry> risk_states;
  std::vector<RiskEventEntry> risk_events;
  std::vector<KeyEventEntry> key_events;
  std::vector<OrderApprovalEntry> order_approvals;
  std::vector<ConfigReviewEntry> config_reviews;
  std::vector<ConfigInForceEntry> configs_in_force;
  std::vector<ConfigTamperedEntry> config_tampering;
  std::optional<ThreatChange> threat_at_start;
  std::vector<ThreatChange> threat_changes;
  std::vector<AlertEntry> alerts;
  std::vector<NameCount> other_notes;  // note kinds this report does not read, sorted like counts
  std::uint64_t malformed = 0;
  std::vector<MalformedRecord> malformed_listed;  // the first kMaxMalformedListed
};

// Reads `journal`; kInvalidArgument if from > to, the error of verify_journal() or
// for_each_record() if the file cannot be read as a journal.
Result<ComplianceReport> build_compliance_report(const std::string& journal, std::optional<Timestamp> from,
                                                 std::optional<Timestamp> to);

// A self-contained page (inline CSS, no scripts, no external resources); every piece of
// journal text is HTML-escaped. A journal that failed verification is announced at the top.
std::string render_compliance_html(const ComplianceReport& report);

// The same content as pretty-printed JSON with keys in a fixed order; times are ISO 8601 UTC.
std::string render_compliance_json(const ComplianceReport& report);

// Writes dir/compliance.html and dir/compliance.json, each atomically; `dir` must exist.
Status write_compliance_report(const ComplianceReport& report, const std::string& dir);

}  // namespace cst::report
