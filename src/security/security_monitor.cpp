#include "cst/security/security_monitor.hpp"

#include <algorithm>
#include <array>

namespace cst::security {

namespace {

struct KindInfo {
  std::string_view name;
  int weight;
};
constexpr std::array<KindInfo, kSecurityEventKinds> kKinds{{
    {"leverage_ceiling_attempt", 10},
    {"position_ceiling_attempt", 10},
    {"config_tampering", 10},
    {"key_compromised", 10},
    {"forged_signature", 10},
    {"key_anomaly", 3},
    {"auth_failure", 1},
    {"rejected_approval", 1},
    {"key_expired", 0},
}};
constexpr int kLockdownWeight = 10;

}  // namespace

std::string_view to_string(SecurityEventKind k) { return kKinds[static_cast<std::size_t>(k)].name; }

std::optional<SecurityEventKind> parse_security_event_kind(std::string_view name) {
  for (std::size_t i = 0; i < kKinds.size(); ++i)
    if (kKinds[i].name == name) return static_cast<SecurityEventKind>(i);
  return std::nullopt;
}

int weight(SecurityEventKind k) { return kKinds[static_cast<std::size_t>(k)].weight; }

std::string_view to_string(ThreatLevel t) {
  switch (t) {
    case ThreatLevel::kLow: return "LOW";
    case ThreatLevel::kGuarded: return "GUARDED";
    case ThreatLevel::kElevated: return "ELEVATED";
    case ThreatLevel::kHigh: return "HIGH";
    case ThreatLevel::kSevere: return "SEVERE";
  }
  return "unknown";
}

int tightening_percent(ThreatLevel t) {
  switch (t) {
    case ThreatLevel::kLow:
    case ThreatLevel::kGuarded: return 100;
    case ThreatLevel::kElevated: return 50;
    case ThreatLevel::kHigh: return 25;
    case ThreatLevel::kSevere: return 0;
  }
  return 0;
}

int SecurityMonitor::Held::weight() const {
  const int w = security::weight(event.kind);
  return acknowledged ? std::min(w, 1) : w;
}

void SecurityMonitor::forget_before(Timestamp cutoff) {
  while (!events_.empty() && events_.front().event.time < cutoff) events_.pop_front();
}

void SecurityMonitor::restore(const SecurityEvent& e, bool acknowledged) { events_.push_back(Held{e, acknowledged}); }

void SecurityMonitor::acknowledge(Timestamp now) {
  for (Held& h : events_)
    if (h.event.time <= now) h.acknowledged = true;
  security_lockdown_ = false;
}

std::optional<std::string> SecurityMonitor::record(const SecurityEvent& e) {
  events_.push_back(Held{e, false});
  forget_before(e.time + Duration{-preset_.violation_window.ns});
  if (weight(e.kind) >= kLockdownWeight) return std::string(to_string(e.kind)) + ": " + e.detail;
  if (weight(e.kind) >= 1 && violations(e.time) >= preset_.violations_to_lockdown) {
    return std::to_string(violations(e.time)) + " security violations within " +
           std::to_string(preset_.violation_window.ns / 1'000'000'000) + " s (last: " + std::string(to_string(e.kind)) +
           ": " + e.detail + ")";
  }
  return std::nullopt;
}

int SecurityMonitor::score(Timestamp now) const {
  const Timestamp cutoff = now + Duration{-preset_.violation_window.ns};
  int total = 0;
  for (const Held& h : events_)
    if (h.event.time >= cutoff && h.event.time <= now) total += h.weight();
  return total;
}

int SecurityMonitor::violations(Timestamp now) const {
  const Timestamp cutoff = now + Duration{-preset_.violation_window.ns};
  int n = 0;
  for (const Held& h : events_)
    if (h.event.time >= cutoff && h.event.time <= now && h.weight() >= 1) ++n;
  return n;
}

ThreatLevel SecurityMonitor::threat(Timestamp now) const {
  const int s = score(now);
  if (security_lockdown_ || s >= 10) return ThreatLevel::kSevere;
  if (s >= 6) return ThreatLevel::kHigh;
  if (s >= 3) return ThreatLevel::kElevated;
  if (s >= 1) return ThreatLevel::kGuarded;
  return ThreatLevel::kLow;
}

}  // namespace cst::security
