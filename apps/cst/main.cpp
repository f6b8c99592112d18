// cst: the one CLI of CryptoSmartTrader.
#include <cstdio>
#include <exception>
#include <vector>

#include "cli_app.hpp"

namespace {

int run_cli(int argc, char** argv) {
  CLI::App app;
  std::vector<cst::cli::Runner> runners = cst::cli::build_cli(app);
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

}  // namespace

int main(int argc, char** argv) {
  // Commands report errors as values; what still throws (out of memory, a library's exception)
  // ends the command with its message and exit 1 instead of std::terminate's abort.
  try {
    return run_cli(argc, argv);
  } catch (const std::exception& e) {
    (void)std::fprintf(stderr, "cst: error: %s\n", e.what());
  } catch (...) {
    (void)std::fprintf(stderr, "cst: error: unknown exception\n");
  }
  return 1;
}
