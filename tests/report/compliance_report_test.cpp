// The compliance report: what it reads out of a real journal (counts, violations, lockdown
// episodes, configuration, threat history), the time window, determinism, escaping, and a
// tampered journal announced as not intact.
#include "cst/report/compliance_report.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/compliance_journal.hpp"
#include "support/temp_dir.hpp"

namespace cst::report {
namespace {

using nlohmann::json;
using test::compliance_time;

class ComplianceReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    journal_ = dir_.file("journal.db");
    test::write_compliance_journal(journal_);
  }

  ComplianceReport build(std::optional<Timestamp> from = {}, std::optional<Timestamp> to = {}) {
    auto r = build_compliance_report(journal_, from, to);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? std::move(*r) : ComplianceReport{};
  }

  json build_json(std::optional<Timestamp> from = {}, std::optional<Timestamp> to = {}) {
    return json::parse(render_compliance_json(build(from, to)));
  }

  test::TempDir dir_;
  std::string journal_;
};

TEST_F(ComplianceReportTest, CountsDecisionsByVerdictAndByReasonHighestFirst) {
  const json j = build_json();
  EXPECT_EQ(j["decisions"]["total"], 8);
  const json& verdicts = j["decisions"]["by_verdict"];
  ASSERT_EQ(verdicts.size(), 3U);
  // rejected 4 > approved 3 > reduced 1
  EXPECT_EQ(verdicts[0], json({{"verdict", "rejected"}, {"count", 4}}));
  EXPECT_EQ(verdicts[1], json({{"verdict", "approved"}, {"count", 3}}));
  EXPECT_EQ(verdicts[2], json({{"verdict", "reduced"}, {"count", 1}}));
  const json& reasons = j["decisions"]["by_reason"];
  ASSERT_EQ(reasons.size(), 3U);
  EXPECT_EQ(reasons[0]["reason"], "position_limit");
  EXPECT_EQ(reasons[0]["count"], 3);
  EXPECT_EQ(reasons[0]["rejected"], 2);
  EXPECT_EQ(reasons[0]["reduced"], 1);
  // Equal counts: by name.
  EXPECT_EQ(reasons[1]["reason"], "leverage_ceiling");
  EXPECT_EQ(reasons[2]["reason"], "lockdown");
  EXPECT_EQ(j["order_events"], 2);
}

TEST_F(ComplianceReportTest, ListsSecurityEventsAndCeilingRejections) {
  const json j = build_json();
  const json& events = j["violations"]["security_events"];
  ASSERT_EQ(events.size(), 2U);  // the third one has no kind: malformed, not listed
  EXPECT_EQ(events[0]["kind"], "leverage_ceiling_attempt");
  EXPECT_EQ(events[0]["weight"], 10);
  EXPECT_EQ(events[0]["time"], "2024-05-01T00:10:00.000000000Z");
  EXPECT_EQ(events[0]["detail"], "buy 1.50 asked for leverage above 3.00x");
  EXPECT_EQ(events[1]["kind"], "forged_signature");
  const json& ceilings = j["violations"]["ceiling_rejections"];
  ASSERT_EQ(ceilings.size(), 1U);
  EXPECT_EQ(ceilings[0]["client_order_id"], "o-ceil");
  EXPECT_EQ(ceilings[0]["reason"], "leverage_ceiling");
  EXPECT_EQ(ceilings[0]["side"], "buy");
  EXPECT_EQ(ceilings[0]["qty"], "1.50");
}

