// Fuzzes reading an audit journal file from arbitrary bytes: `cst audit verify FILE` and
// `cst report compliance --journal FILE` take whatever file they are given (a damaged disk, a
// truncated copy, a file edited with the sqlite3 shell). Each input is written to a fresh file
// (no -wal, -shm or -journal left from the last one). Properties:
//   1. verify_journal either refuses with a message naming the file, or reports consistently:
//      intact means first_bad_seq 0 and no problem, broken means a record number and a
//      problem; an intact chain has records 1..N;
//   2. for_each_record reads a file verify_journal read, as many records as verify counted (in
//      seq order 1..N when verify says intact; a damaged B-tree may hand rows out of order,
//      which verify must then report as broken);
//   3. build_compliance_report does not fail on a file verify_journal read (journal content
//      never makes it fail), carries verify's report as its integrity, and renders valid
//      compliance.json;
//   4. the file is only read: its bytes are unchanged afterwards.
// Seeds: the compliance report tests' sample journal (AuditJournal, closed, then VACUUMed to
// 512-byte pages to keep it small), the same with one payload edited, and with a record deleted.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "cst/audit/journal_verify.hpp"
#include "cst/report/compliance_report.hpp"
#include "sqlite_input_file.hpp"

namespace {

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "journal_file_fuzz: %s\n", why.c_str());
  std::abort();
}

bool same(const cst::VerifyReport& a, const cst::VerifyReport& b) {
  return a.ok == b.ok && a.records == b.records && a.head_hash_hex == b.head_hash_hex && a.sealed == b.sealed &&
         a.first_bad_seq == b.first_bad_seq && a.problem == b.problem;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/cst_fuzz_journal_" + std::to_string(::getpid()) + ".db";
  const std::string input(reinterpret_cast<const char*>(data), size);
  write_sqlite_input(path, data, size);

  auto verified = cst::verify_journal(path);
  if (!verified.ok()) {
    if (verified.error().message.find(path) == std::string::npos)
      fail("refusal does not name the file: " + verified.error().message);
  } else {
    const cst::VerifyReport& v = *verified;
    if (v.ok != (v.first_bad_seq == 0)) fail("intact exactly when no record is bad");
    if (v.ok != v.problem.empty()) fail("a problem is told exactly when broken");

    std::uint64_t count = 0;
    std::uint64_t last_seq = 0;
    const cst::Status read = cst::for_each_record(path, [&](const cst::JournalRecordView& r) {
      // A damaged B-tree may hand rows out of order; verify_journal must then say broken.
      if (v.ok && r.seq != count + 1) fail("an intact journal whose seqs are not 1..N");
      if (count > 0 && r.seq <= last_seq && v.ok) fail("records out of seq order in an intact journal");
      last_seq = r.seq;
      ++count;
      return true;
    });
    if (!read.ok()) fail("for_each_record refused a file verify_journal read: " + read.error().message);
    if (count != v.records) fail("for_each_record and verify_journal count different records");

    auto report = cst::report::build_compliance_report(path, std::nullopt, std::nullopt);
    if (!report.ok()) fail("the compliance report failed on a readable journal: " + report.error().message);
    if (!same(report->integrity, v)) fail("the report's integrity differs from verify_journal's");
    const auto j = nlohmann::json::parse(cst::report::render_compliance_json(*report), nullptr, false);
    if (j.is_discarded() || !j.is_object()) fail("compliance.json is not one JSON object");
  }
  if (read_whole_file(path) != input) fail("reading the journal changed the file");
  return 0;
}
