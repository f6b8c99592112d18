// cst: the one CLI of CryptoSmartTrader.
#include <iostream>
#include <vector>

#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"cst: CryptoSmartTrader, a trading system where every order passes one pre-trade gateway.\n"
               "Example: cst backtest --synthetic 42 --strategy sma_cross --param fast=10 --param slow=30 "
               "--cash 100000 --size 10% --out out/run1"};
  app.set_version_flag("--version", std::string("cst ") + CST_VERSION);
  app.require_subcommand(1);
  std::vector<cst::cli::Runner> runners;
  runners.push_back(cst::cli::add_backtest_command(app));
  runners.push_back(cst::cli::add_audit_command(app));
  runners.push_back(cst::cli::add_data_command(app));
  runners.push_back(cst::cli::add_paper_command(app));
  runners.push_back(cst::cli::add_state_command(app));
  runners.push_back(cst::cli::add_keys_command(app));
  runners.push_back(cst::cli::add_operator_command(app));
  runners.push_back(cst::cli::add_config_command(app));
  runners.push_back(cst::cli::add_approve_command(app));
  runners.push_back(cst::cli::add_report_command(app));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  // Each runner answers -1 when its subcommand was not the one chosen.
  for (auto& run : runners) {
    const int code = run();
    if (code >= 0) return code;
  }
  return 2;
}