TEST_F(ComplianceReportTest, LockdownEpisodeRunsFromItsFirstTriggerToTheResume) {
  const json j = build_json();
  const json& lockdowns = j["lockdowns"];
  ASSERT_EQ(lockdowns.size(), 2U);
  const json& first = lockdowns[0];
  EXPECT_EQ(first["time"], "2024-05-01T00:10:00.000000000Z");
  EXPECT_EQ(first["began_before_window"], false);
  // risk_state, security_event, alert at minute 10, then the forged signature at minute 20.
  ASSERT_EQ(first["triggers"].size(), 4U);
  EXPECT_EQ(first["triggers"][0]["source"], "risk_state");
  EXPECT_EQ(first["triggers"][1]["source"], "security_event");
  EXPECT_EQ(first["triggers"][2]["source"], "alert");
  EXPECT_EQ(first["triggers"][2]["detail"], test::kHostileReason);  // not prefixed with its kind twice
  EXPECT_EQ(first["triggers"][3]["detail"], "forged_signature: resume by mallory refused");
  ASSERT_EQ(first["refused_resumes"].size(), 1U);
  EXPECT_EQ(first["refused_resumes"][0]["operator"], "mallory");
  EXPECT_EQ(first["refused_resumes"][0]["why"], "mallory is not an operator");
  EXPECT_EQ(first["resumed_by"]["operator"], "alice");
  EXPECT_EQ(first["resumed_by"]["reason"], "incident reviewed");
  EXPECT_EQ(first["resumed_by"]["time"], "2024-05-01T00:30:00.000000000Z");
  // The emergency lockdown at minute 120 is never resumed.
  EXPECT_EQ(lockdowns[1]["triggers"][0]["source"], "risk_event");
  EXPECT_TRUE(lockdowns[1]["resumed_by"].is_null());
}

struct TriggerCase {
  const char* kind;
  const char* json;
  bool locks_down;
};

TEST(ComplianceLockdowns, StartOnlyAtLockdownTriggers) {
  const TriggerCase cases[] = {
      {"security_event", R"({"kind":"config_tampering","detail":"d","weight":"10"})", true},
      {"security_event", R"({"kind":"key_compromised","detail":"d"})", true},  // no weight: the kind's
      {"security_event", R"({"kind":"key_anomaly","detail":"d","weight":"3"})", false},
      {"security_event", R"({"kind":"auth_failure","detail":"d","weight":1})", false},
      {"risk_state", R"({"from":"active","to":"lockdown","reason":"leverage_ceiling"})", true},
      {"risk_state", R"({"from":"active","to":"killed","reason":"kill_switch"})", false},
      {"risk_event", R"({"event":"emergency_lockdown","equity":"1"})", true},
      {"risk_event", R"({"event":"daily_loss_kill","equity":"1"})", false},
      {"alert", R"({"kind":"auth_failure","reason":"3 security violations within 3600 s"})", true},
      {"alert", R"({"kind":"custom","reason":"LOCKDOWN requested"})", true},
      {"alert", R"({"kind":"threat_level","reason":"SEVERE"})", false},
      {"alert", R"({"kind":"safe_mode","reason":"reconciliation mismatch"})", false},
      {"recovery_start", R"({"boot":"2","trading_state":"lockdown","reason":"config tampering"})", true},
      {"recovery_start", R"({"boot":"2","trading_state":"active","reason":""})", false},
      {"operator_kill", R"({"reason":"r","operator":"bob","state":"killed"})", false},
  };
  for (const TriggerCase& c : cases) {
    test::TempDir dir;
    const std::string path = dir.file("j.db");
    JournalOptions o;
    o.durability = JournalDurability::kNone;
    o.queue_capacity = 64;
    auto j = AuditJournal::open(path, o);
    ASSERT_TRUE(j.ok()) << j.error().message;
    test::compliance_note(**j, 1, c.kind, c.json);
    ASSERT_TRUE((*j)->close().ok());
    auto r = build_compliance_report(path, std::nullopt, std::nullopt);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->lockdowns.size(), c.locks_down ? 1U : 0U) << c.kind << " " << c.json;
    EXPECT_EQ(r->malformed, 0U) << c.kind << " " << c.json;
  }
}

