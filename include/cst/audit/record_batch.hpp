// RecordBatch and RecordChainer: the journal's records between the queue and their
// transaction.
//
// The writer's formatter thread turns queue entries into rows with RecordChainer::add(),
// which assigns the next seq, formats kind and payload (record_format.hpp) and hashes the row
// onto the chain (hash_chain.hpp). The rows of one batch keep their text in one arena, so a
// warm batch is reused without allocating; the committer thread then writes the batch in one
// transaction (JournalStore::commit) and hands it back empty.
//
// Thread rules: a RecordChainer is used by one thread; a RecordBatch by one thread at a time
// (passed between the formatter and the committer under the writer's lock).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "cst/audit/hash_chain.hpp"
#include "cst/audit/journal_schema.hpp"
#include "cst/audit/record_queue.hpp"
#include "cst/audit/text_buffer.hpp"
#include "cst/core/result.hpp"

namespace cst::audit {

struct BatchRow {
  std::uint64_t seq = 0;
  std::int64_t time_ns = 0;
  std::size_t kind_offset = 0;  // kind and payload are slices of the batch's text
  std::size_t kind_size = 0;
  std::size_t payload_offset = 0;
  std::size_t payload_size = 0;
  Hash256 prev_hash = kZeroHash;
  Hash256 hash = kZeroHash;
};

class RecordBatch {
 public:
  // Reserves room for max_rows rows, the most a batch holds.
  explicit RecordBatch(std::size_t max_rows) { rows_.reserve(max_rows); }
  RecordBatch(const RecordBatch&) = delete;
  RecordBatch& operator=(const RecordBatch&) = delete;

  // Empties the batch, keeping its memory.
  void clear() {
    rows_.clear();
    text_.clear();
  }
  bool empty() const { return rows_.empty(); }
  std::size_t size() const { return rows_.size(); }
  const BatchRow& operator[](std::size_t i) const { return rows_[i]; }
  const BatchRow& back() const { return rows_.back(); }
  std::string_view kind(const BatchRow& row) const { return text_.view(row.kind_offset, row.kind_size); }
  std::string_view payload(const BatchRow& row) const { return text_.view(row.payload_offset, row.payload_size); }

 private:
  friend class RecordChainer;
  std::vector<BatchRow> rows_;
  TextBuffer text_;
};

class RecordChainer {
 public:
  // Continues the chain after `head`; last_time_ns is the time of the record at the head (the
  // seal reuses the time of the record before it).
  RecordChainer(const JournalHead& head, std::int64_t last_time_ns) : head_(head), last_time_ns_(last_time_ns) {}
  RecordChainer(const RecordChainer&) = delete;
  RecordChainer& operator=(const RecordChainer&) = delete;

  // Appends `entry` to *batch as the next record of the chain. Fails only if OpenSSL does;
  // the chain cannot continue then.
  Status add(const JournalEntry& entry, RecordBatch* batch);

  // The last record added (count and hash).
  const JournalHead& head() const { return head_; }

 private:
  RecordHasher hasher_;
  JournalHead head_;
  std::int64_t last_time_ns_;
};

}  // namespace cst::audit
