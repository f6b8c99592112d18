// The paper session's configuration control: the review at start and the watch while running
// (DESIGN.md section 7, config levels).
#include "cst/config/config_file.hpp"
#include "cst/security/operator_statements.hpp"
#include "paper_session_impl.hpp"

namespace cst::paper_detail {

namespace {

std::string review_json(const config::ConfigReview& r, const std::string& hash) {
  std::string out;
  audit::JsonWriter w(&out);
  w.begin_object();
  w.key("config_hash").string(hash);
  w.key("first_use").boolean(r.first_use);
  w.key("changes").begin_array();
  for (const config::ConfigChange& c : r.changes) {
    w.begin_object();
    w.key("key").string(c.key);
    w.key("level").string(to_string(c.level));
    if (c.before) w.key("before").string(*c.before);
    if (c.after) w.key("after").string(*c.after);
    w.end_object();
  }
  w.end_array();
  w.key("approvals_needed").unsigned_integer(r.approvals_needed);
  w.key("approved_by").begin_array();
  for (const auto& name : r.approved_by) w.string(name);
  w.end_array();
  w.key("ignored").begin_array();
  for (const auto& why : r.ignored) w.string(why);
  w.end_array();
  w.key("unapproved").begin_array();
  for (const auto& key : r.unapproved) w.string(key);
  w.end_array();
  w.key("unprotected").boolean(r.unprotected);
  w.end_object();
  return out;
}

}  // namespace

Status PaperSession::take_config_in_force() {
  if (options_.config_hash.empty()) return Status::Ok();  // no file behind this run (tests, tools)
  std::optional<config::ConfigValues> baseline;
  if (!loaded_.config_values.empty()) {
    auto b = config::decode_config_values(loaded_.config_values);
    if (!b.ok())
      return make_error(ErrorCode::kCorruption, "state store '" + store_->path() + "': " + b.error().message);
    baseline = std::move(*b);
  } else if (!loaded_.config_hash.empty() && loaded_.config_hash != options_.config_hash) {
    // A state file from before configuration levels: its values are unknown, so the file's
    // become the baseline; say so rather than pretend it was reviewed.
    note("config_baseline_unknown", json_object({{"previous_hash", loaded_.config_hash}}));
  }
  const config::ConfigReview r =
      config::review_config(baseline, options_.config_values, options_.config_hash, options_.config_approvals);
  note("config_review", review_json(r, options_.config_hash));
  if (!r.accepted()) {
    const std::string reason = "config tampering: RESTRICTED " + joined(r.unapproved, ", ") + " changed without " +
                               std::to_string(r.approvals_needed) + " operator approval(s)" +
                               (r.ignored.empty() ? "" : " (ignored: " + joined(r.ignored, ", ") + ")");
    security_event(security::SecurityEventKind::kConfigTampering, reason);
    return make_error(ErrorCode::kInvalidArgument,
                      reason +
                          "; the account is now locked down. Restore the file, or have an operator run "
                          "`cst config approve`, then `cst resume` with an operator key");
  }
  if (r.unprotected) {
    raise_alert("config_unprotected", "no operators configured",
                "RESTRICTED settings changed, but no [security.operators] are configured to approve them");
  }
  Status s = store_->set_config_in_force(options_.config_hash, config::encode_config_values(options_.config_values));
  if (!s.ok()) return s;
  note("config_in_force", json_object({{"config_hash", options_.config_hash},
                                       {"changes", std::to_string(r.changes.size())},
                                       {"first_use", r.first_use ? "true" : "false"}}));
  return Status::Ok();
}

bool PaperSession::resume_is_signed(const PendingAction& a, std::string* why) const {
  auto operators = config::operators_of(options_.config_values);
  const security::OperatorPublicKey* op = nullptr;
  if (operators.ok()) {
    for (const auto& o : *operators)
      if (o.name == a.operator_name) op = &o;
  }
  if (op == nullptr) {
    *why = a.operator_name + " is not an operator of the configuration in force";
    return false;
  }
  auto signature = security::parse_signature_hex(a.signature);
  if (!signature.ok()) {
    *why = "no operator signature";
    return false;
  }
  const std::string statement =
      security::resume_statement(account_key(loaded_.setup), a.clears_since, a.operator_name, a.reason, a.time);
  if (!security::verify_operator_signature(op->key, security::kResumePurpose, statement, *signature)) {
    *why = "the signature does not verify";
    return false;
  }
  return true;
}

void PaperSession::watch_config_file(bool force) {
  if (options_.config_path.empty() || config_tampered_) return;
  const auto now = WallClock::now();
  if (!force && options_.config_check_interval.count() > 0 && now < next_config_check_) return;
  next_config_check_ = now + options_.config_check_interval;
  auto hash = config::hash_config_file(options_.config_path);
  if (hash.ok() && *hash == options_.config_hash) return;
  config_tampered_ = true;
  const std::string reason = hash.ok()
                                 ? "config tampering: " + options_.config_path + " changed while running (" +
                                       options_.config_hash.substr(0, 12) + "... -> " + hash->substr(0, 12) + "...)"
                                 : "config tampering: " + hash.error().message;
  note("config_tampered", json_object({{"path", options_.config_path},
                                       {"expected", options_.config_hash},
                                       {"found", hash.ok() ? *hash : std::string()}}));
  security_event(security::SecurityEventKind::kConfigTampering, reason);
}

}  // namespace cst::paper_detail
