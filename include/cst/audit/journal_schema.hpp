// The journal's file format: one SQLite database with two tables, in WAL mode while a writer
// has it open and in rollback-journal mode once sealed and closed (one self-contained file).
//
//   records(seq INTEGER PRIMARY KEY,   1, 2, 3, ... without gaps
//           time_ns INTEGER,           the record's clock time
//           kind TEXT,                 "decision" | "order_event" | "journal_close" | a note kind
//           payload TEXT,              canonical JSON object (record_format.hpp)
//           prev_hash BLOB(32),        hash of seq-1; 32 zero bytes for seq 1
//           hash BLOB(32))             hash_chain.hpp
//   meta(key TEXT PRIMARY KEY, value)
//           magic = "cst-audit-journal", format_version = 1,
//           head_count = number of records, head_hash = hash of the last record (zeros if none)
//
// The database header's application_id is 0x43535441 ("CSTA"), so tools can tell a journal
// from any other SQLite file; pages are 16 or 32 KiB (kLatencyPageSize below). The head is
// updated in the same transaction as each batch of records, so after a crash it always matches
// the last committed row; a mismatch means someone changed the file.
//
// Thread rules: functions take a connection owned by the caller's thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cst/audit/hash_chain.hpp"
#include "cst/audit/sqlite_db.hpp"
#include "cst/core/result.hpp"

namespace cst::audit {

inline constexpr std::int64_t kJournalFormatVersion = 1;
inline constexpr std::int32_t kJournalApplicationId = 0x43535441;
inline constexpr const char* kJournalMagic = "cst-audit-journal";

// Pages of new journals. Rows are ~0.8 KB; bigger pages mean fewer WAL frames, page splits and
// checkpoint copies per record (measured with the writer: SQLite's CPU per record 1.6 us at
// 16 KiB, 1.45 us at 32 KiB, no better at 64 KiB). But every commit writes a few whole pages,
// and a journal that fsyncs each commit (kFull: paper and live, which commit before each
// order) waits ~10% longer per commit at 32 KiB than at 16 KiB. So the page size of a new file
// follows the durability it is created with; a reopened file keeps its own.
inline constexpr int kThroughputPageSize = 32768;  // kNone, kNormal: backtests
inline constexpr int kLatencyPageSize = 16384;     // kFull: an fsync per order

// Rows per multi-row INSERT: one statement step per this many records. OR ROLLBACK: a failing
// row ends the whole batch transaction (which the writer rolls back anyway), so SQLite needs
// no statement journal for the statement's earlier rows.
inline constexpr int kRowsPerInsert = 16;
inline constexpr int kColumnsPerRow = 6;  // seq, time_ns, kind, payload, prev_hash, hash
// "INSERT OR ROLLBACK INTO records(...) VALUES(?,?,?,?,?,?),..." for `rows` rows.
std::string insert_records_sql(int rows);
// Moves the head count only if it is still where this writer left it (?2), so a second writer
// on the same file fails instead of forking the chain.
inline constexpr const char* kAdvanceHeadCountSql =
    "UPDATE meta SET value = ?1 WHERE key = 'head_count' AND value = ?2";
inline constexpr const char* kSetHeadHashSql = "UPDATE meta SET value = ?1 WHERE key = 'head_hash'";
inline constexpr const char* kSelectRecordsSql =
    "SELECT seq, time_ns, kind, payload, prev_hash, hash FROM records ORDER BY seq";

struct JournalHead {
  std::uint64_t count = 0;
  Hash256 hash = kZeroHash;
};

struct LastRecord {
  std::uint64_t seq = 0;
  std::int64_t time_ns = 0;
  Hash256 hash = kZeroHash;
};

enum class FileState { kEmpty, kJournal };

// kEmpty for a database without any tables; kJournal for a journal this build can read.
// Errors name the path: not an SQLite file, another application's database, a newer format.
Result<FileState> inspect_journal(sqlite3* db, const std::string& path);

// Creates the tables and meta rows in one transaction on an empty database.
Status create_schema(sqlite3* db, const std::string& path);

Result<JournalHead> read_head(sqlite3* db, const std::string& path);

// The row with the highest seq, if any.
Result<std::optional<LastRecord>> read_last_record(sqlite3* db, const std::string& path);

}  // namespace cst::audit
