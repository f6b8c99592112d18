// The cst subcommands. Each registers its options on a CLI11 app and returns a runner;
// runners return the process exit code (0 ok, 1 failure, 2 bad usage or input), or -1
// when their subcommand was not selected.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>

#include "cst/core/result.hpp"
#include "cst/core/timestamp.hpp"

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

// A time bound of `cst report compliance` (--from, --to): an ISO 8601 UTC time (2024-05-01,
// 2024-05-01T12:00:00Z, ...) or integer nanoseconds since the epoch; empty text is no bound.
// A refusal names `option` and quotes the text.
Result<std::optional<Timestamp>> parse_time_bound(const std::string& option, const std::string& text);

}  // namespace cst::cli
