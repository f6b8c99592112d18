#include "paper_config.hpp"

#include <openssl/evp.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>
#include <utility>

namespace cst::cli {
namespace {

std::string sha256_hex(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_sha256(), nullptr) != 1) return {};
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

// Reads one table's keys, refusing any key it was not asked for.
class Section {
 public:
  Section(const toml::table& root, std::string name, const std::string& file, std::vector<std::string>& errors)
      : name_(std::move(name)), file_(file), errors_(errors) {
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
      if (const auto* v = n->as_string()) out = v->get();
      else if (n->is_integer() || n->is_floating_point()) out = number_text(*n);
      else bad(*n, key, "a string");
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
      if (const auto* d = n->as_floating_point()) out = d->get();
      else if (const auto* i = n->as_integer()) out = static_cast<double>(i->get());
      else bad(*n, key, "a number");
    }
  }
  void boolean(const char* key, bool& out) {
    if (const toml::node* n = get(key)) {
      if (const auto* v = n->as_boolean()) out = v->get();
      else bad(*n, key, "true or false");
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
  std::string where(const toml::node& n) const {
    return file_ + ":" + std::to_string(n.source().begin.line) + ": ";
  }

 private:
  const toml::node* get(const char* key) {
    if (table_ == nullptr) return nullptr;
    used_.insert(key);
    return table_->get(key);
  }
  void bad(const toml::node& n, const char* key, const char* want) {
    errors_.push_back(where(n) + name_ + "." + key + " must be " + want);
  }
  static std::string number_text(const toml::node& n) {
    // Integers as written; floats as the shortest text that reads back as the same double (a
    // stream's default 6 digits would turn 100000.125 into 100000).
    char buf[64];
    std::to_chars_result r{buf, {}};
    if (const auto* i = n.as_integer()) r = std::to_chars(buf, buf + sizeof buf, i->get());
    else if (const auto* d = n.as_floating_point()) r = std::to_chars(buf, buf + sizeof buf, d->get());
    return std::string(buf, r.ptr);
  }

  std::string name_;
  const std::string& file_;
  std::vector<std::string>& errors_;
  const toml::table* table_ = nullptr;
  std::set<std::string> used_;
};

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
                                             std::to_string(e.source().begin.column) + ": " + std::string(e.description()));
  }
  PaperConfig c;
  c.hash = sha256_hex(text);
  c.options.config_hash = c.hash;
  std::vector<std::string> errors;
  static const std::set<std::string> kSections = {"account", "data", "strategy", "risk", "venue", "paper"};
  for (const auto& [key, node] : root)
    if (!kSections.count(std::string(key.str())))
      errors.push_back(path + ":" + std::to_string(node.source().begin.line) + ": unknown section '" +
                       std::string(key.str()) + "'");
  {
    Section s(root, "account", path, errors);
    s.text("cash", c.run.cash);
    s.path("state", c.options.state_path);
    s.path("journal", c.options.journal_path);
  }
  {
    Section s(root, "data", path, errors);
    s.path("file", c.run.data_file);
    s.text("format", c.run.format);
    s.text("symbol", c.run.symbol);
    std::int64_t seed = -1;
    s.integer("synthetic", seed);
    if (seed >= 0) c.run.synthetic_seed = static_cast<std::uint64_t>(seed);
    s.integer("bars", c.run.synthetic_bars);
  }
  {
    Section s(root, "strategy", path, errors);
    s.text("name", c.run.strategy);
    s.text("size", c.run.size);
    if (const toml::table* params = s.table("params")) {
      for (const auto& [key, node] : *params) {
        std::string value;
        if (const auto* v = node.as_string()) value = v->get();
        else if (const auto* i = node.as_integer()) value = std::to_string(i->get());
        else errors.push_back(s.where(node) + "strategy.params." + std::string(key.str()) + " must be a string or integer");
        c.run.params.push_back(std::string(key.str()) + "=" + value);
      }
    }
  }
  {
    Section s(root, "risk", path, errors);
    s.text("profile", c.run.risk_profile);
  }
  {
    Section s(root, "venue", path, errors);
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
    Section s(root, "paper", path, errors);
    s.real("speed", c.options.speed);
    std::int64_t ms = c.options.reconcile_interval.count();
    s.integer("reconcile_interval_ms", ms);
    c.options.reconcile_interval = std::chrono::milliseconds(ms);
    std::string tolerance;
    s.text("balance_tolerance", tolerance);
    if (!tolerance.empty()) {
      auto t = parse_money(tolerance);
      if (!t.ok() || t->raw < 0) errors.push_back(path + ": paper.balance_tolerance '" + tolerance + "' must be an amount >= 0");
      else c.options.balance_tolerance = *t;
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
    if (unknown == "adopt") c.options.unknown_orders = UnknownOrderPolicy::kAdopt;
    else if (unknown != "cancel") errors.push_back(path + ": paper.unknown_orders must be \"cancel\" or \"adopt\", not '" + unknown + "'");
  }
  if (c.options.speed < 0) errors.push_back(path + ": paper.speed must be >= 0 (0: as fast as possible)");
  if (c.options.reconcile_interval.count() <= 0) errors.push_back(path + ": paper.reconcile_interval_ms must be positive");
  if (c.options.state_path.empty()) errors.push_back(path + ": account.state (the state file) is required");
  if (c.options.journal_path.empty()) errors.push_back(path + ": account.journal (the journal file) is required");
  if (c.options.venue_path.empty()) errors.push_back(path + ": venue.file (the paper venue's file) is required");
  if (c.run.strategy.empty()) errors.push_back(path + ": strategy.name is required");
  if (!errors.empty()) {
    std::string all;
    for (const auto& e : errors) all += (all.empty() ? "" : "\n") + e;
    return make_error(ErrorCode::kInvalidArgument, all);
  }
  return c;
}

}  // namespace cst::cli
