#include "paper_config.hpp"

#include <toml++/toml.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "cst/config/config_file.hpp"
#include "cst/core/fixed_point.hpp"
#include "cst/security/key_scopes.hpp"
#include "cst/security/operator_key.hpp"

namespace cst::cli {
namespace {

// Reads one table's keys, refusing any key it was not asked for.
class Section {
 public:
  Section(const toml::table& root, std::string name, const std::string& file, std::vector<std::string>& errors,
          config::ConfigValues& values)
      : name_(std::move(name)), file_(file), errors_(errors), values_(values) {
    const toml::node* n = root.get(name_);
    if (n == nullptr) return;
    table_ = n->as_table();
    if (table_ == nullptr) errors_.push_back(where(*n) + "[" + name_ + "] must be a table");
  }
  ~Section() {
    if (table_ == nullptr) return;
    for (const auto& [key, node] : *table_)
      if (!used_.count(std::string(key.str())))
        errors_.push_back(where(node) + "unknown key '" + name_ + "." + std::string(key.str()) + "'");
  }

  void text(const char* key, std::string& out) {
    if (const toml::node* n = get(key)) {
      if (const auto* v = n->as_string())
        out = v->get();
      else if (n->is_integer() || n->is_floating_point())
        out = number_text(*n);
      else
        bad(*n, key, "a string");
    }
  }
  template <class Int>
  void integer(const char* key, Int& out) {
    if (const toml::node* n = get(key)) {
      // as_integer, not value<>: toml++ would convert a float (1e102 included) on its own.
      const toml::value<std::int64_t>* v = n->as_integer();
      if (v == nullptr) return bad(*n, key, "an integer");
      if (!std::in_range<Int>(v->get())) return bad(*n, key, "an integer in range");
      out = static_cast<Int>(v->get());
    }
  }
  void real(const char* key, double& out) {
    if (const toml::node* n = get(key)) {
      if (const auto* d = n->as_floating_point())
        out = d->get();
      else if (const auto* i = n->as_integer())
        out = static_cast<double>(i->get());
      else
        bad(*n, key, "a number");
    }
  }
  void boolean(const char* key, bool& out) {
    if (const toml::node* n = get(key)) {
      if (const auto* v = n->as_boolean())
        out = v->get();
      else
        bad(*n, key, "true or false");
    }
  }
  void path(const char* key, std::string& out) {
    std::string p;
    text(key, p);
    if (p.empty()) return;
    const std::filesystem::path fp(p);
    out = fp.is_absolute() ? p : (std::filesystem::path(file_).parent_path() / fp).lexically_normal().string();
    if (out.empty()) out = p;
  }
  const toml::table* table(const char* key) {
    const toml::node* n = get(key);
    if (n == nullptr) return nullptr;
    if (!n->is_table()) bad(*n, key, "a table");
    return n->as_table();
  }
  // A table's entries (strategy.params, security.operators) are values one by one.
  void record(const std::string& key, const toml::node& n) { values_[name_ + "." + key] = canonical(n); }
  // The value as text: strings as written, numbers as number_text, booleans true/false.
  static std::string canonical(const toml::node& n) {
    if (const auto* v = n.as_string()) return v->get();
    if (const auto* b = n.as_boolean()) return b->get() ? "true" : "false";
    if (n.is_integer() || n.is_floating_point()) return number_text(n);
    return "<" + std::string(n.is_array() ? "array" : "table") + ">";
  }
  std::string where(const toml::node& n) const { return file_ + ":" + std::to_string(n.source().begin.line) + ": "; }

 private:
  const toml::node* get(const char* key) {
    if (table_ == nullptr) return nullptr;
    used_.insert(key);
    const toml::node* n = table_->get(key);
    if (n != nullptr && !n->is_table()) values_[name_ + "." + key] = canonical(*n);
    return n;
  }
  void bad(const toml::node& n, const char* key, const char* want) {
    errors_.push_back(where(n) + name_ + "." + key + " must be " + want);
  }
  static std::string number_text(const toml::node& n) {
    // Integers as written; floats as the shortest text that reads back as the same double (a
    // stream's default 6 digits would turn 100000.125 into 100000).
    char buf[64];
    std::to_chars_result r{buf, {}};
    if (const auto* i = n.as_integer())
      r = std::to_chars(buf, buf + sizeof buf, i->get());
    else if (const auto* d = n.as_floating_point())
      r = std::to_chars(buf, buf + sizeof buf, d->get());
    return std::string(buf, r.ptr);
  }

