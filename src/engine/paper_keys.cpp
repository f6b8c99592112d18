// The paper session's API keys: each venue request signed with a usable key, usage accounted,
// anomalies turned into key events, compromise and lockdown (key_manager.hpp has the rules).
#include <chrono>

#include "paper_session_impl.hpp"

namespace cst::paper_detail {

using security::SecurityEventKind;

Timestamp PaperSession::wall_now() const {
  if (options_.wall_clock) return options_.wall_clock();
  return Timestamp{
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count()};
}

void PaperSession::start_keys() {
  if (!options_.keys) return;
  key_manager_.emplace(options_.keys->policy);
  key_manager_->set_keys(options_.keys->keys);
  venue_.set_gate(this);
  const Timestamp now = wall_now();
  for (const security::KeyInfo& k : options_.keys->keys) {
    if (k.venue != options_.keys->venue) continue;
    note("key_event", json_object({{"event", "inventory"},
                                   {"key_id", k.id_hex()},
                                   {"venue", k.venue},
                                   {"state", std::string(to_string(security::key_state(k, now)))},
                                   {"expires", format_iso8601(k.expires)}}));
  }
  journal_vault_changes(now);
  check_keys();
}

void PaperSession::journal_vault_changes(Timestamp now) {
  // Keys added, rotated or revoked with `cst keys` since the last start: the vault keeps their
  // times, so they reach the account's journal even though no trader ran then.
  const Timestamp since = loaded_.keys_journaled_until;
  for (const security::KeyInfo& k : options_.keys->keys) {
    if (k.created > since) {
      note("key_event", json_object({{"event", "added"},
                                     {"key_id", k.id_hex()},
                                     {"venue", k.venue},
                                     {"time", format_iso8601(k.created)},
                                     {"detail", "scopes " + std::to_string(k.scopes)}}));
    }
    if (k.status != security::KeyStatus::kActive && k.ended > since) {
      note("key_event", json_object({{"event", std::string(to_string(k.status))},
                                     {"key_id", k.id_hex()},
                                     {"venue", k.venue},
                                     {"time", format_iso8601(k.ended)},
                                     {"detail", k.reason}}));
    }
  }
  Status s = store_->set_keys_journaled_until(now);
  if (!s.ok()) note("engine_error", json_object({{"message", s.error().message}}));
}

void PaperSession::save_key_usage() {
  if (!key_manager_) return;
  for (const auto& [id, u] : key_manager_->all_usage()) {
    KeyUsageRow row{id,
                    options_.keys->venue,
                    static_cast<std::int64_t>(u.requests),
                    static_cast<std::int64_t>(u.auth_failures),
                    u.first_use,
                    u.last_use,
                    {},
                    {}};
    for (const auto& [endpoint, n] : u.by_endpoint)
      row.endpoints += (row.endpoints.empty() ? "" : ",") + endpoint + "=" + std::to_string(n);
    for (std::size_t h = 0; h < u.by_hour.size(); ++h) row.hours += (h ? "," : "") + std::to_string(u.by_hour[h]);
    Status s = store_->put_key_usage(row);
    if (!s.ok()) note("engine_error", json_object({{"message", s.error().message}}));
  }
}

void PaperSession::check_keys() {
  if (!key_manager_) return;
  const bool usable = key_manager_->signing_key(options_.keys->venue, wall_now()).has_value();
  if (usable == !key_blocked_) return;
  key_blocked_ = !usable;
  risk_.set_no_usable_key(key_blocked_);
  const std::string venue = options_.keys->venue;
  note("key_event", json_object({{"event", usable ? "usable_key_back" : "no_usable_key"}, {"venue", venue}}));
  if (!usable) {
    const std::string detail = "no usable API key for " + venue + " (rotation overdue or revoked)";
    raise_alert("no_usable_key", venue, detail + ": no new positions until a key is added (cst keys rotate)");
    security_event(SecurityEventKind::kKeyExpired, detail);
  }
}

Status PaperSession::authorize(std::string_view endpoint) {
  if (!key_manager_) return Status::Ok();
  auto id = key_manager_->signing_key(options_.keys->venue, wall_now());
  if (!id) {
    return make_error(ErrorCode::kUnavailable,
                      "no usable API key for " + options_.keys->venue + "; " + std::string(endpoint) + " not signed");
  }
  signing_key_ = std::move(*id);
  return Status::Ok();
}

void PaperSession::accepted(std::string_view endpoint, bool ok) {
  if (!key_manager_) return;
  for (const security::KeyReport& r : key_manager_->record(signing_key_, endpoint, ok, wall_now())) key_finding(r);
}

void PaperSession::key_finding(const security::KeyReport& r) {
  const std::string venue = options_.keys->venue;
  note("key_event", json_object({{"event", std::string(to_string(r.finding))},
                                 {"key_id", r.key_id},
                                 {"venue", venue},
                                 {"detail", r.detail}}));
  if (!security::compromises(r.finding)) {
    security_event(SecurityEventKind::kAuthFailure, "key " + r.key_id + ": " + r.detail);
    return;
  }
  if (key_manager_->can_sign(r.key_id, wall_now()) == security::SignVerdict::kEnded) return;  // told already
  const Timestamp now = wall_now();
  key_manager_->mark_ended(r.key_id, security::KeyStatus::kCompromised, now);
  std::string revoked = "not in a vault";
  if (security::KeyVault* vault = options_.keys->vault) {
    Status s =
        vault->revoke(r.key_id, security::KeyStatus::kCompromised, r.detail.substr(0, security::kMaxReasonSize), now);
    if (s.ok()) s = vault->save();
    revoked = s.ok() ? "revoked in the vault" : "NOT revoked in the vault: " + s.error().message;
  }
  note("key_event",
       json_object({{"event", "compromised"}, {"key_id", r.key_id}, {"venue", venue}, {"detail", revoked}}));
  security_event(SecurityEventKind::kKeyCompromised, "key " + r.key_id + " (" + venue +
                                                         "): " + std::string(to_string(r.finding)) + ": " + r.detail +
                                                         "; " + revoked + ". Revoke it at the exchange too");
  check_keys();
}

}  // namespace cst::paper_detail
