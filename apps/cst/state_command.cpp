// cst state show, cst kill, cst resume: operator views and actions on an account's state file.
// They work whether or not a trader is running: a running trader (which holds the state's lock)
// applies kill/resume at its next bar and journals them; otherwise the state is changed at once
// and the next trader journals the action when it starts.
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "wall_clock.hpp"
#include "cst/audit/json_writer.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/state/state_store.hpp"
#include "cst/state/trader_lock.hpp"

namespace cst::cli {
namespace {

int show(const std::string& path, bool json) {
  auto store = StateStore::open(path, StateOpenOptions{false, true});
  if (!store.ok()) {
    print_error(store.error().message);
    return 2;
  }
  auto loaded = (*store)->load();
  auto orders = (*store)->orders();
  auto fills = (*store)->fills();
  if (!loaded.ok() || !orders.ok() || !fills.ok()) {
    print_error(!loaded.ok() ? loaded.error().message : !orders.ok() ? orders.error().message : fills.error().message);
    return 2;
  }
  const LoadedState& s = *loaded;
  const PortfolioSnapshot p = s.portfolio.value_or(PortfolioSnapshot{});
  Qty position;
  for (const auto& h : p.positions) position = h.position.qty;
  const bool running = TraderLock::held_by_other(path);
  if (json) {
    std::string out;
    audit::JsonWriter w(&out);
    w.begin_object();
    w.key("instrument").string(s.setup.instrument);
    w.key("boot").unsigned_integer(s.boot);
    w.key("trading_state").string(to_string(s.controls.trading_state));
    w.key("reason").string(s.controls.reason);
    w.key("operator").string(s.controls.operator_name);
    w.key("safe_mode").boolean(s.controls.safe_mode);
    w.key("safe_reason").string(s.controls.safe_reason);
    w.key("cash").string(to_string(p.cash));
    w.key("position_raw").integer(position.raw);
    if (s.setup.qty_decimals >= 0) w.key("position").string(format_decimal(position.raw, s.setup.qty_decimals));
    w.key("orders").unsigned_integer(orders->size());
    w.key("open_orders").unsigned_integer(s.open_orders.size());
    w.key("fills").unsigned_integer(fills->size());
    w.key("config_hash").string(s.config_hash);
    w.key("trader_running").boolean(running);
    w.end_object();
    std::cout << out << "\n";
    return 0;
  }
  std::cout << "state " << path << "\n  account      " << s.setup.account << " (" << s.setup.instrument << ")"
            << "\n  trading      " << to_string(s.controls.trading_state)
            << (s.controls.reason.empty() ? "" : " - " + s.controls.reason)
            << (s.controls.operator_name.empty() ? "" : " (by " + s.controls.operator_name + ")")
            << "\n  safe mode    " << (s.controls.safe_mode ? "ON - " + s.controls.safe_reason : "off")
            << "\n  cash         " << to_string(p.cash) << "\n  position     "
            << (s.setup.qty_decimals >= 0 ? format_decimal(position.raw, s.setup.qty_decimals)
                                          : std::to_string(position.raw) + " (raw)")
            << "\n  orders       "
            << orders->size() << " (" << s.open_orders.size() << " working)\n  fills        " << fills->size()
            << "\n  boots        " << s.boot << "\n  trader       " << (running ? "running" : "not running") << "\n";
  return 0;
}

int act(const std::string& path, OperatorAction action, const std::string& reason, const std::string& operator_name) {
  if (reason.empty()) {
    print_error("--reason must not be empty: the journal must say why");
    return 2;
  }
  auto store = StateStore::open(path, StateOpenOptions{});
  if (!store.ok()) {
    print_error(store.error().message);
    return 2;
  }
  Status s = (*store)->add_operator_action(action, reason, operator_name, wall_now());
  if (!s.ok()) {
    print_error(s.error().message);
    return 1;
  }
  if (TraderLock::held_by_other(path)) {
    std::cout << to_string(action) << " sent to the running trader; it applies and journals it at its next bar\n";
    return 0;
  }
  auto loaded = (*store)->load();
  if (!loaded.ok()) {
    print_error(loaded.error().message);
    return 1;
  }
  Controls c = loaded->controls;
  if (action == OperatorAction::kKill) {
    if (c.trading_state != TradingState::kLockdown) c.trading_state = TradingState::kKilled;
  } else {
    c.trading_state = TradingState::kActive;
    c.safe_mode = false;
    c.safe_reason.clear();
  }
  c.reason = reason;
  c.operator_name = operator_name;
  c.since = wall_now();
  s = (*store)->save_controls(c);
  if (!s.ok()) {
    print_error(s.error().message);
    return 1;
  }
  std::cout << to_string(action) << " recorded: trading " << to_string(c.trading_state)
            << "; the next trader start journals it\n";
  return 0;
}

}  // namespace

Runner add_state_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto* state = app.add_subcommand("state", "Account state tools.\nExample: cst state show --state paper-state.db");
  state->require_subcommand(1);
  auto* show_cmd = state->add_subcommand("show", "Print an account's durable state (read-only).");
  show_cmd->add_option("--state", *path, "state file")->required();
  show_cmd->add_flag("--json", *json, "one JSON object");

  struct ActArgs {
    std::string state, reason, operator_name;
  };
  auto kill_args = std::make_shared<ActArgs>();
  auto* kill = app.add_subcommand("kill", "Kill switch: block every risk-increasing order until `cst resume`.\n"
                                          "Example: cst kill --state paper-state.db --reason \"manual stop\"");
  kill->add_option("--state", kill_args->state, "state file")->required();
  kill->add_option("--reason", kill_args->reason, "why (journaled)")->required();
  kill->add_option("--operator", kill_args->operator_name, "who")->default_val("operator");
  auto resume_args = std::make_shared<ActArgs>();
  auto* resume = app.add_subcommand("resume", "Clear a kill switch, lockdown or safe mode (journaled).\n"
                                              "Example: cst resume --state paper-state.db --reason \"checked\" --operator alice");
  resume->add_option("--state", resume_args->state, "state file")->required();
  resume->add_option("--reason", resume_args->reason, "why (journaled)")->required();
  resume->add_option("--operator", resume_args->operator_name, "who")->required();

  return [=]() -> int {
    if (show_cmd->parsed()) return show(*path, *json);
    if (kill->parsed()) return act(kill_args->state, OperatorAction::kKill, kill_args->reason, kill_args->operator_name);
    if (resume->parsed())
      return act(resume_args->state, OperatorAction::kResume, resume_args->reason, resume_args->operator_name);
    return -1;
  };
}

}  // namespace cst::cli
