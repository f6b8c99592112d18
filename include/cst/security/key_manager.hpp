// KeyManager: which API key may sign a request now, and what its use looks like (DESIGN.md
// section 7). It holds key metadata only; secrets stay in the vault's locked memory.
//
// - can_sign(): a key signs only while usable (active and before its expiry: rotation is due
//   every key lifetime, 24 h by default). An expired key signs nothing; the engine also stops
//   opening positions on that venue until a new key is added.
// - record(): usage accounting per key: requests and auth failures per endpoint, per UTC hour
//   of day, and per minute. Anomalies, each of which marks the key compromised:
//     endpoint not on the allow-list;
//     requests in the last minute above rate_factor x the baseline (the mean of the completed
//       minutes so far, once at least baseline_minutes of history exist, and never below
//       min_anomaly_rate per minute);
//     use outside the allowed UTC hours;
//     auth_failures_to_compromise signature/auth failures within auth_failure_window.
//   A single auth failure is reported too (a violation), without compromising the key.
// Pure and deterministic (time from the caller). Not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cst/core/timestamp.hpp"
#include "cst/security/vault_format.hpp"

namespace cst::security {

struct KeyPolicy {
  std::vector<std::string> allowed_endpoints;  // empty: any endpoint is allowed
  int allowed_from_hour = 0;                   // UTC, inclusive
  int allowed_to_hour = 24;                    // UTC, exclusive; from > to wraps midnight
  double rate_factor = 10.0;
  int baseline_minutes = 5;
  int min_anomaly_rate = 60;  // requests per minute
  int auth_failures_to_compromise = 3;
  Duration auth_failure_window = Duration::from_seconds(300);
};

struct KeyUsage {
  std::uint64_t requests = 0;
  std::uint64_t auth_failures = 0;
  std::map<std::string, std::uint64_t> by_endpoint;
  std::array<std::uint64_t, 24> by_hour{};
  Timestamp first_use;
  Timestamp last_use;
  // Per-minute history for the rate baseline.
  std::int64_t current_minute = INT64_MIN;
  std::uint64_t current_count = 0;
  std::uint64_t completed_minutes = 0;
  std::uint64_t completed_requests = 0;
  std::deque<Timestamp> recent_failures;
};

enum class KeyFinding : std::uint8_t {
  kAuthFailure,  // one refused signature: a violation
  kEndpointNotAllowed,
  kRateAnomaly,
  kOutsideHours,
  kRepeatedAuthFailures,
};
std::string_view to_string(KeyFinding f);
inline bool compromises(KeyFinding f) { return f != KeyFinding::kAuthFailure; }

struct KeyReport {
  KeyFinding finding;
  std::string key_id;
  std::string detail;
};

enum class SignVerdict : std::uint8_t { kUsable, kExpired, kEnded, kUnknown };
std::string_view to_string(SignVerdict v);

class KeyManager {
 public:
  explicit KeyManager(KeyPolicy policy) : policy_(std::move(policy)) {}

  // Keys known to the manager, by id (metadata from the vault).
  void set_keys(const std::vector<KeyInfo>& keys);
  SignVerdict can_sign(std::string_view key_id, Timestamp now) const;
  // The newest key of `venue` that can sign now, if any.
  std::optional<std::string> signing_key(std::string_view venue, Timestamp now) const;

  // Accounts one request signed with `key_id`; `accepted` is false when the venue refused the
  // signature or key. Returns what it found (compromising findings first).
  std::vector<KeyReport> record(std::string_view key_id, std::string_view endpoint, bool accepted, Timestamp now);
  // The key was found compromised or revoked elsewhere: it signs nothing from now on.
  void mark_ended(std::string_view key_id, KeyStatus status, Timestamp now);

  const KeyUsage* usage(std::string_view key_id) const;
  const std::map<std::string, KeyUsage, std::less<>>& all_usage() const { return usage_; }
  const KeyPolicy& policy() const { return policy_; }

 private:
  bool hour_allowed(Timestamp t) const;
  KeyPolicy policy_;
  std::map<std::string, KeyInfo, std::less<>> keys_;
  std::map<std::string, KeyUsage, std::less<>> usage_;
};

}  // namespace cst::security
