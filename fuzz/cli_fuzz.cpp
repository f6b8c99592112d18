// Fuzzes the cst command line: arbitrary argv vectors through the very CLI11 app `cst` builds
// (build_cli, apps/cst/cli_app.cpp), parsed and never run: no runner is called, so no command
// touches a file, a terminal or the network. The input is split into arguments at NUL or
// newline bytes (one trailing separator is dropped); argv[0] is "cst". Properties:
//   1. parsing never crashes and never throws anything but CLI::ParseError; a parse error
//      formats its message (help and version included) through app.exit(), whose exit code
//      is 0 exactly for --help and --version;
//   2. an accepted command line chose exactly one command, and exactly one subcommand where
//      one is required; every required option of a chosen (sub)command was given; --data and
//      --synthetic were not both given;
//   3. every value a CLI11 validator let through holds: the Range checks (--bars,
//      --partial-prob, --partial-ratio, --latency-ms, --lifetime-hours) and the IsMember sets
//      (--format, --fill, --risk-profile, --kdf); and every --risk-profile the CLI accepts is
//      one parse_risk_profile knows;
//   4. our own validators of option text never crash and name what they refuse: Sizing::parse
//      (--size), parse_money (--cash), parse_decimal at 2 decimals (--commission-bps and the
//      maker/taker fees), make_strategy (--strategy and the --param pairs), parse_scopes and
//      check_venue_name (keys add), parse_time_bound (--from/--to, whose accepted times format
//      and read back to themselves).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli_app.hpp"
#include "commands.hpp"
#include "cst/core/fixed_point.hpp"
#include "cst/risk/risk_limits.hpp"
#include "cst/security/key_scopes.hpp"
#include "cst/strategy/sizing.hpp"
#include "cst/strategy/strategy_registry.hpp"

namespace {

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "cli_fuzz: %s\n", why.c_str());
  std::abort();
}

std::vector<std::string> split_args(std::string_view in) {
  if (!in.empty() && (in.back() == '\n' || in.back() == '\0')) in.remove_suffix(1);
  std::vector<std::string> args{"cst"};
  if (in.empty()) return args;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= in.size(); ++i) {
    if (i == in.size() || in[i] == '\n' || in[i] == '\0') {
      args.emplace_back(in.substr(start, i - start));
      start = i + 1;
    }
  }
  return args;
}

// The parsed (sub)command at `path`, or nullptr if it was not chosen.
const CLI::App* chosen(const CLI::App& app, std::initializer_list<const char*> path) {
  const CLI::App* at = &app;
  for (const char* name : path) {
    const CLI::App* next = nullptr;
    for (const CLI::App* sub : at->get_subcommands()) {
      if (sub->get_name() == name) next = sub;
    }
    if (next == nullptr) return nullptr;
    at = next;
  }
  return at;
}

// The values given to `name` on a chosen command (empty if not given).
std::vector<std::string> given(const CLI::App* cmd, const char* name) {
  if (cmd == nullptr) return {};
  const CLI::Option* opt = cmd->get_option_no_throw(name);
  if (opt == nullptr) fail(std::string("no option ") + name + " on " + cmd->get_name());
  return opt->results();
}

// The one value of an option that takes one, converted as CLI11 converted it.
template <class T>
bool value_of(const CLI::App* cmd, const char* name, T& out) {
  if (cmd == nullptr) return false;
  const CLI::Option* opt = cmd->get_option_no_throw(name);
  if (opt == nullptr) fail(std::string("no option ") + name + " on " + cmd->get_name());
  if (opt->count() == 0) return false;
  out = opt->as<T>();
  return true;
}

// Property 2 for one chosen (sub)command and, recursively, its chosen subcommands.
void check_structure(const CLI::App& cmd) {
  const auto subs = cmd.get_subcommands();
  if (subs.size() < cmd.get_require_subcommand_min()) fail(cmd.get_name() + ": fewer subcommands than required");
  if (cmd.get_require_subcommand_max() != 0 && subs.size() > cmd.get_require_subcommand_max())
    fail(cmd.get_name() + ": more subcommands than allowed");
  for (const CLI::Option* opt : cmd.get_options()) {
    if (opt->get_required() && opt->count() == 0) fail(cmd.get_name() + ": required " + opt->get_name() + " missing");
  }
  for (const CLI::App* sub : subs) check_structure(*sub);
}

template <class T>
void check_range(const CLI::App* cmd, const char* name, T low, T high) {
  T v{};
  // Written so that NaN fails too: no comparison with NaN is true.
  if (value_of(cmd, name, v) && !(v >= low && v <= high)) fail(std::string(name) + " out of its range");
}

void check_member(const CLI::App* cmd, const char* name, std::initializer_list<std::string_view> set) {
  std::string v;
  if (!value_of(cmd, name, v)) return;
  for (std::string_view m : set) {
    if (v == m) return;
  }
  fail(std::string(name) + " '" + v + "' is not one of its set");
}

// A refusal must quote the text it refuses (or name the option), so the person sees what to fix.
void check_names(const cst::Error& e, const std::string& what) {
  if (e.message.find(what) == std::string::npos) fail("refusal '" + e.message + "' does not name '" + what + "'");
}

