// cst report compliance --journal FILE [--from T] [--to T] --out DIR: what an account's audit
// journal says about its controls, as DIR/compliance.html and DIR/compliance.json.
#include <charconv>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "commands.hpp"
#include "cst/market/time_field.hpp"
#include "cst/report/compliance_report.hpp"

namespace cst::cli {

Result<std::optional<Timestamp>> parse_time_bound(const std::string& option, const std::string& text) {
  if (text.empty()) return std::optional<Timestamp>{};
  const bool digits = text.find_first_not_of("0123456789") == std::string::npos;
  std::int64_t ns = 0;
  TimeScan status = TimeScan::kNoDigits;
  const char* end = text.data() + text.size();
  if (digits) {
    const auto [p, ec] = std::from_chars(text.data(), end, ns);
    if (ec == std::errc() && p == end) return std::optional<Timestamp>{Timestamp{ns}};
    status = TimeScan::kOutOfRange;
  } else if (text.find('-') != std::string::npos && scan_utc_time(text.data(), end, ns, status) == end &&
             status == TimeScan::kOk) {
    return std::optional<Timestamp>{Timestamp{ns}};
  }
  const char* why = status == TimeScan::kBadDate      ? "not a calendar date and time"
                    : status == TimeScan::kOutOfRange ? "outside the years 1677 to 2262"
                                                      : "not a time";
  return make_error(ErrorCode::kInvalidArgument,
                    option + " '" + text + "': " + why +
                        "; give an ISO 8601 UTC time (2024-05-01 or 2024-05-01T12:00:00Z) or integer nanoseconds "
                        "since the Unix epoch");
}

namespace {

struct ComplianceArgs {
  std::string journal;
  std::string from;
  std::string to;
  std::string out;
};

int run_compliance(const ComplianceArgs& args) {
  auto from = parse_time_bound("--from", args.from);
  auto to = parse_time_bound("--to", args.to);
  for (const auto* bound : {&from, &to}) {
    if (!bound->ok()) {
      print_error(bound->error().message);
      return 2;
    }
  }
  if (*from && *to && **from > **to) {
    print_error("--from " + format_iso8601(**from) + " is after --to " + format_iso8601(**to));
    return 2;
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(args.journal, ec)) {
    print_error("--journal '" + args.journal + "': no such file");
    return 2;
  }
  auto report = report::build_compliance_report(args.journal, *from, *to);
  if (!report.ok()) {
    print_error("--journal '" + args.journal + "': " + report.error().message);
    return 2;
  }
  std::filesystem::create_directories(args.out, ec);
  if (ec) {
    print_error("--out '" + args.out + "': cannot create the directory: " + ec.message());
    return 2;
  }
  Status written = report::write_compliance_report(*report, args.out);
  if (!written.ok()) {
    print_error(written.error().message);
    return 2;
  }
  const VerifyReport& v = report->integrity;
  std::cout << "wrote " << args.out << "/compliance.html, compliance.json: " << report->records_in_window
            << " records in the window, " << report->security_events.size() << " security events, "
            << report->lockdowns.size() << " lockdowns\n";
  if (!v.ok) {
    std::cout << "journal " << args.journal << ": NOT INTACT, broken at record " << v.first_bad_seq << ": " << v.problem
              << "\n";
    return 1;
  }
  std::cout << "journal " << args.journal << ": intact, " << v.records << " records, head " << v.head_hash_hex
            << (v.sealed ? ", sealed" : ", NOT sealed (the writer did not close it)") << "\n";
  return 0;
}

}  // namespace

Runner add_report_command(CLI::App& app) {
  auto* report =
      app.add_subcommand("report",
                         "Reports from an account's records.\n"
                         "Example: cst report compliance --journal examples/out/paper-journal.db --out out/compliance");
  report->require_subcommand(1);
  auto* compliance = report->add_subcommand(
      "compliance",
      "What an audit journal says about the account's controls: journal integrity, gateway decisions by verdict "
      "and reason, security events, lockdowns and resumes, operator actions, key events, configuration reviews, "
      "threat level and alerts. Writes DIR/compliance.html (self-contained) and DIR/compliance.json; the same "
      "journal and window give the same bytes.\n"
      "Example: cst report compliance --journal examples/out/paper-journal.db --from 2024-05-01 "
      "--to 2024-05-31T23:59:59Z --out out/compliance-may\n"
      "Exit 0 written and the journal intact, 1 written but the journal fails verification, 2 bad usage or input.");
  auto args = std::make_shared<ComplianceArgs>();
  compliance->add_option("--journal", args->journal, "audit journal file (SQLite)")->required();
  compliance->add_option("--from", args->from,
                         "first instant of the window (inclusive): ISO 8601 UTC or integer nanoseconds since the "
                         "epoch; default: the first record");
  compliance->add_option("--to", args->to,
                         "last instant of the window (inclusive), same forms; default: the last record");
  compliance->add_option("--out", args->out, "directory for compliance.html and compliance.json (created if needed)")
      ->required();
  return [compliance, args]() -> int {
    if (!compliance->parsed()) return -1;
    return run_compliance(*args);
  };
}

}  // namespace cst::cli
