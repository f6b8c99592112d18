// A sample account journal for the compliance report's tests, written with the real
// AuditJournal: decisions with several reasons, a leverage ceiling attempt that locks the
// account down, a refused and an accepted resume, configuration reviews, threat changes, a
// hostile reason text, and a few records the report must tolerate. Also: editing a closed
// journal behind its back, as tests/audit/journal_tamper_test.cpp does.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "cst/audit/audit_journal.hpp"
#include "support/run_sql.hpp"

namespace cst::test {

// 2024-05-01T00:00:00Z plus `minutes`.
inline Timestamp compliance_time(std::int64_t minutes) {
  return Timestamp::from_seconds(days_from_civil(2024, 5, 1) * 86400 + minutes * 60);
}

inline DecisionRecord compliance_decision(std::int64_t minute, const std::string& id, Verdict verdict,
                                          ReasonCode reason) {
  DecisionRecord d;
  d.time = compliance_time(minute);
  d.intent.client_order_id = *ClientOrderId::parse(id);
  d.intent.side = Side::kBuy;
  d.intent.qty = Qty::from_raw(150);
  d.intent.time = d.time;
  d.verdict = verdict;
  d.reason = reason;
  d.reasons_mask = reason == ReasonCode::kNone ? 0 : reason_bit(reason);
  d.approved_qty = verdict == Verdict::kRejected ? Qty::from_raw(0) : Qty::from_raw(100);
  d.qty_decimals = 2;
  d.price_decimals = 2;
  return d;
}

inline void compliance_note(AuditJournal& j, std::int64_t minute, std::string kind, std::string json) {
  j.append(NoteRecord{compliance_time(minute), std::move(kind), std::move(json)});
}

// The hostile text journaled as the reason of the lockdown alert.
inline constexpr const char* kHostileReason = "leverage_ceiling_attempt: <script>alert('x')</script> & \"more\"";

// Writes the sample journal to `path` and closes (seals) it. Minutes (from 2024-05-01 00:00Z):
//   (32 records with the seal)
//   0  run_start (a kind the report does not read), config_review accepted, config_in_force,
//      threat LOW
//   5  decisions: 3 approved, position_limit rejected x2 and reduced x1, lockdown rejected x1
//   10 rejected at the leverage ceiling (o-ceil) -> risk_state active->lockdown,
//      security_event weight 10, alert with the hostile reason, threat SEVERE
//   20 resume refused (mallory), security_event forged_signature (weight 10, same episode)
//   30 operator_resume by alice, threat LOW
//   40 key_event, order_held, order events, order_approval
//   50 config_review refused (RESTRICTED change unapproved), config_tampered
//   60 security_event without "kind" (malformed), a note that is not JSON (malformed)
//   120 operator_kill by bob, risk_event emergency_lockdown (a second lockdown, never resumed)
inline void write_compliance_journal(const std::string& path) {
  JournalOptions o;
  o.durability = JournalDurability::kNone;
  o.queue_capacity = 4096;
  o.linger = std::chrono::microseconds(0);
  auto opened = AuditJournal::open(path, o);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  AuditJournal& j = **opened;

  compliance_note(j, 0, "run_start", R"({"mode":"paper"})");
  compliance_note(j, 0, "config_review",
                  R"({"config_hash":"abc123","first_use":false,"changes":[)"
                  R"({"key":"risk.position_pct","level":"RESTRICTED","before":"10","after":"8"},)"
                  R"({"key":"strategy.fast","level":"FLEXIBLE","after":"12"}],)"
                  R"("approvals_needed":2,"approved_by":["alice","carol"],"ignored":["dave: not an operator"],)"
                  R"("unapproved":[],"unprotected":false})");
  compliance_note(j, 0, "config_in_force", R"({"config_hash":"abc123","changes":"2","first_use":"false"})");
  compliance_note(j, 0, "threat_level", R"({"level":"LOW","score":"0","limits_percent":"100"})");

  j.append(compliance_decision(5, "o-1", Verdict::kApproved, ReasonCode::kNone));
  j.append(compliance_decision(5, "o-2", Verdict::kApproved, ReasonCode::kNone));
  j.append(compliance_decision(5, "o-3", Verdict::kApproved, ReasonCode::kNone));
  j.append(compliance_decision(5, "o-4", Verdict::kRejected, ReasonCode::kPositionLimit));
  j.append(compliance_decision(5, "o-5", Verdict::kRejected, ReasonCode::kPositionLimit));
  j.append(compliance_decision(5, "o-6", Verdict::kReduced, ReasonCode::kPositionLimit));
  j.append(compliance_decision(5, "o-7", Verdict::kRejected, ReasonCode::kLockdown));

  j.append(compliance_decision(10, "o-ceil", Verdict::kRejected, ReasonCode::kLeverageCeiling));
  compliance_note(j, 10, "risk_state",
                  R"({"decision_id":8,"from":"active","to":"lockdown","reason":"leverage_ceiling"})");
  compliance_note(
      j, 10, "security_event",
      R"({"kind":"leverage_ceiling_attempt","detail":"buy 1.50 asked for leverage above 3.00x","weight":"10"})");
  compliance_note(j, 10, "alert",
                  std::string(R"({"kind":"leverage_ceiling_attempt","reason":)") +
                      R"("leverage_ceiling_attempt: <script>alert('x')</script> & \"more\""})");
  compliance_note(j, 10, "threat_level", R"({"level":"SEVERE","score":"10","limits_percent":"0"})");