void check_validators(const CLI::App& app) {
  if (const CLI::App* bt = chosen(app, {"backtest"})) {
    if (!given(bt, "--data").empty() && !given(bt, "--synthetic").empty()) fail("--data with --synthetic");
    check_member(bt, "--format", {"ohlcv-csv", "binance-kline"});
    check_range<std::uint64_t>(bt, "--bars", 1, 100'000'000);
    check_member(bt, "--fill", {"next-open", "close"});
    check_member(bt, "--risk-profile", {"conservative", "moderate", "aggressive", "research"});
    check_range<double>(bt, "--partial-prob", 0.0, 1.0);
    check_range<double>(bt, "--partial-ratio", 0.0, 1.0);
    check_range<std::int64_t>(bt, "--latency-ms", 0, 86'400'000);
    std::string profile;
    if (value_of(bt, "--risk-profile", profile) && !cst::parse_risk_profile(profile))
      fail("--risk-profile '" + profile + "' accepted by the CLI but unknown to parse_risk_profile");

    std::string size_text = "10%";
    value_of(bt, "--size", size_text);
    const auto size = cst::Sizing::parse(size_text);
    if (!size.ok()) check_names(size.error(), size_text);
    std::string cash;
    if (value_of(bt, "--cash", cash)) {
      const auto m = cst::parse_money(cash);
      if (!m.ok()) check_names(m.error(), cash);
    }
    for (const char* fee : {"--commission-bps", "--maker-bps", "--taker-bps"}) {
      std::string text;
      if (value_of(bt, fee, text)) (void)cst::parse_decimal(text, 2);
    }
    std::map<std::string, std::string> params;
    bool params_ok = true;
    for (const std::string& p : given(bt, "--param")) {
      const auto eq = p.find('=');
      if (eq == std::string::npos || eq == 0 || !params.emplace(p.substr(0, eq), p.substr(eq + 1)).second)
        params_ok = false;
    }
    std::string strategy;
    if (params_ok && size.ok() && value_of(bt, "--strategy", strategy)) {
      const auto made = cst::make_strategy(strategy, params, *size);
      if (!made.ok() && made.error().message.empty()) fail("make_strategy refused without a message");
    }
  }
  if (const CLI::App* synth = chosen(app, {"data", "synth"}))
    check_range<std::uint64_t>(synth, "--bars", 1, 100'000'000);
  if (const CLI::App* init = chosen(app, {"keys", "init"}))
    check_member(init, "--kdf", {"interactive", "moderate", "sensitive"});
  for (const char* sub : {"add", "rotate"}) {
    if (const CLI::App* k = chosen(app, {"keys", sub})) check_range<std::int64_t>(k, "--lifetime-hours", 1, 24 * 365);
  }
  if (const CLI::App* add = chosen(app, {"keys", "add"})) {
    std::string scopes, venue;
    if (value_of(add, "--scopes", scopes)) {
      const auto s = cst::security::parse_scopes(scopes);
      if (s.ok() && (*s == 0 || (*s & ~cst::security::kKnownScopes) != 0)) fail("parse_scopes gave a bad mask");
    }
    if (value_of(add, "venue", venue)) {
      const cst::Status v = cst::security::check_venue_name(venue);
      if (v.ok() && (venue.empty() || venue.size() > 32)) fail("check_venue_name accepted '" + venue + "'");
    }
  }
  if (const CLI::App* compliance = chosen(app, {"report", "compliance"})) {
    for (const char* bound : {"--from", "--to"}) {
      std::string text;
      if (!value_of(compliance, bound, text)) continue;
      const auto t = cst::cli::parse_time_bound(bound, text);
      if (!t.ok()) {
        check_names(t.error(), bound);
        check_names(t.error(), "'" + text + "'");
        continue;
      }
      if (text.empty() != !t->has_value()) fail(std::string(bound) + ": empty text is exactly no bound");
      if (*t) {
        // Times are shown as ISO 8601; what is shown must read back as the same bound.
        const std::string shown = cst::format_iso8601(**t);
        const auto back = cst::cli::parse_time_bound(bound, shown);
        if (!back.ok() || !*back || **back != **t) fail(std::string(bound) + " '" + text + "' does not read back");
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::string> args = split_args(std::string_view(reinterpret_cast<const char*>(data), size));
  std::vector<char*> argv;
  std::vector<std::string> storage = args;  // CLI11 takes char**; keep the strings alive
  for (std::string& a : storage) argv.push_back(a.data());
  argv.push_back(nullptr);

  CLI::App app;
  const std::vector<cst::cli::Runner> runners = cst::cli::build_cli(app);  // never called
  try {
    app.parse(static_cast<int>(args.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    std::ostringstream out, err;
    const int code = app.exit(e, out, err);
    const bool help_or_version = dynamic_cast<const CLI::CallForHelp*>(&e) != nullptr ||
                                 dynamic_cast<const CLI::CallForAllHelp*>(&e) != nullptr ||
                                 dynamic_cast<const CLI::CallForVersion*>(&e) != nullptr;
    if ((code == 0) != help_or_version) fail(std::string("exit code ") + std::to_string(code) + " for " + e.what());
    if (out.str().empty() && err.str().empty()) fail("a parse error printed nothing");
    return 0;
  } catch (const std::exception& e) {
    fail(std::string("parse threw something other than CLI::ParseError: ") + e.what());
  }
  if (app.get_subcommands().size() != 1) fail("an accepted command line did not choose exactly one command");
  check_structure(app);
  check_validators(app);
  return 0;
}
