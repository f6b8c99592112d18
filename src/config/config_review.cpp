#include "cst/config/config_review.hpp"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <set>

#include "cst/core/hex.hpp"

namespace cst::config {

namespace {

constexpr std::string_view kOperatorsPrefix = "security.operators.";
constexpr std::size_t kDefaultApprovals = 1;

std::size_t approvals_required(const ConfigValues& baseline) {
  const auto it = baseline.find("security.config_approvals");
  if (it == baseline.end()) return kDefaultApprovals;
  std::size_t n = 0;
  const auto r = std::from_chars(it->second.data(), it->second.data() + it->second.size(), n);
  return r.ec == std::errc{} && n >= 1 ? n : kDefaultApprovals;
}

std::vector<ConfigChange> diff(const ConfigValues& before, const ConfigValues& after) {
  std::vector<ConfigChange> out;
  std::set<std::string> keys;
  for (const auto& [k, v] : before) keys.insert(k);
  for (const auto& [k, v] : after) keys.insert(k);
  for (const std::string& k : keys) {
    const auto b = before.find(k);
    const auto a = after.find(k);
    const std::optional<std::string> bv = b == before.end() ? std::nullopt : std::optional(b->second);
    const std::optional<std::string> av = a == after.end() ? std::nullopt : std::optional(a->second);
    if (bv == av) continue;
    // A key no longer known (a newer file read by an older build) is treated as RESTRICTED.
    out.push_back(ConfigChange{k, level_of(k).value_or(ConfigLevel::kRestricted), bv, av});
  }
  return out;
}

}  // namespace

std::string encode_config_values(const ConfigValues& values) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : values) j[k] = v;
  // Invalid UTF-8 in a value (a hostile file) is replaced rather than thrown.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<ConfigValues> decode_config_values(std::string_view json) {
  const nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return make_error(ErrorCode::kCorruption, "stored configuration values are not a JSON object");
  }
  ConfigValues out;
  for (const auto& [k, v] : j.items()) {
    if (!v.is_string()) return make_error(ErrorCode::kCorruption, "stored configuration value '" + k + "' is not text");
    out[k] = v.get<std::string>();
  }
  return out;
}

Result<std::vector<ConfigApproval>> parse_config_approvals(std::string_view text, std::string_view path) {
  std::vector<ConfigApproval> out;
  std::size_t line_no = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const auto bad = [&](const std::string& what) {
      return make_error(ErrorCode::kParse, std::string(path) + ":" + std::to_string(line_no) + ": " + what);
    };
    std::vector<std::string_view> words;
    while (!line.empty()) {
      const std::size_t sp = line.find(' ');
      if (sp != 0) words.push_back(line.substr(0, sp));
      line = sp == std::string_view::npos ? std::string_view{} : line.substr(sp + 1);
    }
    if (words.size() != 4 || words[0] != "approve") {
      return bad("expected 'approve <sha256> <operator> <signature>'");
    }
    std::array<std::uint8_t, 32> hash{};
    if (!decode_hex(words[1], hash))
      return bad("'" + std::string(words[1].substr(0, 80)) + "' is not a SHA-256 in hex");
    if (Status s = security::check_operator_name(words[2]); !s) return bad(s.error().message);
    auto sig = security::parse_signature_hex(words[3]);
    if (!sig) return bad(sig.error().message);
    out.push_back(ConfigApproval{to_hex(hash), std::string(words[2]), *sig});
  }
  return out;
}

std::string format_config_approval(const ConfigApproval& a) {
  return "approve " + a.config_hash + " " + a.operator_name + " " + to_hex(a.signature) + "\n";
}

ConfigApproval sign_config(const security::OperatorSigner& signer, std::string_view config_hash) {
  return ConfigApproval{std::string(config_hash), signer.public_key().name,
                        signer.sign(kConfigApprovalPurpose, config_hash)};
}

Result<std::vector<security::OperatorPublicKey>> operators_of(const ConfigValues& values) {
  std::vector<security::OperatorPublicKey> out;
  for (auto it = values.lower_bound(std::string(kOperatorsPrefix)); it != values.end(); ++it) {
    if (!std::string_view(it->first).starts_with(kOperatorsPrefix)) break;
    security::OperatorPublicKey op;
    op.name = it->first.substr(kOperatorsPrefix.size());
    if (Status s = security::check_operator_name(op.name); !s)
      return make_error(ErrorCode::kInvalidArgument, it->first + ": " + s.error().message);
    auto key = security::parse_public_key_token(it->second);
    if (!key) return make_error(ErrorCode::kInvalidArgument, it->first + ": " + key.error().message);
    op.key = *key;
    out.push_back(std::move(op));
  }
  return out;
}

ConfigReview review_config(const std::optional<ConfigValues>& baseline, const ConfigValues& current,
                           std::string_view config_hash, std::span<const ConfigApproval> approvals) {
  ConfigReview r;
  if (!baseline) {
    r.first_use = true;
    r.changes = diff({}, current);
    return r;
  }
  r.changes = diff(*baseline, current);
  std::vector<std::string> restricted;
  for (const ConfigChange& c : r.changes) {
    if (c.level == ConfigLevel::kRestricted || c.level == ConfigLevel::kLocked) restricted.push_back(c.key);
  }
  if (restricted.empty()) return r;
  r.approvals_needed = approvals_required(*baseline);
  auto operators = operators_of(*baseline);
  if (!operators || operators->empty()) {
    r.unprotected = true;
    return r;
  }
  for (const ConfigApproval& a : approvals) {
    const auto op = std::find_if(operators->begin(), operators->end(),
                                 [&](const security::OperatorPublicKey& o) { return o.name == a.operator_name; });
    if (a.config_hash != config_hash) {
      r.ignored.push_back(a.operator_name + ": approves another version of the file (" + a.config_hash.substr(0, 12) +
                          "...)");
    } else if (op == operators->end()) {
      r.ignored.push_back(a.operator_name + ": not an operator of the configuration in force");
    } else if (!security::verify_operator_signature(op->key, kConfigApprovalPurpose, config_hash, a.signature)) {
      r.ignored.push_back(a.operator_name + ": signature does not verify");
    } else if (std::find(r.approved_by.begin(), r.approved_by.end(), a.operator_name) == r.approved_by.end()) {
      r.approved_by.push_back(a.operator_name);
    }
  }
  if (r.approved_by.size() < r.approvals_needed) r.unapproved = std::move(restricted);
  return r;
}

}  // namespace cst::config
