#include "cli_app.hpp"

#include <string>

namespace cst::cli {

std::vector<Runner> build_cli(CLI::App& app) {
  app.description(
      "cst: CryptoSmartTrader, a trading system where every order passes one pre-trade gateway.\n"
      "Example: cst backtest --synthetic 42 --strategy sma_cross --param fast=10 --param slow=30 "
      "--cash 100000 --size 10% --out out/run1");
  app.set_version_flag("--version", std::string("cst ") + CST_VERSION);
  app.require_subcommand(1);
  std::vector<Runner> runners;
  runners.push_back(add_backtest_command(app));
  runners.push_back(add_audit_command(app));
  runners.push_back(add_data_command(app));
  runners.push_back(add_paper_command(app));
  runners.push_back(add_state_command(app));
  runners.push_back(add_keys_command(app));
  runners.push_back(add_operator_command(app));
  runners.push_back(add_config_command(app));
  runners.push_back(add_approve_command(app));
  runners.push_back(add_report_command(app));
  return runners;
}

}  // namespace cst::cli
