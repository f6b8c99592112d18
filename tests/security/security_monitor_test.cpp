// Lockdown triggers and threat levels, table-driven at their thresholds.
#include "cst/security/security_monitor.hpp"

#include <gtest/gtest.h>

namespace cst::security {
namespace {

const Timestamp kT0 = Timestamp::from_seconds(1'000'000);
Timestamp at(std::int64_t seconds) { return kT0 + Duration::from_seconds(seconds); }
SecurityEvent event(std::int64_t seconds, SecurityEventKind kind) { return SecurityEvent{at(seconds), kind, "test"}; }

TEST(SecurityMonitor, EachImmediateTriggerLocksDownAtOnce) {
  for (auto kind :
       {SecurityEventKind::kLeverageCeilingAttempt, SecurityEventKind::kPositionCeilingAttempt,
        SecurityEventKind::kConfigTampering, SecurityEventKind::kKeyCompromised, SecurityEventKind::kForgedSignature}) {
    SecurityMonitor m(preset_for(SecurityLevel::kModerate));
    auto reason = m.record(event(0, kind));
    ASSERT_TRUE(reason.has_value()) << to_string(kind);
    EXPECT_NE(reason->find(to_string(kind)), std::string::npos);
    EXPECT_EQ(m.threat(at(0)), ThreatLevel::kSevere);
  }
}

TEST(SecurityMonitor, ThreeViolationsWithinTheWindowLockDownTwoDoNot) {
  SecurityMonitor m(preset_for(SecurityLevel::kModerate));  // 3 within 1 h
  EXPECT_FALSE(m.record(event(0, SecurityEventKind::kAuthFailure)));
  EXPECT_FALSE(m.record(event(60, SecurityEventKind::kRejectedApproval)));
  auto third = m.record(event(3599, SecurityEventKind::kAuthFailure));
  ASSERT_TRUE(third.has_value());
  EXPECT_NE(third->find("3 security violations within 3600 s"), std::string::npos) << *third;
}

TEST(SecurityMonitor, ViolationsOutsideTheWindowDoNotCount) {
  SecurityMonitor m(preset_for(SecurityLevel::kModerate));
  EXPECT_FALSE(m.record(event(0, SecurityEventKind::kAuthFailure)));
  EXPECT_FALSE(m.record(event(1, SecurityEventKind::kAuthFailure)));
  EXPECT_FALSE(m.record(event(3601, SecurityEventKind::kAuthFailure)));  // the first has left
  EXPECT_EQ(m.violations(at(3601)), 2);
}

TEST(SecurityMonitor, InformationEventsAreNotViolations) {
  SecurityMonitor m(preset_for(SecurityLevel::kModerate));
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(m.record(event(i, SecurityEventKind::kKeyExpired)));
  EXPECT_EQ(m.threat(at(5)), ThreatLevel::kLow);
}

TEST(SecurityMonitor, ThreatLevelFollowsTheScoreThresholds) {
  struct Case {
    int auth_failures, anomalies;
    ThreatLevel expected;
  };
  // A preset that never locks down by count, to see every level.
  SecurityPreset p = preset_for(SecurityLevel::kModerate);
  p.violations_to_lockdown = 100;
  for (const Case c :
       {Case{0, 0, ThreatLevel::kLow}, Case{1, 0, ThreatLevel::kGuarded}, Case{2, 0, ThreatLevel::kGuarded},
        Case{3, 0, ThreatLevel::kElevated}, Case{0, 1, ThreatLevel::kElevated}, Case{2, 1, ThreatLevel::kElevated},
        Case{0, 2, ThreatLevel::kHigh}, Case{3, 2, ThreatLevel::kHigh}, Case{1, 3, ThreatLevel::kSevere}}) {
    SecurityMonitor m(p);
    for (int i = 0; i < c.auth_failures; ++i) (void)m.record(event(i, SecurityEventKind::kAuthFailure));
    for (int i = 0; i < c.anomalies; ++i) (void)m.record(event(10 + i, SecurityEventKind::kKeyAnomaly));
    EXPECT_EQ(m.threat(at(20)), c.expected) << c.auth_failures << " auth failures, " << c.anomalies << " anomalies";
  }
  EXPECT_EQ(tightening_percent(ThreatLevel::kGuarded), 100);
  EXPECT_EQ(tightening_percent(ThreatLevel::kElevated), 50);
  EXPECT_EQ(tightening_percent(ThreatLevel::kHigh), 25);
  EXPECT_EQ(tightening_percent(ThreatLevel::kSevere), 0);
}

TEST(SecurityMonitor, ThreatFallsAsEventsLeaveTheWindow) {
  SecurityMonitor m(preset_for(SecurityLevel::kAggressive));  // 15 min window
  (void)m.record(event(0, SecurityEventKind::kKeyAnomaly));
  EXPECT_EQ(m.threat(at(899)), ThreatLevel::kElevated);
  EXPECT_EQ(m.threat(at(901)), ThreatLevel::kLow);
}

TEST(SecurityMonitor, AResumeAcknowledgesButKeepsWatching) {
  SecurityMonitor m(preset_for(SecurityLevel::kModerate));
  ASSERT_TRUE(m.record(event(0, SecurityEventKind::kConfigTampering)));
  m.set_security_lockdown(true);
  m.acknowledge(at(10));
  EXPECT_EQ(m.threat(at(10)), ThreatLevel::kGuarded);
  // The acknowledged incident still counts: two more violations lock down again.
  EXPECT_FALSE(m.record(event(20, SecurityEventKind::kAuthFailure)));
  EXPECT_TRUE(m.record(event(30, SecurityEventKind::kAuthFailure)));
}

TEST(SecurityMonitor, KindNamesRoundTrip) {
  for (int i = 0; i < kSecurityEventKinds; ++i) {
    const auto k = static_cast<SecurityEventKind>(i);
    EXPECT_EQ(parse_security_event_kind(to_string(k)), k);
  }
  EXPECT_EQ(parse_security_event_kind("nope"), std::nullopt);
}

}  // namespace
}  // namespace cst::security
