// cst: the one CLI of CryptoSmartTrader.
#include <vector>

#include "cli_app.hpp"

int main(int argc, char** argv) {
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