  compliance_note(j, 20, "operator_resume_refused",
                  R"({"reason":"all clear","operator":"mallory","why":"mallory is not an operator"})");
  compliance_note(j, 20, "security_event",
                  R"({"kind":"forged_signature","detail":"resume by mallory refused","weight":"10"})");

  compliance_note(j, 30, "operator_resume", R"({"reason":"incident reviewed","operator":"alice","state":"active"})");
  compliance_note(j, 30, "threat_level", R"({"level":"LOW","score":"0","limits_percent":"100"})");

  compliance_note(j, 40, "key_event",
                  R"({"event":"rotated","key_id":"k-2","venue":"paper","detail":"rotation due every 24 h"})");
  compliance_note(
      j, 40, "order_held",
      R"({"client_order_id":"o-big","notional":"60000.00","required":"2","expires":"2024-05-01T00:45:00Z"})");
  OrderEventRecord e;
  e.time = compliance_time(40);
  e.client_order_id = *ClientOrderId::parse("o-1");
  e.status = OrderStatus::kFilled;
  j.append(e);
  j.append(e);
  compliance_note(j, 40, "order_approval", R"({"client_order_id":"o-big","operator":"alice","approvals":"1"})");

  compliance_note(j, 50, "config_review",
                  R"({"config_hash":"def456","first_use":false,"changes":[)"
                  R"({"key":"risk.leverage","level":"RESTRICTED","before":"2","after":"3"}],)"
                  R"("approvals_needed":2,"approved_by":["alice"],"ignored":[],)"
                  R"("unapproved":["risk.leverage"],"unprotected":false})");
  compliance_note(j, 50, "config_tampered", R"({"path":"/etc/cst/paper.toml","expected":"abc123","found":"def456"})");

  compliance_note(j, 60, "security_event", R"({"detail":"no kind here"})");
  compliance_note(j, 60, "engine_note", "this is not JSON");

  compliance_note(j, 120, "operator_kill", R"({"reason":"end of day","operator":"bob","state":"killed"})");
  compliance_note(j, 120, "risk_event", R"({"event":"emergency_lockdown","equity":"81234.5"})");

  const Status closed = j.close();
  ASSERT_TRUE(closed.ok()) << closed.error().message;
}

// Runs SQL on a closed journal, as a second program with file access would.
inline void tamper_with_journal(const std::string& path, const std::string& sql) { run_sql(path, sql); }

}  // namespace cst::test
