#include "cst/audit/record_queue.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace cst::audit {
namespace {

bool push_note(RecordQueue& q, std::int64_t t) {
  return q.push([&](JournalEntry& e) { e.emplace<NoteRecord>(NoteRecord{Timestamp{t}, "n", "{}"}); });
}

std::vector<std::int64_t> drain_times(RecordQueue& q) {
  std::vector<std::int64_t> times;
  q.drain(1000, [&](JournalEntry& e) { times.push_back(std::get<NoteRecord>(e).time.ns); });
  return times;
}

TEST(RecordQueue, RoundsCapacityUpToAPowerOfTwo) {
  EXPECT_EQ(RecordQueue(5).capacity(), 8u);
  EXPECT_EQ(RecordQueue(8).capacity(), 8u);
  EXPECT_EQ(RecordQueue(1).capacity(), 2u);
}

TEST(RecordQueue, DrainsInPushOrderAcrossLaps) {
  RecordQueue q(4);
  std::vector<std::int64_t> all;
  for (std::int64_t lap = 0; lap < 3; ++lap) {
    for (std::int64_t i = 0; i < 4; ++i) ASSERT_TRUE(push_note(q, lap * 4 + i));
    auto part = drain_times(q);
    all.insert(all.end(), part.begin(), part.end());
  }
  ASSERT_EQ(all.size(), 12u);
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], static_cast<std::int64_t>(i));
  EXPECT_EQ(q.claimed(), 12u);
}

TEST(RecordQueue, DrainStopsAtMax) {
  RecordQueue q(8);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(push_note(q, i));
  std::size_t seen = 0;
  EXPECT_EQ(q.drain(3, [&](JournalEntry&) { ++seen; }), 3u);
  EXPECT_EQ(seen, 3u);
  EXPECT_EQ(drain_times(q), (std::vector<std::int64_t>{3, 4}));
}

TEST(RecordQueue, ClosedQueueRefusesPushesButNotTheSeal) {
  RecordQueue q(4);
  q.close();
  EXPECT_FALSE(push_note(q, 1));
  EXPECT_TRUE(q.push_after_close([](JournalEntry& e) { e.emplace<SealRequest>(); }));
  std::size_t seals = 0;
  q.drain(10, [&](JournalEntry& e) { seals += std::holds_alternative<SealRequest>(e) ? 1 : 0; });
  EXPECT_EQ(seals, 1u);
}

// A producer asleep on a full queue must come back when the writer gives up.
TEST(RecordQueue, AbortReleasesAProducerBlockedOnAFullQueue) {
  RecordQueue q(2);
  ASSERT_TRUE(push_note(q, 1));
  ASSERT_TRUE(push_note(q, 2));
  bool pushed = true;
  std::thread producer([&] { pushed = push_note(q, 3); });  // blocks: nobody drains
  q.abort();
  producer.join();
  EXPECT_FALSE(pushed);
  EXPECT_FALSE(push_note(q, 4));
}

// A producer asleep on a full queue continues as soon as the consumer frees a slot.
TEST(RecordQueue, FullQueueBlocksUntilTheConsumerDrains) {
  RecordQueue q(2);
  std::thread producer([&] {
    for (int i = 0; i < 1000; ++i) push_note(q, i);
  });
  std::vector<std::int64_t> got;
  while (got.size() < 1000) {
    q.wait_for_entry([] { return false; });
    auto part = drain_times(q);
    got.insert(got.end(), part.begin(), part.end());
  }
  producer.join();
  for (std::size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], static_cast<std::int64_t>(i));
}

}  // namespace
}  // namespace cst::audit