TEST_F(ComplianceReportTest, OperatorActionsListKillsResumesAndRefusalsInOrder) {
  const json j = build_json();
  const json& actions = j["operator_actions"];
  ASSERT_EQ(actions.size(), 3U);
  EXPECT_EQ(actions[0]["action"], "resume_refused");
  EXPECT_EQ(actions[1]["action"], "resume");
  EXPECT_EQ(actions[1]["state"], "active");
  EXPECT_EQ(actions[2]["action"], "kill");
  EXPECT_EQ(actions[2]["operator"], "bob");
}

TEST_F(ComplianceReportTest, ConfigReviewsKeepChangesLevelsApprovalsAndRefusals) {
  const json j = build_json();
  const json& config = j["configuration"];
  const json& reviews = config["reviews"];
  ASSERT_EQ(reviews.size(), 2U);
  EXPECT_EQ(reviews[0]["accepted"], true);
  EXPECT_EQ(reviews[0]["approvals_needed"], 2);
  EXPECT_EQ(reviews[0]["approved_by"], json({"alice", "carol"}));
  EXPECT_EQ(reviews[0]["ignored"], json({"dave: not an operator"}));
  ASSERT_EQ(reviews[0]["changes"].size(), 2U);
  EXPECT_EQ(reviews[0]["changes"][0],
            json({{"key", "risk.position_pct"}, {"level", "RESTRICTED"}, {"before", "10"}, {"after", "8"}}));
  EXPECT_TRUE(reviews[0]["changes"][1]["before"].is_null());  // an added key
  EXPECT_EQ(reviews[1]["accepted"], false);
  EXPECT_EQ(reviews[1]["unapproved"], json({"risk.leverage"}));
  ASSERT_EQ(config["in_force"].size(), 1U);
  EXPECT_EQ(config["in_force"][0]["config_hash"], "abc123");
  ASSERT_EQ(config["tampered"].size(), 1U);
  EXPECT_EQ(config["tampered"][0]["found"], "def456");
}

TEST_F(ComplianceReportTest, ThreatHistoryListsEachChangeWithItsScore) {
  const json j = build_json();
  const json& threat = j["threat"];
  EXPECT_TRUE(threat["at_start"].is_null());
  ASSERT_EQ(threat["changes"].size(), 3U);
  EXPECT_EQ(threat["changes"][1]["level"], "SEVERE");
  EXPECT_EQ(threat["changes"][1]["score"], "10");
  EXPECT_EQ(threat["changes"][1]["time"], "2024-05-01T00:10:00.000000000Z");
  EXPECT_EQ(threat["changes"][2]["level"], "LOW");
}

TEST_F(ComplianceReportTest, KeyEventsAndOrderApprovalsAreListed) {
  const json j = build_json();
  ASSERT_EQ(j["key_events"].size(), 1U);
  EXPECT_EQ(j["key_events"][0]["event"], "rotated");
  EXPECT_EQ(j["key_events"][0]["key_id"], "k-2");
  ASSERT_EQ(j["order_approvals"].size(), 2U);
  EXPECT_EQ(j["order_approvals"][0]["kind"], "order_held");
  EXPECT_EQ(j["order_approvals"][0]["client_order_id"], "o-big");
  // Fields the report has no column for are kept, in name order.
  EXPECT_EQ(j["order_approvals"][0]["detail"], "expires=2024-05-01T00:45:00Z, notional=60000.00, required=2");
  EXPECT_EQ(j["order_approvals"][1]["operator"], "alice");
}

TEST_F(ComplianceReportTest, UnknownKindsAreOtherNotesAndBadPayloadsAreMalformed) {
  const json j = build_json();
  EXPECT_EQ(j["other_notes"], json::array({{{"kind", "run_start"}, {"count", 1}}}));
  EXPECT_EQ(j["malformed"]["count"], 2);
  ASSERT_EQ(j["malformed"]["listed"].size(), 2U);
  EXPECT_EQ(j["malformed"]["listed"][0]["kind"], "security_event");
  EXPECT_EQ(j["malformed"]["listed"][0]["problem"], "no 'kind' field");
  EXPECT_EQ(j["malformed"]["listed"][1]["kind"], "invalid_note");
}

