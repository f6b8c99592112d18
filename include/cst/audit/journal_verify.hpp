// Reading a journal back: verify_journal() recomputes the whole hash chain and names the first
// record that breaks it; for_each_record() streams records to reports. Both read one SQLite
// read transaction (a consistent snapshot, even while a writer is appending) row by row, so
// memory does not grow with the journal.
//
// What verification proves: that the rows form an unbroken chain from 32 zero bytes to the
// stored head. An edit, a removal or a reordering without recomputing every later hash is
// found and located. Someone who rewrites the file AND recomputes all later hashes and the
// head is only caught by comparing head_hash_hex with a copy kept elsewhere (a report, a log).
//
// Thread rules: free functions; each call opens its own read-only connection.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "cst/core/result.hpp"

namespace cst {

struct VerifyReport {
  bool ok = false;                  // the chain and the stored head are intact (sealed or not)
  std::uint64_t records = 0;        // rows in the journal
  std::string head_hash_hex;        // hash of the last record whose chain verified
  bool sealed = false;              // the last record is a journal_close seal counting itself;
                                    // false after a crash or a kill: not tampering, but the run
                                    // did not end cleanly (or its tail was cut off)
  std::uint64_t first_bad_seq = 0;  // 0 if ok
  std::string problem;              // what is wrong at first_bad_seq, for a person; empty if ok
};

// Errors (not a report) when the file is missing, not a cst journal, or unreadable.
Result<VerifyReport> verify_journal(const std::string& path);

struct JournalRecordView {
  std::uint64_t seq = 0;
  std::int64_t time_ns = 0;
  std::string_view kind;     // valid only during the callback
  std::string_view payload;  // valid only during the callback
};

// Calls fn for each record in seq order until it returns false. Does not check hashes: run
// verify_journal() for that.
Status for_each_record(const std::string& path, const std::function<bool(const JournalRecordView&)>& fn);

}  // namespace cst
