// Reviewing a configuration against the one in force: what changed, at which level, and
// whether the RESTRICTED changes carry enough operator approvals (DESIGN.md section 7).
//
// Rules (the baseline's rules: a file cannot lower its own bar):
// - the baseline is the configuration last in force for this account (stored in its state);
//   with none (a new account) the file becomes the baseline as it is (trust on first use);
// - a RESTRICTED change needs `security.config_approvals` (default 1) approvals from distinct
//   operators listed in the baseline's [security.operators], each an Ed25519 signature over
//   the new file's SHA-256; approvals by others, over another hash, or that fail to verify
//   are ignored and reported;
// - a baseline without operators cannot protect RESTRICTED values: changes are accepted and
//   flagged `unprotected` so the caller journals it and `cst config check` warns.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cst/config/config_levels.hpp"
#include "cst/core/result.hpp"
#include "cst/security/operator_key.hpp"

namespace cst::config {

// Every key the file sets, flattened ("risk.leverage"), with its value as canonical text.
using ConfigValues = std::map<std::string, std::string>;

// JSON object text, for the state store.
std::string encode_config_values(const ConfigValues& values);
Result<ConfigValues> decode_config_values(std::string_view json);

inline constexpr std::string_view kConfigApprovalPurpose = "config-approval";

struct ConfigApproval {
  std::string config_hash;  // hex SHA-256 of the approved file
  std::string operator_name;
  security::SignatureBytes signature{};
};

// The approvals file ("<config>.approvals"): lines "approve <sha256> <operator> <signature>",
// '#' comments and blank lines. Errors name the file and line.
Result<std::vector<ConfigApproval>> parse_config_approvals(std::string_view text, std::string_view path);
std::string format_config_approval(const ConfigApproval& a);
ConfigApproval sign_config(const security::OperatorSigner& signer, std::string_view config_hash);

// Operators of a configuration: its security.operators.<name> = "ed25519:<hex>" entries.
Result<std::vector<security::OperatorPublicKey>> operators_of(const ConfigValues& values);

struct ConfigChange {
  std::string key;
  ConfigLevel level = ConfigLevel::kFlexible;
  std::optional<std::string> before;  // nullopt: added
  std::optional<std::string> after;   // nullopt: removed
};

struct ConfigReview {
  bool first_use = false;
  std::vector<ConfigChange> changes;     // sorted by key
  std::vector<std::string> approved_by;  // operators whose approval counted
  std::vector<std::string> ignored;      // approvals that did not count, with why
  std::size_t approvals_needed = 0;      // for the RESTRICTED changes present
  bool unprotected = false;              // RESTRICTED changes, but no operators to approve them
  // RESTRICTED keys changed without enough approvals; non-empty means refused (tampering).
  std::vector<std::string> unapproved;
  bool accepted() const { return unapproved.empty(); }
};

ConfigReview review_config(const std::optional<ConfigValues>& baseline, const ConfigValues& current,
                           std::string_view config_hash, std::span<const ConfigApproval> approvals);

}  // namespace cst::config
