// Fuzzes what the configuration levels read from outside: the approvals file beside a config
// (operators' signatures, a hostile or damaged file) and the configuration values stored in a
// state file (JSON), then reviews a change with what was read. An approvals file either parses
// into approvals that print back the same way or is refused with "<path>:<line>: ..."; stored
// values either decode into a map that encodes back to itself or are refused; a review never
// crashes, and refuses only RESTRICTED keys that really changed.
//
// Input: the whole bytes go to both parsers; then the first line is read as stored values (the
// baseline) and the rest as the approvals file for a review of a modified copy of the baseline.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cst/config/config_file.hpp"
#include "cst/config/config_review.hpp"
#include "cst/security/operator_key.hpp"

namespace {

using namespace cst::config;

constexpr std::string_view kPath = "fuzz/paper.toml.approvals";
constexpr std::string_view kOperatorsPrefix = "security.operators.";

// A parse either gives approvals that round-trip through their text or names the file and line.
std::vector<ConfigApproval> check_approvals(std::string_view text) {
  auto parsed = parse_config_approvals(text, kPath);
  if (!parsed.ok()) {
    const std::string& m = parsed.error().message;
    if (!m.starts_with(std::string(kPath) + ":")) std::abort();
    const std::size_t digits = m.find_first_not_of("0123456789", kPath.size() + 1);
    if (digits == kPath.size() + 1 || digits == std::string::npos || m[digits] != ':') std::abort();
    return {};
  }
  std::string again;
  for (const ConfigApproval& a : *parsed) {
    if (!cst::security::check_operator_name(a.operator_name).ok()) std::abort();
    again += format_config_approval(a);
  }
  auto reparsed = parse_config_approvals(again, kPath);
  if (!reparsed.ok() || reparsed->size() != parsed->size()) std::abort();
  for (std::size_t i = 0; i < parsed->size(); ++i) {
    const ConfigApproval& a = (*parsed)[i];
    const ConfigApproval& b = (*reparsed)[i];
    if (a.config_hash != b.config_hash || a.operator_name != b.operator_name || a.signature != b.signature)
      std::abort();
  }
  return std::move(*parsed);
}

// Operators of decoded values: names that pass the check, keys that are the listed tokens.
void check_operators(const ConfigValues& values) {
  auto ops = operators_of(values);
  if (!ops.ok()) return;
  std::size_t listed = 0;
  for (const auto& [k, v] : values) listed += k.starts_with(kOperatorsPrefix) ? 1 : 0;
  if (ops->size() != listed) std::abort();
  for (const cst::security::OperatorPublicKey& op : *ops) {
    if (!cst::security::check_operator_name(op.name).ok()) std::abort();
    const auto it = values.find(std::string(kOperatorsPrefix) + op.name);
    if (it == values.end()) std::abort();
    auto key = cst::security::parse_public_key_token(it->second);
    if (!key.ok() || *key != op.key) std::abort();
  }
}

// Stored values either decode into a map that encodes and decodes back to itself, or are refused.
std::optional<ConfigValues> check_values(std::string_view json) {
  auto decoded = decode_config_values(json);
  if (!decoded.ok()) return std::nullopt;
  auto again = decode_config_values(encode_config_values(*decoded));
  if (!again.ok() || *again != *decoded) std::abort();
  check_operators(*decoded);
  return std::move(*decoded);
}

// The file as the user edited it: the baseline with one change chosen by `pick`.
ConfigValues modified(const ConfigValues& baseline, std::uint8_t pick) {
  static constexpr std::string_view kKeys[] = {
      "risk.profile",  "risk.leverage", "security.operators.mallory", "security.config_approvals",
      "strategy.size", "paper.speed",   "strategy.params.fast",       "no.such.key"};
  ConfigValues current = baseline;
  const std::size_t n = baseline.size();
  auto nth = [&](std::size_t i) { return std::next(current.begin(), static_cast<std::ptrdiff_t>(i % n)); };
  switch (pick & 3) {
    case 0: break;  // unchanged
    case 1:
      if (n > 0) nth(pick >> 2)->second += "'";
      break;
    case 2:
      if (n > 0) current.erase(nth(pick >> 2));
      break;
    default: current[std::string(kKeys[(pick >> 2) % std::size(kKeys)])] = "fuzz"; break;
  }
  return current;
}

void check_review(const std::optional<ConfigValues>& baseline, const ConfigValues& current, std::string_view hash,
                  const std::vector<ConfigApproval>& approvals) {
  const ConfigReview r = review_config(baseline, current, hash, approvals);
  if (!r.accepted() && r.unapproved.empty()) std::abort();
  if (r.first_use != !baseline.has_value()) std::abort();
  if (r.first_use && !r.accepted()) std::abort();
  const ConfigValues none;
  const ConfigValues& before = baseline ? *baseline : none;
  auto lookup = [](const ConfigValues& v, const std::string& k) -> std::optional<std::string> {
    const auto it = v.find(k);
    return it == v.end() ? std::nullopt : std::optional(it->second);
  };
  for (std::size_t i = 0; i < r.changes.size(); ++i) {
    const ConfigChange& c = r.changes[i];
    if (i > 0 && !(r.changes[i - 1].key < c.key)) std::abort();  // sorted, each key once
    if (!before.contains(c.key) && !current.contains(c.key)) std::abort();
    if (c.before != lookup(before, c.key) || c.after != lookup(current, c.key) || c.before == c.after) std::abort();
  }
  for (const std::string& k : r.unapproved) {
    const auto c = std::find_if(r.changes.begin(), r.changes.end(), [&](const ConfigChange& x) { return x.key == k; });
    if (c == r.changes.end()) std::abort();  // only a key that changed is refused
    if (c->level != ConfigLevel::kRestricted && c->level != ConfigLevel::kLocked) std::abort();
  }
  // An approval counts once per operator, only over this hash; every other one is reported.
  if (r.approved_by.size() + r.ignored.size() > approvals.size()) std::abort();
  for (const std::string& name : r.approved_by) {
    if (std::count(r.approved_by.begin(), r.approved_by.end(), name) != 1) std::abort();
    if (!before.contains(std::string(kOperatorsPrefix) + name)) std::abort();
    if (std::none_of(approvals.begin(), approvals.end(),
                     [&](const ConfigApproval& a) { return a.operator_name == name && a.config_hash == hash; })) {
      std::abort();
    }
  }
  if (!r.unapproved.empty() && r.approved_by.size() >= r.approvals_needed) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // Each parser on the whole bytes.
  std::vector<ConfigApproval> approvals = check_approvals(text);
  std::optional<ConfigValues> values = check_values(text);

  // A review: the first line as the stored baseline, the rest as the approvals file.
  const std::size_t nl = text.find('\n');
  if (nl != std::string_view::npos) {
    values = check_values(text.substr(0, nl));
    approvals = check_approvals(text.substr(nl + 1));
  }
  // The hash the first approval signs, so a valid signature in a seed verifies.
  const std::string hash = approvals.empty() ? hash_config_text(text) : approvals.front().config_hash;
  const std::uint8_t pick = size > 0 ? data[size - 1] : 0;
  check_review(values, modified(values.value_or(ConfigValues{}), pick), hash, approvals);
  // First use (no state yet) and an unchanged file: no approval needed.
  if (values) {
    check_review(std::nullopt, *values, hash, approvals);
    if (!review_config(values, *values, hash, approvals).changes.empty()) std::abort();
  }
  return 0;
}
