// The cst command line as one CLI11 app: every subcommand with its options and validators.
// main() parses argv with it and then runs the chosen command; the fuzz target
// (fuzz/cli_fuzz.cpp) builds the same app and only parses, never running a command.
#pragma once

#include <CLI/CLI.hpp>
#include <vector>

#include "commands.hpp"

namespace cst::cli {

// Registers the description, --version and every subcommand on `app` (which must be empty);
// returns their runners in registration order.
std::vector<Runner> build_cli(CLI::App& app);

}  // namespace cst::cli
