// cst paper --config FILE: paper trading with durable state and crash recovery.
// cst reconcile --once --config FILE: recover, compare with the venue once, report, stop.
#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "cst/config/config_file.hpp"
#include "cst/engine/crash_point.hpp"
#include "cst/security/env_credentials.hpp"
#include "paper_config.hpp"
#include "vault_access.hpp"

namespace cst::cli {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void request_stop(int) { g_stop.store(true); }

// Ctrl-C / SIGTERM: finish the bar, store and journal everything, close. (A kill -9 is fine
// too: the next start recovers.)
void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = request_stop;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

struct PaperCli {
  std::string config;
  int passphrase_fd = -1;
  std::uint64_t max_bars = 0;
  double speed = -1;
  std::uint64_t crash_at = 0;
  bool quiet = false;
  bool once = false;
};

// The API key material a run signs with; it must outlive the run (secrets in locked memory).
struct KeyHolder {
  std::optional<security::KeyVault> vault;
  std::optional<security::EnvCredentials> env;
};

// [keys] source: opens the vault (passphrase from --passphrase-fd, CST_VAULT_PASSPHRASE or the
// terminal) or takes CST_<VENUE>_API_KEY/SECRET from the environment.
Status attach_keys(const PaperCli& cli, PaperConfig& config, KeyHolder& holder) {
  if (config.key_source == "none") return Status::Ok();
  PaperOptions::KeyAccess access;
  access.venue = config.key_venue;
  access.policy = config.key_policy;
  if (config.key_source == "vault") {
    VaultArgs args;
    args.vault = config.vault_path;
    args.passphrase_fd = cli.passphrase_fd;
    auto vault = open_vault(args);
    if (!vault) return vault.error();
    holder.vault.emplace(std::move(*vault));
    for (const auto& k : holder.vault->keys()) access.keys.push_back(k.info);
    access.vault = &*holder.vault;
  } else {
    auto env = security::take_env_credentials(config.key_venue);
    if (!env) return env.error();
    if (!env->has_value()) {
      return make_error(ErrorCode::kInvalidArgument,
                        "keys.source is \"env\" but " + security::env_variable(config.key_venue, "KEY") + " and " +
                            security::env_variable(config.key_venue, "SECRET") + " are not set");
    }
    holder.env.emplace(std::move(**env));
    // The secret store that set them rotates environment keys; they never expire here.
    security::KeyInfo info;
    info.venue = config.key_venue;
    info.scopes = holder.env->scopes;
    info.expires = Timestamp{INT64_MAX};
    access.keys.push_back(info);
  }
  config.options.keys = std::move(access);
  return Status::Ok();
}

// Loads the configuration and prepares the same run a backtest of it would make.
Result<std::pair<PaperConfig, BacktestSetup>> prepare(const PaperCli& cli, KeyHolder& keys) {
  auto config = load_paper_config(cli.config);
  if (!config.ok()) return config.error();
  auto approvals = config::load_config_approvals(cli.config);
  if (!approvals.ok()) return approvals.error();
  config->options.config_approvals = std::move(*approvals);
  if (cli.speed >= 0) config->options.speed = cli.speed;
  config->options.max_bars = cli.max_bars;
  if (Status k = attach_keys(cli, *config, keys); !k) return k.error();
  auto setup = prepare_backtest(config->run);
  if (!setup.ok()) return make_error(setup.error().code, cli.config + ": " + setup.error().message);
  return std::make_pair(std::move(*config), std::move(*setup));
}

}  // namespace

Runner add_paper_command(CLI::App& app) {
  auto cli = std::make_shared<PaperCli>();
  auto* paper = app.add_subcommand(
      "paper",
      "Paper trading on a wall-clock paced replay against a paper venue with its own persistent book.\n"
      "State (orders, fills, positions, kill/lockdown) is durable: kill the process at any time and\n"
      "start it again; it recovers before trading.\nExample: cst paper --config examples/paper.toml");
  paper->add_option("--config", cli->config, "configuration file (TOML)")->required();
  paper->add_option("--max-bars", cli->max_bars, "stop after this many bars (0: until the data ends)");
  paper->add_option("--speed", cli->speed, "replay speed against the wall clock, overrides the config (0: unpaced)");
  paper->add_option("--crash-at", cli->crash_at, "drill: SIGKILL itself at the Nth crash point (crash tests)");
  paper->add_flag("--quiet", cli->quiet, "print only the summary");
  paper->add_option("--passphrase-fd", cli->passphrase_fd,
                    "with [keys] source = \"vault\": read the vault passphrase from this descriptor "
                    "(else CST_VAULT_PASSPHRASE, else the terminal)");

  auto rec = std::make_shared<PaperCli>();
  auto* reconcile = app.add_subcommand(
      "reconcile",
      "Recover an account's state and compare it with the venue once: missing fills, unknown orders,\n"
      "balances. Example: cst reconcile --once --config examples/paper.toml");
  reconcile->add_option("--config", rec->config, "configuration file (TOML)")->required();
  reconcile->add_flag("--once", rec->once, "run one reconciliation and stop (the only mode)")->required();

  return [paper, cli, reconcile, rec]() -> int {
    if (paper->parsed()) {
      KeyHolder keys;
      auto prepared = prepare(*cli, keys);
      if (!prepared.ok()) {
        print_error(prepared.error().message);
        return 2;
      }
      auto& [config, setup] = *prepared;
      if (!cli->quiet)
        config.options.progress = [](const std::string& line) { std::cout << line << "\n" << std::flush; };
      config.options.alert = [](const std::string& line) { std::cerr << line << "\n" << std::flush; };
      crash_point::arm(cli->crash_at);
      install_stop_handlers();
      config.options.stop = &g_stop;
      auto run = run_paper(setup.config, setup.series.bars, *setup.strategy, config.options);
      if (!run.ok()) {
        print_error(run.error().message);
        return run.error().code == ErrorCode::kLocked || run.error().code == ErrorCode::kCorruption ||
                       run.error().code == ErrorCode::kUnsupported || run.error().code == ErrorCode::kInvalidArgument
                   ? 2
                   : 1;
      }
      std::cout << "paper: boot " << run->boot << ", " << run->bars << " bars, " << run->orders_sent << " orders, "
                << run->fills << " fills, equity " << to_string(run->equity) << ", state "
                << to_string(run->trading_state) << (run->safe_mode ? " (safe mode)" : "")
                << (run->data_exhausted ? ", data exhausted" : "") << "\njournal head " << run->journal_head_hash
                << "\n";
      return 0;
    }
    if (reconcile->parsed()) {
      KeyHolder keys;
      auto prepared = prepare(*rec, keys);
      if (!prepared.ok()) {
        print_error(prepared.error().message);
        return 2;
      }
      auto& [config, setup] = *prepared;
      auto out = reconcile_paper_once(setup.config, setup.series.bars, *setup.strategy, config.options);
      if (!out.ok()) {
        print_error(out.error().message);
        return 2;
      }
      std::cout << out->to_json() << "\n";
      return out->balance_mismatch ? 1 : 0;
    }
    return -1;
  };
}

}  // namespace cst::cli