TEST_F(ComplianceReportTest, IntactJournalIsReportedWithItsHead) {
  const ComplianceReport r = build();
  EXPECT_TRUE(r.integrity.ok);
  EXPECT_TRUE(r.integrity.sealed);
  EXPECT_EQ(r.integrity.records, 32U);
  const json j = json::parse(render_compliance_json(r));
  EXPECT_EQ(j["journal"]["intact"], true);
  EXPECT_EQ(j["journal"]["file"], "journal.db");
  EXPECT_EQ(j["journal"]["head_hash"], r.integrity.head_hash_hex);
  EXPECT_EQ(j["window"]["records"], 32);  // the seal too: it carries the last record's time
}

TEST_F(ComplianceReportTest, WindowExcludesRecordsOutsideIt) {
  // Minutes 15 to 45: the refused resume, the forged signature, the resume, key and order
  // events. Not the decisions (5, 10), the second review (50) nor the kill (120).
  const json j = build_json(compliance_time(15), compliance_time(45));
  EXPECT_EQ(j["window"]["from"], "2024-05-01T00:15:00.000000000Z");
  EXPECT_EQ(j["window"]["first_record"], "2024-05-01T00:20:00.000000000Z");
  EXPECT_EQ(j["window"]["last_record"], "2024-05-01T00:40:00.000000000Z");
  EXPECT_EQ(j["window"]["records"], 9);
  EXPECT_EQ(j["decisions"]["total"], 0);
  EXPECT_TRUE(j["violations"]["ceiling_rejections"].empty());
  ASSERT_EQ(j["violations"]["security_events"].size(), 1U);
  EXPECT_EQ(j["violations"]["security_events"][0]["kind"], "forged_signature");
  EXPECT_EQ(j["configuration"]["reviews"].size(), 0U);
  EXPECT_EQ(j["operator_actions"].size(), 2U);  // refused and accepted resume; not the kill
  EXPECT_EQ(j["order_events"], 2);
  EXPECT_EQ(j["malformed"]["count"], 0);
}

TEST_F(ComplianceReportTest, LockdownAndThreatInForceAtTheWindowStartCarryIn) {
  const json j = build_json(compliance_time(15), compliance_time(45));
  ASSERT_EQ(j["lockdowns"].size(), 1U);
  EXPECT_EQ(j["lockdowns"][0]["began_before_window"], true);
  EXPECT_EQ(j["lockdowns"][0]["time"], "2024-05-01T00:10:00.000000000Z");
  EXPECT_EQ(j["lockdowns"][0]["resumed_by"]["operator"], "alice");
  EXPECT_EQ(j["threat"]["at_start"]["level"], "SEVERE");
  // A window after the resume: the first lockdown is over and not shown.
  const json later = build_json(compliance_time(35), compliance_time(60));
  EXPECT_TRUE(later["lockdowns"].empty());
  EXPECT_EQ(later["threat"]["at_start"]["level"], "LOW");
}

TEST_F(ComplianceReportTest, InvertedWindowIsRefused) {
  auto r = build_compliance_report(journal_, compliance_time(10), compliance_time(5));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("after it ends"), std::string::npos);
}

TEST_F(ComplianceReportTest, MissingJournalIsAnError) {
  auto r = build_compliance_report(dir_.file("nope.db"), std::nullopt, std::nullopt);
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(std::filesystem::exists(dir_.file("nope.db")));  // reading does not create it
}

TEST_F(ComplianceReportTest, SameJournalAndWindowGiveIdenticalBytes) {
  const ComplianceReport a = build(compliance_time(0), compliance_time(100));
  const ComplianceReport b = build(compliance_time(0), compliance_time(100));
  EXPECT_EQ(render_compliance_html(a), render_compliance_html(b));
  EXPECT_EQ(render_compliance_json(a), render_compliance_json(b));
  ASSERT_TRUE(write_compliance_report(a, dir_.path()).ok());
  EXPECT_EQ(test::read_file(dir_.file("compliance.html")), render_compliance_html(b));
  EXPECT_EQ(test::read_file(dir_.file("compliance.json")), render_compliance_json(b));
}

