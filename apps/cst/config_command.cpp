// cst config check FILE: every problem of a configuration, each key's level, and what the next
// start would do with the changes against the configuration in force (from the account's state).
// cst config approve FILE --key K: an operator's Ed25519 approval of the file as it is now.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "cst/config/config_file.hpp"
#include "cst/core/atomic_file.hpp"
#include "cst/risk/risk_limits.hpp"
#include "cst/state/state_store.hpp"
#include "paper_config.hpp"
#include "text_table.hpp"

namespace cst::cli {
namespace {

struct ConfigArgs {
  std::string file;
  std::string key_file;
};

std::string show(const std::optional<std::string>& v) { return v ? "'" + *v + "'" : "(unset)"; }

void print_levels(const PaperConfig& c) {
  std::vector<std::vector<std::string>> rows{{"KEY", "LEVEL", "VALUE"}};
  for (const auto& [key, value] : c.values) {
    rows.push_back(
        {key, std::string(to_string(config::level_of(key).value_or(config::ConfigLevel::kRestricted))), value});
  }
  std::cout << format_columns(rows);
  const RiskLimits& h = kHardCeilings;
  std::cout << "LOCKED hard ceilings (compiled in): daily loss " << h.daily_loss_bp / 100.0 << "%, drawdown "
            << h.max_drawdown_bp / 100.0 << "%, position " << h.position_bp / 100.0 << "%, exposure "
            << h.exposure_bp / 100.0 << "%, leverage " << h.leverage_x100 / 100.0 << "x, emergency loss "
            << h.emergency_loss_bp / 100.0 << "%\n";
}

// What the next start would decide; returns false if it would refuse.
Result<bool> print_review(const PaperConfig& c, const std::vector<config::ConfigApproval>& approvals) {
  std::optional<config::ConfigValues> baseline;
  const std::string& state = c.options.state_path;
  if (std::filesystem::exists(state)) {
    auto store = StateStore::open(state, StateOpenOptions{false, true});
    if (!store.ok()) return store.error();
    auto loaded = (*store)->load();
    if (!loaded.ok()) return loaded.error();
    if (!loaded->config_values.empty()) {
      auto b = config::decode_config_values(loaded->config_values);
      if (!b.ok()) return make_error(ErrorCode::kCorruption, "state '" + state + "': " + b.error().message);
      baseline = std::move(*b);
    }
  }
  const config::ConfigReview r = config::review_config(baseline, c.values, c.hash, approvals);
  if (r.first_use) {
    std::cout << "no configuration in force yet for " << state << ": this file would become the baseline\n";
  } else if (r.changes.empty()) {
    std::cout << "unchanged from the configuration in force\n";
  }
  if (!r.first_use) {
    for (const auto& ch : r.changes) {
      std::cout << "changed " << to_string(ch.level) << " " << ch.key << ": " << show(ch.before) << " -> "
                << show(ch.after) << "\n";
    }
  }
  for (const auto& name : r.approved_by) std::cout << "approved by " << name << "\n";
  for (const auto& why : r.ignored) std::cout << "approval ignored: " << why << "\n";
  if (r.unprotected) {
    std::cout << "warning: RESTRICTED settings changed but the configuration in force lists no [security.operators];"
                 " nothing protects them\n";
  }
  const auto ops = config::operators_of(c.values);
  if (ops.ok() && ops->empty()) {
    std::cout << "warning: no [security.operators]: RESTRICTED settings cannot be protected, and `cst resume` after a"
                 " lockdown needs an operator key\n";
  }
  if (!r.accepted()) {
    std::cout << "REFUSED at start (and the account locked down): RESTRICTED ";
    for (std::size_t i = 0; i < r.unapproved.size(); ++i) std::cout << (i ? ", " : "") << r.unapproved[i];
    std::cout << " changed with " << r.approved_by.size() << " of " << r.approvals_needed
              << " operator approval(s); run: cst config approve " << c.options.config_path << " --key OPERATOR.key\n";
    return false;
  }
  std::cout << "OK: config hash " << c.hash << "\n";
  return true;
}

int check(const ConfigArgs& a) {
  auto c = load_paper_config(a.file);
  if (!c.ok()) return fail(c.error(), 2);
  auto approvals = config::load_config_approvals(a.file);
  if (!approvals.ok()) return fail(approvals.error(), 2);
  print_levels(*c);
  auto accepted = print_review(*c, *approvals);
  if (!accepted.ok()) return fail(accepted.error(), 2);
  return *accepted ? 0 : 1;
}

int approve(const ConfigArgs& a) {
  // Only a file that loads can be approved: an approval of a broken file would be a trap.
  auto c = load_paper_config(a.file);
  if (!c.ok()) return fail(c.error(), 2);
  auto signer = security::OperatorSigner::load(a.key_file);
  if (!signer.ok()) return fail(signer.error(), 2);
  auto existing = config::load_config_approvals(a.file);
  if (!existing.ok()) return fail(existing.error(), 2);
  std::string text = "# cst config approvals: operators' Ed25519 signatures over the SHA-256 of " +
                     std::filesystem::path(a.file).filename().string() + "\n";
  for (const auto& e : *existing) {
    // Approvals of older versions are dropped: they can never count again.
    if (e.config_hash == c->hash && e.operator_name != signer->public_key().name)
      text += config::format_config_approval(e);
  }
  text += config::format_config_approval(config::sign_config(*signer, c->hash));
  if (Status s = write_file_atomically(config::approvals_path(a.file), text); !s) {
    print_error(s.error().message);
    return 1;
  }
  std::cout << signer->public_key().name << " approved " << a.file << " (sha256 " << c->hash << ") in "
            << config::approvals_path(a.file) << "\n";
  return 0;
}

}  // namespace

Runner add_config_command(CLI::App& app) {
  auto args = std::make_shared<ConfigArgs>();
  auto* cfg = app.add_subcommand("config",
                                 "Configuration levels: check a file, approve RESTRICTED changes.\n"
                                 "Example: cst config check examples/paper.toml");
  cfg->require_subcommand(1);
  auto* check_cmd = cfg->add_subcommand("check",
                                        "Explain every problem of a configuration file, each key's level\n"
                                        "(LOCKED/RESTRICTED/MONITORED/FLEXIBLE), and what the next start would\n"
                                        "do with its changes. Exit 0 ok, 1 would be refused, 2 invalid.\n"
                                        "Example: cst config check examples/paper.toml");
  check_cmd->add_option("file", args->file, "configuration file (TOML)")->required();
  auto* approve_cmd = cfg->add_subcommand("approve",
                                          "Sign the file as it is now with an operator key; the signature goes\n"
                                          "to FILE.approvals. Example: cst config approve paper.toml --key alice.key");
  approve_cmd->add_option("file", args->file, "configuration file (TOML)")->required();
  approve_cmd->add_option("--key", args->key_file, "operator secret key file (cst operator keygen)")->required();
  return [=]() -> int {
    if (check_cmd->parsed()) return check(*args);
    if (approve_cmd->parsed()) return approve(*args);
    return -1;
  };
}

}  // namespace cst::cli
