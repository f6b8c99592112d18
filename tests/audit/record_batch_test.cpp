#include "cst/audit/record_batch.hpp"

#include <gtest/gtest.h>

#include "cst/audit/record_format.hpp"

namespace cst::audit {
namespace {

// Each row carries the seq after the head, the hash of the row before it, and the hash the
// documented encoding gives for its own kind and payload, as the verifier recomputes it.
TEST(RecordChainer, RowsContinueTheChainWithTheDocumentedHash) {
  RecordHasher hasher;
  const Hash256 start = *hasher.hash(kZeroHash, 1, 5, "run_start", "{}");
  RecordChainer chainer(JournalHead{1, start}, 5);
  RecordBatch batch(8);
  DecisionRecord d;
  d.time = Timestamp{10};
  OrderEventRecord e;
  e.time = Timestamp{11};
  const JournalEntry entries[] = {JournalEntry{d}, JournalEntry{e}, JournalEntry{NoteRecord{Timestamp{12}, "op", "{}"}},
                                  JournalEntry{NoteRecord{Timestamp{13}, "BAD", "{}"}}, JournalEntry{SealRequest{}}};
  for (const JournalEntry& entry : entries) ASSERT_TRUE(chainer.add(entry, &batch).ok());

  ASSERT_EQ(batch.size(), 5u);
  const char* kinds[] = {"decision", "order_event", "op", "invalid_note", "journal_close"};
  const std::int64_t times[] = {10, 11, 12, 13, 13};  // the seal reuses the last time
  Hash256 prev = start;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const BatchRow& row = batch[i];
    EXPECT_EQ(row.seq, i + 2);
    EXPECT_EQ(row.time_ns, times[i]);
    EXPECT_EQ(batch.kind(row), kinds[i]);
    EXPECT_EQ(row.prev_hash, prev);
    EXPECT_EQ(row.hash, *hasher.hash(prev, row.seq, row.time_ns, batch.kind(row), batch.payload(row)));
    prev = row.hash;
  }
  std::string expected;
  format_decision_payload(d, &expected);
  EXPECT_EQ(batch.payload(batch[0]), expected);
  EXPECT_EQ(batch.payload(batch[4]), R"({"records":6})");
  EXPECT_EQ(chainer.head().count, 6u);
  EXPECT_EQ(chainer.head().hash, prev);

  // A cleared batch is reused and the chain goes on where it was.
  batch.clear();
  ASSERT_TRUE(chainer.add(JournalEntry{e}, &batch).ok());
  EXPECT_EQ(batch[0].seq, 7u);
  EXPECT_EQ(batch[0].prev_hash, prev);
}

}  // namespace
}  // namespace cst::audit
