#include "cst/security/key_manager.hpp"

#include <algorithm>

#include "cst/security/key_vault.hpp"

namespace cst::security {

namespace {

constexpr std::int64_t kMinuteNs = 60'000'000'000;
constexpr std::int64_t kHourNs = 3'600'000'000'000;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int utc_hour(Timestamp t) { return static_cast<int>(floor_div(t.ns, kHourNs) % 24 + 24) % 24; }

}  // namespace

std::string_view to_string(KeyFinding f) {
  switch (f) {
    case KeyFinding::kAuthFailure: return "auth_failure";
    case KeyFinding::kEndpointNotAllowed: return "endpoint_not_allowed";
    case KeyFinding::kRateAnomaly: return "rate_anomaly";
    case KeyFinding::kOutsideHours: return "outside_allowed_hours";
    case KeyFinding::kRepeatedAuthFailures: return "repeated_auth_failures";
  }
  return "unknown";
}

std::string_view to_string(SignVerdict v) {
  switch (v) {
    case SignVerdict::kUsable: return "usable";
    case SignVerdict::kExpired: return "expired";
    case SignVerdict::kEnded: return "ended";
    case SignVerdict::kUnknown: return "unknown_key";
  }
  return "unknown";
}

void KeyManager::set_keys(const std::vector<KeyInfo>& keys) {
  keys_.clear();
  for (const KeyInfo& k : keys) keys_[k.id_hex()] = k;
}

SignVerdict KeyManager::can_sign(std::string_view key_id, Timestamp now) const {
  const auto it = keys_.find(key_id);
  if (it == keys_.end()) return SignVerdict::kUnknown;
  switch (key_state(it->second, now)) {
    case KeyState::kUsable: return SignVerdict::kUsable;
    case KeyState::kExpired: return SignVerdict::kExpired;
    default: return SignVerdict::kEnded;
  }
}

std::optional<std::string> KeyManager::signing_key(std::string_view venue, Timestamp now) const {
  const KeyInfo* best = nullptr;
  for (const auto& [id, k] : keys_) {
    if (k.venue != venue || key_state(k, now) != KeyState::kUsable) continue;
    if (best == nullptr || k.created > best->created) best = &k;
  }
  if (best == nullptr) return std::nullopt;
  return best->id_hex();
}

void KeyManager::mark_ended(std::string_view key_id, KeyStatus status, Timestamp now) {
  const auto it = keys_.find(key_id);
  if (it == keys_.end()) return;
  it->second.status = status;
  it->second.ended = now;
}

const KeyUsage* KeyManager::usage(std::string_view key_id) const {
  const auto it = usage_.find(key_id);
  return it == usage_.end() ? nullptr : &it->second;
}

bool KeyManager::hour_allowed(Timestamp t) const {
  const int h = utc_hour(t);
  const int from = policy_.allowed_from_hour;
  const int to = policy_.allowed_to_hour;
  if (from == to || (from == 0 && to == 24)) return true;
  return from < to ? (h >= from && h < to) : (h >= from || h < to);
}

std::vector<KeyReport> KeyManager::record(std::string_view key_id, std::string_view endpoint, bool accepted,
                                          Timestamp now) {
  auto& u = usage_[std::string(key_id)];
  std::vector<KeyReport> out;
  const std::string id(key_id);
  const auto report = [&](KeyFinding f, std::string detail) { out.push_back(KeyReport{f, id, std::move(detail)}); };

  if (u.requests == 0) u.first_use = now;
  ++u.requests;
  ++u.by_endpoint[std::string(endpoint)];
  ++u.by_hour[static_cast<std::size_t>(utc_hour(now))];
  u.last_use = now;

  // Per-minute counts: a finished minute joins the baseline (quiet minutes in between count as 0).
  const std::int64_t minute = floor_div(now.ns, kMinuteNs);
  if (minute != u.current_minute) {
    if (u.current_minute != INT64_MIN && minute > u.current_minute) {
      u.completed_minutes += static_cast<std::uint64_t>(minute - u.current_minute);
      u.completed_requests += u.current_count;
    }
    u.current_minute = minute;
    u.current_count = 0;
  }
  ++u.current_count;

  if (!policy_.allowed_endpoints.empty() &&
      std::find(policy_.allowed_endpoints.begin(), policy_.allowed_endpoints.end(), endpoint) ==
          policy_.allowed_endpoints.end()) {
    report(KeyFinding::kEndpointNotAllowed, "endpoint '" + std::string(endpoint) + "' is not on the allow-list");
  }
  if (!hour_allowed(now)) {
    report(KeyFinding::kOutsideHours, "used at " + std::to_string(utc_hour(now)) + ":xx UTC, allowed " +
                                          std::to_string(policy_.allowed_from_hour) + "-" +
                                          std::to_string(policy_.allowed_to_hour));
  }
  if (u.completed_minutes >= static_cast<std::uint64_t>(policy_.baseline_minutes)) {
    const double baseline = static_cast<double>(u.completed_requests) / static_cast<double>(u.completed_minutes);
    const double threshold = std::max(policy_.rate_factor * baseline, static_cast<double>(policy_.min_anomaly_rate));
    // Reported once, when the minute's count first crosses the threshold.
    if (static_cast<double>(u.current_count) > threshold && static_cast<double>(u.current_count - 1) <= threshold) {
      report(KeyFinding::kRateAnomaly, std::to_string(u.current_count) + " requests this minute, baseline " +
                                           std::to_string(baseline).substr(0, 6) + "/min");
    }
  }
  if (!accepted) {
    ++u.auth_failures;
    u.recent_failures.push_back(now);
    while (!u.recent_failures.empty() && u.recent_failures.front() < now + Duration{-policy_.auth_failure_window.ns})
      u.recent_failures.pop_front();
    if (static_cast<int>(u.recent_failures.size()) >= policy_.auth_failures_to_compromise) {
      report(KeyFinding::kRepeatedAuthFailures,
             std::to_string(u.recent_failures.size()) + " refused signatures within " +
                 std::to_string(policy_.auth_failure_window.ns / 1'000'000'000) + " s");
    } else {
      report(KeyFinding::kAuthFailure, "the venue refused the signature on '" + std::string(endpoint) + "'");
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const KeyReport& a, const KeyReport& b) {
    return compromises(a.finding) > compromises(b.finding);
  });
  return out;
}

}  // namespace cst::security
