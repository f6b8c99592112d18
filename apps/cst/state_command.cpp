// cst state show, cst kill, cst resume: operator views and actions on an account's state file.
// They work whether or not a trader is running: a running trader (which holds the state's lock)
// applies kill/resume at its next bar and journals them; otherwise the state is changed at once
// and the next trader journals the action when it starts.
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "cst/audit/json_writer.hpp"
#include "cst/config/config_review.hpp"
#include "cst/core/hex.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/security/operator_statements.hpp"
#include "cst/state/state_store.hpp"
#include "cst/state/trader_lock.hpp"
#include "wall_clock.hpp"

namespace cst::cli {
namespace {

int show(const std::string& path, bool json) {
  auto store = StateStore::open(path, StateOpenOptions{false, true});
  if (!store.ok()) return fail(store.error(), 2);
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
            << (s.controls.operator_name.empty() ? "" : " (by " + s.controls.operator_name + ")") << "\n  safe mode    "
            << (s.controls.safe_mode ? "ON - " + s.controls.safe_reason : "off") << "\n  cash         "
            << to_string(p.cash) << "\n  position     "
            << (s.setup.qty_decimals >= 0 ? format_decimal(position.raw, s.setup.qty_decimals)
                                          : std::to_string(position.raw) + " (raw)")
            << "\n  orders       " << orders->size() << " (" << s.open_orders.size() << " working)\n  fills        "
            << fills->size() << "\n  boots        " << s.boot << "\n  trader       "
            << (running ? "running" : "not running") << "\n";
  return 0;
}

// A resume is signed with an operator's key; the signer must be an operator of the
// configuration in force (stored in the state by the last trader start).
Result<std::string> sign_resume(const StateStore& store, const LoadedState& loaded, const std::string& key_file,
                                const std::string& operator_name, const std::string& reason, Timestamp now) {
  auto signer = security::OperatorSigner::load(key_file);
  if (!signer.ok()) return signer.error();
  const std::string& name = signer->public_key().name;
  if (!operator_name.empty() && operator_name != name) {
    return make_error(ErrorCode::kInvalidArgument,
                      "--operator " + operator_name + " does not match the key file's operator " + name);
  }
  if (loaded.config_values.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "state '" + store.path() +
                                                       "' has no configuration in force with [security.operators];"
                                                       " start the trader once with operators configured");
  }
  auto values = config::decode_config_values(loaded.config_values);
  if (!values.ok()) return values.error();
  auto operators = config::operators_of(*values);
  if (!operators.ok()) return operators.error();
  std::string names;
  for (const auto& op : *operators) {
    if (op.name == name && op.key == signer->public_key().key) {
      const std::string statement =
          security::resume_statement(account_key(loaded.setup), loaded.controls.since, name, reason, now);
      return to_hex(signer->sign(security::kResumePurpose, statement));
    }
    names += (names.empty() ? "" : ", ") + op.name;
  }
  return make_error(ErrorCode::kInvalidArgument,
                    "the key of " + name + " is not an operator key of the configuration in force (operators: " +
                        (names.empty() ? "none" : names) + ")");
}

int act(const std::string& path, OperatorAction action, const std::string& reason, const std::string& operator_name,
        const std::string& key_file) {
  if (reason.empty()) {
    print_error("--reason must not be empty: the journal must say why");
    return 2;
  }
  auto store = StateStore::open(path, StateOpenOptions{});
  if (!store.ok()) return fail(store.error(), 2);
  auto loaded = (*store)->load();
  if (!loaded.ok()) return fail(loaded.error(), 1);
  // One time for the action and the controls it sets: the signature covers it.
  const Timestamp now = wall_now();
  std::string signature;
  std::string who = operator_name;
  if (action == OperatorAction::kResume) {
    auto signed_by = sign_resume(**store, *loaded, key_file, operator_name, reason, now);
    if (!signed_by.ok()) return fail(signed_by.error(), 2);
    signature = std::move(*signed_by);
    if (who.empty()) who = security::OperatorSigner::load(key_file)->public_key().name;
  }
  Status s = (*store)->add_operator_action(action, reason, who, now, signature, loaded->controls.since);
  if (!s.ok()) return fail(s.error(), 1);
  if (TraderLock::held_by_other(path)) {
    std::cout << to_string(action) << " sent to the running trader; it applies and journals it at its next bar\n";
    return 0;
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
  c.operator_name = who;
  c.since = now;
  s = (*store)->save_controls(c);
  if (!s.ok()) return fail(s.error(), 1);
  std::cout << to_string(action) << " recorded: trading " << to_string(c.trading_state)
            << "; the next trader start verifies and journals it\n";
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
    std::string state, reason, operator_name, key_file;
  };
  auto kill_args = std::make_shared<ActArgs>();
  auto* kill = app.add_subcommand("kill",
                                  "Kill switch: block every risk-increasing order until `cst resume`.\n"
                                  "Example: cst kill --state paper-state.db --reason \"manual stop\"");
  kill->add_option("--state", kill_args->state, "state file")->required();
  kill->add_option("--reason", kill_args->reason, "why (journaled)")->required();
  kill->add_option("--operator", kill_args->operator_name, "who")->default_val("operator");
  auto resume_args = std::make_shared<ActArgs>();
  auto* resume = app.add_subcommand("resume",
                                    "Clear a kill switch, lockdown or safe mode: signed with an operator key of\n"
                                    "the configuration in force, verified and journaled by the trader.\n"
                                    "Example: cst resume --state paper-state.db --reason \"checked\" --key alice.key");
  resume->add_option("--state", resume_args->state, "state file")->required();
  resume->add_option("--reason", resume_args->reason, "why (journaled)")->required();
  resume->add_option("--key", resume_args->key_file, "operator secret key file (cst operator keygen)")->required();
  resume->add_option("--operator", resume_args->operator_name, "operator name (checked against the key file)");

  return [=]() -> int {
    if (show_cmd->parsed()) return show(*path, *json);
    if (kill->parsed())
      return act(kill_args->state, OperatorAction::kKill, kill_args->reason, kill_args->operator_name, {});
    if (resume->parsed())
      return act(resume_args->state, OperatorAction::kResume, resume_args->reason, resume_args->operator_name,
                 resume_args->key_file);
    return -1;
  };
}

}  // namespace cst::cli
