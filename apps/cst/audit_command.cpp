// cst audit verify FILE: recomputes the journal's hash chain.
#include <iostream>
#include <memory>
#include <string>

#include "commands.hpp"
#include "cst/audit/journal_verify.hpp"

namespace cst::cli {

Runner add_audit_command(CLI::App& app) {
  auto* audit = app.add_subcommand("audit", "Audit journal tools.\nExample: cst audit verify out/demo/journal.db");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand(
      "verify",
      "Recompute a journal's hash chain and report the first edited, removed, reordered or truncated record.\n"
      "Example: cst audit verify out/demo/journal.db   (exit 0 intact, 1 broken, 2 unreadable)");
  auto path = std::make_shared<std::string>();
  verify->add_option("FILE", *path, "journal file (SQLite)")->required();
  return [verify, path]() -> int {
    if (!verify->parsed()) return -1;
    auto report = verify_journal(*path);
    if (!report.ok()) {
      print_error(report.error().message);
      return 2;
    }
    if (!report->ok) {
      std::cout << "journal " << *path << ": BROKEN at record " << report->first_bad_seq << ": " << report->problem
                << "\n";
      return 1;
    }
    std::cout << "journal " << *path << ": intact, " << report->records << " records, head " << report->head_hash_hex
              << (report->sealed ? ", sealed" : ", NOT sealed (the writer did not close it)") << "\n";
    return 0;
  };
}

void print_error(const std::string& message) { std::cerr << "cst: error: " << message << "\n"; }

int fail(const Error& error, int exit_code) {
  print_error(error.message);
  return exit_code;
}

}  // namespace cst::cli
