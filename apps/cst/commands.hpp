// The cst subcommands. Each registers its options on a CLI11 app and returns a runner;
// runners return the process exit code (0 ok, 1 failure, 2 bad usage or input), or -1
// when their subcommand was not selected.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

#include "cst/core/result.hpp"

namespace cst::cli {

using Runner = std::function<int()>;

Runner add_backtest_command(CLI::App& app);
Runner add_audit_command(CLI::App& app);
Runner add_data_command(CLI::App& app);
Runner add_paper_command(CLI::App& app);
Runner add_state_command(CLI::App& app);
Runner add_keys_command(CLI::App& app);
Runner add_operator_command(CLI::App& app);
Runner add_config_command(CLI::App& app);
Runner add_approve_command(CLI::App& app);
Runner add_report_command(CLI::App& app);

// Prints "cst: error: <message>" to stderr.
void print_error(const std::string& message);
// print_error(error.message), then `exit_code` for the runner to return.
int fail(const Error& error, int exit_code);

}  // namespace cst::cli