TEST_F(ComplianceReportTest, HtmlEscapesJournalText) {
  const std::string html = render_compliance_html(build());
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;"), std::string::npos);
  // The JSON carries the text exactly.
  const json j = json::parse(render_compliance_json(build()));
  bool found = false;
  for (const json& a : j["alerts"]) found = found || a["reason"] == test::kHostileReason;
  EXPECT_TRUE(found);
}

TEST_F(ComplianceReportTest, HtmlIsSelfContainedAndShowsEverySection) {
  const std::string html = render_compliance_html(build());
  for (const char* external : {"http://", "https://", "src=", "<link", "@import"}) {
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  }
  for (const char* heading : {"Journal intact", "Gateway decisions", "Violations", "Lockdowns", "Operator actions",
                              "Keys and order approvals", "Configuration", "Threat level", "Alerts"}) {
    EXPECT_NE(html.find(heading), std::string::npos) << heading;
  }
  EXPECT_NE(html.find("still in force at the end of the window"), std::string::npos);
  EXPECT_NE(html.find("REFUSED"), std::string::npos);  // the second config review
}

TEST_F(ComplianceReportTest, HostilePayloadsAreCountedAsMalformedNotFatal) {
  // Seq 5 is a decision, 14 a security event, 20 a threat change (write_compliance_journal).
  test::tamper_with_journal(journal_,
                            "UPDATE records SET payload = '{\"verdict\":' WHERE seq = 5;"
                            "UPDATE records SET payload = printf('%.*c', 200000, '[') ||"
                            "  printf('%.*c', 200000, ']') WHERE seq = 14;"
                            "UPDATE records SET payload = '{\"level\":{\"a\":1}}' WHERE seq = 20;");
  const ComplianceReport r = build();
  EXPECT_FALSE(r.integrity.ok);
  EXPECT_EQ(r.decisions.total, 7U);
  EXPECT_EQ(r.malformed, 5U);  // the two of the sample plus these three
  ASSERT_GE(r.malformed_listed.size(), 3U);
  EXPECT_EQ(r.malformed_listed[0].at.seq, 5U);
  EXPECT_EQ(r.malformed_listed[1].problem, "payload is not a JSON object");
  EXPECT_EQ(r.malformed_listed[2].problem, "no 'level' field");
  EXPECT_FALSE(render_compliance_html(r).empty());
}

TEST_F(ComplianceReportTest, TamperedJournalIsReportedNotIntactAtTheTop) {
  test::tamper_with_journal(journal_,
                            R"(UPDATE records SET payload = replace(payload, '"operator":"alice"', '"operator":"eve"')
                               WHERE kind = 'operator_resume')");
  const ComplianceReport r = build();
  ASSERT_FALSE(r.integrity.ok);
  EXPECT_EQ(r.integrity.first_bad_seq, 19U);
  const std::string html = render_compliance_html(r);
  const std::size_t banner = html.find("JOURNAL NOT INTACT");
  ASSERT_NE(banner, std::string::npos);
  EXPECT_LT(banner, html.find("<header>"));  // before anything else on the page
  EXPECT_EQ(html.find("Journal intact"), std::string::npos);
  EXPECT_NE(html.find("class=\"unverified\""), std::string::npos);  // rows from record 19 on are marked
  const json j = json::parse(render_compliance_json(r));
  EXPECT_EQ(j["journal"]["intact"], false);
  EXPECT_EQ(j["journal"]["first_bad_seq"], 19);
  EXPECT_FALSE(j["journal"]["problem"].get<std::string>().empty());
  EXPECT_EQ(j["lockdowns"][0]["resumed_by"]["operator"], "eve");  // shown as the file holds it
}

}  // namespace
}  // namespace cst::report