  std::string name_;
  const std::string& file_;
  std::vector<std::string>& errors_;
  config::ConfigValues& values_;
  const toml::table* table_ = nullptr;
  std::set<std::string> used_;
};

// [risk] limits override the profile's, one by one; each stays within its LOCKED hard ceiling.
void read_risk_limits(Section& s, PaperConfig& c, const std::string& path, std::vector<std::string>& errors) {
  const auto profile = parse_risk_profile(c.run.risk_profile);
  RiskLimits limits = limits_for(profile.value_or(RiskProfile::kModerate));
  bool any = false;
  const auto read = [&](const char* key, std::int64_t& field) {
    std::string text;
    s.text(key, text);
    if (text.empty()) return;
    // 2.5 (%) -> 250 bp; 10 (x) -> 1000. Read with spare digits so 1.234 is refused, not
    // rounded: a limit is exactly what the file says or nothing.
    auto v = parse_decimal(text, 6);
    if (v.ok() && *v % 10'000 != 0) v = make_error(ErrorCode::kParse, "too many decimals");
    if (v.ok()) v = *v / 10'000;
    if (!v.ok()) {
      errors.push_back(path + ": risk." + key + " '" + text + "' must be a number with at most 2 decimals");
      return;
    }
    field = *v;
    any = true;
  };
  read("daily_loss_pct", limits.daily_loss_bp);
  read("max_drawdown_pct", limits.max_drawdown_bp);
  read("position_pct", limits.position_bp);
  read("exposure_pct", limits.exposure_bp);
  read("leverage", limits.leverage_x100);
  read("emergency_loss_pct", limits.emergency_loss_bp);
  if (!any) return;
  const std::string outside = limits_outside_ceilings(limits);
  if (!outside.empty()) {
    errors.push_back(path + ": [risk] " + outside + " (hard ceilings are LOCKED: compiled in, not configurable)");
    return;
  }
  c.run.risk_limits = limits;
}

void read_security(const toml::table& root, PaperConfig& c, const std::string& path, std::vector<std::string>& errors) {
  Section s(root, "security", path, errors, c.values);
  std::string level = "moderate";
  s.text("level", level);
  const auto preset = security::parse_security_level(level);
  if (!preset) {
    errors.push_back(path + ": security.level must be conservative, moderate or aggressive, not '" + level + "'");
  } else {
    c.options.security = security::preset_for(*preset);
  }
  std::int64_t window = c.options.security.violation_window.ns / 1'000'000'000;
  s.integer("violation_window_s", window);
  if (window < 60 || window > std::int64_t{7} * 86'400)
    errors.push_back(path + ": security.violation_window_s must be 60..604800");
  c.options.security.violation_window = Duration::from_seconds(window);
  std::int64_t interval = c.options.security.config_check_interval.count();
  s.integer("config_check_interval_ms", interval);
  if (interval < 0 || interval > 60'000)
    errors.push_back(path + ": security.config_check_interval_ms must be 0..60000");
  c.options.config_check_interval = std::chrono::milliseconds(interval);
  std::int64_t approvals = 1;
  s.integer("config_approvals", approvals);
  if (approvals < 1 || approvals > 10) errors.push_back(path + ": security.config_approvals must be 1..10");
  s.boolean("flatten_on_lockdown", c.options.flatten_on_lockdown);
  std::string notional;
  s.text("multisig_notional", notional);
  if (!notional.empty()) {
    auto m = parse_money(notional);
    if (!m.ok() || m->raw <= 0)
      errors.push_back(path + ": security.multisig_notional '" + notional + "' must be an amount > 0");
    else
      c.options.multisig.threshold = *m;
  }
  s.integer("multisig_required", c.options.multisig.required);
  if (c.options.multisig.required < 1 || c.options.multisig.required > 10)
    errors.push_back(path + ": security.multisig_required must be 1..10");
  std::int64_t timeout = c.options.multisig.timeout.ns / 1'000'000'000;
  s.integer("multisig_timeout_s", timeout);
  if (timeout < 1 || timeout > std::int64_t{7} * 86'400)
    errors.push_back(path + ": security.multisig_timeout_s must be 1..604800");
  c.options.multisig.timeout = Duration::from_seconds(timeout);
  std::size_t operators = 0;
  if (const toml::table* ops = s.table("operators")) {
    operators = ops->size();
    for (const auto& [name, node] : *ops) {
      const std::string key = "security.operators." + std::string(name.str());
      const auto* token = node.as_string();
      if (!security::check_operator_name(name.str())) {
        errors.push_back(s.where(node) + key + ": operator names are letters, digits, _ . -");
      } else if (token == nullptr || !security::parse_public_key_token(token->get())) {
        errors.push_back(s.where(node) + key + " must be \"ed25519:<64 hex digits>\" (cst operator keygen prints it)");
      }
      s.record("operators." + std::string(name.str()), node);
    }
  }
  if (c.options.multisig.threshold.raw > 0 && static_cast<std::size_t>(c.options.multisig.required) > operators) {
    errors.push_back(path + ": security.multisig_required is " + std::to_string(c.options.multisig.required) +
                     " but only " + std::to_string(operators) + " operators are configured");
  }
}

// "22-6" → from 22 to 6 (wrapping midnight); "0-24" → always.
bool parse_hours(const std::string& text, int& from, int& to) {
  const auto dash = text.find('-');
  if (dash == std::string::npos) return false;
  const auto num = [](std::string_view s, int& out) {
    return !s.empty() && std::from_chars(s.data(), s.data() + s.size(), out).ptr == s.data() + s.size();
  };
  return num(std::string_view(text).substr(0, dash), from) && num(std::string_view(text).substr(dash + 1), to) &&
         from >= 0 && from <= 24 && to >= 0 && to <= 24;
}

void read_keys(const toml::table& root, PaperConfig& c, const std::string& path, std::vector<std::string>& errors) {
  Section s(root, "keys", path, errors, c.values);
  s.text("source", c.key_source);
  if (c.key_source != "none" && c.key_source != "vault" && c.key_source != "env")
    errors.push_back(path + ": keys.source must be \"none\", \"vault\" or \"env\", not '" + c.key_source + "'");
  s.path("vault", c.vault_path);
  if (c.key_source == "vault" && c.vault_path.empty())
    errors.push_back(path + ": keys.vault is required with source \"vault\"");
  s.text("venue", c.key_venue);
  if (Status v = security::check_venue_name(c.key_venue); !v)
    errors.push_back(path + ": keys.venue: " + v.error().message);
  std::string hours = "0-24";
  s.text("allowed_hours", hours);
  if (!parse_hours(hours, c.key_policy.allowed_from_hour, c.key_policy.allowed_to_hour))
    errors.push_back(path + ": keys.allowed_hours must be \"FROM-TO\" in UTC hours 0..24, not '" + hours + "'");
  s.real("rate_factor", c.key_policy.rate_factor);
  if (!(c.key_policy.rate_factor >= 1.0)) errors.push_back(path + ": keys.rate_factor must be >= 1");
  // The paper venue's whole API; anything else signed with the key is an anomaly.
  c.key_policy.allowed_endpoints = {"order.new",   "order.cancel", "order.query",
                                    "orders.open", "fills",        "account.balances"};
}

}  // namespace

Result<PaperConfig> load_paper_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kNotFound, "config file '" + path + "' cannot be read");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return parse_paper_config(bytes.str(), path);
}

Result<PaperConfig> parse_paper_config(const std::string& text, const std::string& path) {
  toml::table root;
  try {
    // Debian builds toml++ with exceptions: a syntax error is thrown, with its position.
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return make_error(ErrorCode::kParse, path + ":" + std::to_string(e.source().begin.line) + ":" +
                                             std::to_string(e.source().begin.column) + ": " +
                                             std::string(e.description()));
  }
  PaperConfig c;
  c.hash = config::hash_config_text(text);
  c.options.config_hash = c.hash;
  c.options.config_path = path;
  std::vector<std::string> errors;
  static const std::set<std::string> kSections = {"account", "data",  "strategy", "risk",
                                                  "venue",   "paper", "security", "keys"};
  for (const auto& [key, node] : root)
    if (!kSections.count(std::string(key.str())))
      errors.push_back(path + ":" + std::to_string(node.source().begin.line) + ": unknown section '" +
                       std::string(key.str()) + "'");
  {
    Section s(root, "account", path, errors, c.values);
    s.text("cash", c.run.cash);
    s.path("state", c.options.state_path);
    s.path("journal", c.options.journal_path);
  }
  {
    Section s(root, "data", path, errors, c.values);
    s.path("file", c.run.data_file);
    s.text("format", c.run.format);
    s.text("symbol", c.run.symbol);
    std::int64_t seed = -1;
    s.integer("synthetic", seed);
    if (seed >= 0) c.run.synthetic_seed = static_cast<std::uint64_t>(seed);
    s.integer("bars", c.run.synthetic_bars);
  }
  {
    Section s(root, "strategy", path, errors, c.values);
    s.text("name", c.run.strategy);
    s.text("size", c.run.size);
    if (const toml::table* params = s.table("params")) {
      for (const auto& [key, node] : *params) {
        std::string value;
        if (const auto* v = node.as_string())
          value = v->get();
        else if (const auto* i = node.as_integer())
          value = std::to_string(i->get());
        else
          errors.push_back(s.where(node) + "strategy.params." + std::string(key.str()) +
                           " must be a string or integer");
        c.run.params.push_back(std::string(key.str()) + "=" + value);
        s.record("params." + std::string(key.str()), node);
      }
    }
  }
  {
    Section s(root, "risk", path, errors, c.values);
    s.text("profile", c.run.risk_profile);
    read_risk_limits(s, c, path, errors);
  }
  read_security(root, c, path, errors);
  read_keys(root, c, path, errors);
  {
    Section s(root, "venue", path, errors, c.values);
    s.path("file", c.options.venue_path);
    s.text("commission_bps", c.run.commission_bps);
    s.text("maker_bps", c.run.maker_bps);
    s.text("taker_bps", c.run.taker_bps);
    s.boolean("allow_short", c.run.allow_short);
    s.integer("slippage_bps", c.run.slippage_bps);
    s.integer("spread_bps", c.run.spread_bps);
    s.real("partial_probability", c.run.partial_probability);
    s.real("partial_ratio", c.run.partial_ratio);
    s.integer("latency_ms", c.run.latency_ms);
    s.integer("seed", c.run.fill_seed);
    s.boolean("cancel_on_disconnect", c.options.faults.cancel_on_disconnect);
  }
  {
    Section s(root, "paper", path, errors, c.values);
    s.real("speed", c.options.speed);
    std::int64_t ms = c.options.reconcile_interval.count();
    s.integer("reconcile_interval_ms", ms);
    c.options.reconcile_interval = std::chrono::milliseconds(ms);
    std::string tolerance;
    s.text("balance_tolerance", tolerance);
    if (!tolerance.empty()) {
      auto t = parse_money(tolerance);
      if (!t.ok() || t->raw < 0)
        errors.push_back(path + ": paper.balance_tolerance '" + tolerance + "' must be an amount >= 0");
      else
        c.options.balance_tolerance = *t;
    }
    s.integer("warm_up_bars", c.options.warm_up_bars);
    s.integer("retry_attempts", c.options.retry.max_retries);
    std::int64_t backoff = c.options.retry.backoff.count();
    s.integer("retry_backoff_ms", backoff);
    c.options.retry.backoff = std::chrono::milliseconds(backoff);
    if (c.options.retry.max_retries < 0 || c.options.retry.max_retries > 10)
      errors.push_back(path + ": paper.retry_attempts must be 0..10");
    if (backoff < 0) errors.push_back(path + ": paper.retry_backoff_ms must be >= 0");
    std::string unknown = "cancel";
    s.text("unknown_orders", unknown);
    if (unknown == "adopt")
      c.options.unknown_orders = UnknownOrderPolicy::kAdopt;
    else if (unknown != "cancel")
      errors.push_back(path + ": paper.unknown_orders must be \"cancel\" or \"adopt\", not '" + unknown + "'");
  }
  if (c.options.speed < 0) errors.push_back(path + ": paper.speed must be >= 0 (0: as fast as possible)");
  if (c.options.reconcile_interval.count() <= 0)
    errors.push_back(path + ": paper.reconcile_interval_ms must be positive");
  if (c.options.state_path.empty()) errors.push_back(path + ": account.state (the state file) is required");
  if (c.options.journal_path.empty()) errors.push_back(path + ": account.journal (the journal file) is required");
  if (c.options.venue_path.empty()) errors.push_back(path + ": venue.file (the paper venue's file) is required");
  if (c.run.strategy.empty()) errors.push_back(path + ": strategy.name is required");
  c.options.config_values = c.values;
  if (!errors.empty()) {
    std::string all;
    for (const auto& e : errors) all += (all.empty() ? "" : "\n") + e;
    return make_error(ErrorCode::kInvalidArgument, all);
  }
  return c;
}

}  // namespace cst::cli
