// SecurityMonitor: the account's recent security events, the lockdown triggers that count
// them, and the threat level they add up to (DESIGN.md section 7).
//
// Each event kind has a weight. Kinds of weight 10 lock the account down at once (a leverage
// or position ceiling attempt, config tampering, a compromised key, a forged operator
// signature). Every event of weight >= 1 is a violation; `violations_to_lockdown` (3) of them
// within `violation_window` lock it down too. The threat level is the weight of the events
// within the window:
//   LOW 0 · GUARDED 1-2 · ELEVATED 3-5 · HIGH 6-9 · SEVERE >= 10, or while locked down for a
//   security reason.
// The gateway tightens at ELEVATED and above: position and exposure limits to 50% (ELEVATED),
// 25% (HIGH), 0% (SEVERE: no new risk at all).
// After an operator resumes, the events so far are acknowledged: each then weighs at most 1.
// Pure and deterministic: time comes from the caller. Not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "cst/core/timestamp.hpp"
#include "cst/security/security_level.hpp"

namespace cst::security {

enum class SecurityEventKind : std::uint8_t {
  kLeverageCeilingAttempt,
  kPositionCeilingAttempt,
  kConfigTampering,
  kKeyCompromised,
  kForgedSignature,   // an operator statement that does not verify (resume, approval)
  kKeyAnomaly,        // endpoint not allowed, rate far above baseline, use outside hours
  kAuthFailure,       // the venue refused a signature or a key
  kRejectedApproval,  // an approval from a key not in the set, or over another order
  kKeyExpired,        // information: rotation overdue, the venue is closed for new risk
};
inline constexpr int kSecurityEventKinds = 9;
std::string_view to_string(SecurityEventKind k);
std::optional<SecurityEventKind> parse_security_event_kind(std::string_view name);
int weight(SecurityEventKind k);

enum class ThreatLevel : std::uint8_t { kLow, kGuarded, kElevated, kHigh, kSevere };
std::string_view to_string(ThreatLevel t);
// Percent of the position and exposure limits left at this level.
int tightening_percent(ThreatLevel t);

struct SecurityEvent {
  Timestamp time;
  SecurityEventKind kind = SecurityEventKind::kAuthFailure;
  std::string detail;
};

class SecurityMonitor {
 public:
  explicit SecurityMonitor(const SecurityPreset& preset) : preset_(preset) {}

  // Records an event; returns the lockdown reason if this event triggers one.
  std::optional<std::string> record(const SecurityEvent& e);
  // Puts back events of an earlier process (only those still inside the window count).
  void restore(const SecurityEvent& e, bool acknowledged);
  // An operator resumed: events so far stop forcing SEVERE; each still counts as a violation
  // of weight 1 until it leaves the window (closer watch after an incident).
  void acknowledge(Timestamp now);

  ThreatLevel threat(Timestamp now) const;
  int score(Timestamp now) const;
  int violations(Timestamp now) const;
  // While the account is locked down for a security reason the level is SEVERE.
  void set_security_lockdown(bool on) { security_lockdown_ = on; }

 private:
  void forget_before(Timestamp cutoff);
  SecurityPreset preset_;
  struct Held {
    SecurityEvent event;
    bool acknowledged = false;
    int weight() const;
  };
  std::deque<Held> events_;
  bool security_lockdown_ = false;
};

}  // namespace cst::security
