// EventBus: bounded, FIFO, and what a full bus does is the policy's promise: kBlock makes the
// producer wait and never loses an event; kDropOldest never waits, keeps the newest events and
// counts every one it discards. close() releases everyone who waits.
//
// Threads are observed, never slept on: a test spins (yielding) until waiting_producers() or
// waiting_consumers() shows the other thread asleep in the bus, with a generous limit so a
// broken bus fails the test instead of hanging it.
#include "cst/engine/event_bus.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace cst {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kForever = Clock::time_point::max();

// Spins until cond() holds; false after 10 s (only a broken bus takes that long).
template <class Cond>
bool eventually(Cond cond) {
  const auto limit = Clock::now() + std::chrono::seconds(10);
  while (!cond()) {
    if (Clock::now() > limit) return false;
    std::this_thread::yield();
  }
  return true;
}

std::vector<int> drain_all(EventBus<int>& bus) {
  std::vector<int> out;
  bus.drain(out, bus.capacity());
  return out;
}

std::vector<int> range(int from, int to) {
  std::vector<int> v;
  for (int i = from; i < to; ++i) v.push_back(i);
  return v;
}

TEST(EventBus, DefaultCapacityIsTheDesignsThousandEvents) {
  EventBus<int> bus(OverflowPolicy::kDropOldest);
  EXPECT_EQ(bus.capacity(), 1000u);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(bus.push(i));
  EXPECT_EQ(bus.size(), 1000u);
  EXPECT_EQ(bus.dropped(), 0u);
  ASSERT_TRUE(bus.push(1000));  // the 1001st is one too many
  EXPECT_EQ(bus.size(), 1000u);
  EXPECT_EQ(bus.dropped(), 1u);
}

TEST(EventBus, ZeroCapacityIsRejected) {
  EXPECT_THROW(EventBus<int>(OverflowPolicy::kBlock, 0), std::invalid_argument);
  EXPECT_THROW(EventBus<int>(OverflowPolicy::kDropOldest, 0), std::invalid_argument);
}

TEST(EventBus, PopsInPushOrderAcrossRingWraps) {
  EventBus<int> bus(OverflowPolicy::kBlock, 4);
  std::vector<int> got;
  int next = 0;
  for (int round = 0; round < 5; ++round) {  // 3 in, 3 out: the front walks round the ring of 4
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(bus.push(next++));
    for (int i = 0; i < 3; ++i) got.push_back(bus.try_pop().value_or(-1));
  }
  EXPECT_EQ(got, range(0, 15));
  EXPECT_EQ(bus.pushed(), 15u);
  EXPECT_EQ(bus.popped(), 15u);
  EXPECT_EQ(bus.dropped(), 0u);
}

TEST(EventBus, TryPopOnAnEmptyBusReturnsNothing) {
  EventBus<int> bus(OverflowPolicy::kBlock, 4);
  EXPECT_FALSE(bus.try_pop().has_value());
  EXPECT_EQ(bus.popped(), 0u);
}

TEST(EventBus, DrainMovesAtMostMaxInOrderAndAppends) {
  EventBus<int> bus(OverflowPolicy::kBlock, 8);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(bus.push(i));
  std::vector<int> out{-1};
  EXPECT_EQ(bus.drain(out, 3), 3u);
  EXPECT_EQ(out, (std::vector<int>{-1, 0, 1, 2}));
  EXPECT_EQ(bus.drain(out, 10), 2u);
  EXPECT_EQ(out, (std::vector<int>{-1, 0, 1, 2, 3, 4}));
  EXPECT_EQ(bus.drain(out, 10), 0u);  // empty: returns at once
  EXPECT_EQ(bus.popped(), 5u);
}

TEST(EventBus, SizeAndHighWaterFollowTheQueue) {
  EventBus<int> bus(OverflowPolicy::kBlock, 8);
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(bus.push(i));
  drain_all(bus);
  ASSERT_TRUE(bus.push(6));
  EXPECT_EQ(bus.size(), 1u);
  EXPECT_EQ(bus.high_water(), 6u);
}

TEST(EventBus, DropOldestKeepsTheNewestCapacityEventsInOrderAndCountsTheRest) {
  EventBus<int> bus(OverflowPolicy::kDropOldest, 8);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(bus.push(i));  // never waits: no consumer here
  EXPECT_EQ(bus.dropped(), 12u);
  EXPECT_EQ(bus.pushed(), 20u);
  EXPECT_EQ(bus.blocked_pushes(), 0u);
  EXPECT_EQ(bus.high_water(), 8u);
  EXPECT_EQ(drain_all(bus), range(12, 20));
}

TEST(EventBus, DropOldestDropsNothingWhileThereIsRoom) {
  EventBus<int> bus(OverflowPolicy::kDropOldest, 8);
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(bus.push(i));
    if (i % 2 == 1) drain_all(bus);  // the queue never exceeds 2
  }
  EXPECT_EQ(bus.dropped(), 0u);
  EXPECT_EQ(bus.popped(), 100u);
}

// The producer pushes capacity + 3 with nobody consuming: it must stop at a full bus (not drop)
// and continue once the consumer takes events; every event arrives, in order.
TEST(EventBus, BlockingBusHoldsTheProducerUntilTheConsumerPops) {
  constexpr int kCapacity = 4, kTotal = kCapacity + 3;
  EventBus<int> bus(OverflowPolicy::kBlock, kCapacity);
  std::thread producer([&] {
    for (int i = 0; i < kTotal; ++i) bus.push(i);
  });
  EXPECT_TRUE(eventually([&] { return bus.waiting_producers() == 1; }));
  EXPECT_EQ(bus.size(), static_cast<std::size_t>(kCapacity));
  EXPECT_EQ(bus.pushed(), static_cast<std::uint64_t>(kCapacity));  // the 5th is held, not queued

  std::vector<int> got;
  while (got.size() < static_cast<std::size_t>(kTotal)) {
    auto e = bus.pop_until(Clock::now() + std::chrono::seconds(10));
    if (!e) break;
    got.push_back(*e);
  }
  producer.join();
  EXPECT_EQ(got, range(0, kTotal));
  EXPECT_EQ(bus.dropped(), 0u);
  EXPECT_GT(bus.blocked_pushes(), 0u);
  EXPECT_EQ(bus.waiting_producers(), 0u);
}

TEST(EventBus, CloseReleasesABlockedProducerWithoutQueuingItsEvent) {
  EventBus<int> bus(OverflowPolicy::kBlock, 1);
  ASSERT_TRUE(bus.push(1));
  std::optional<bool> accepted;
  std::thread producer([&] { accepted = bus.push(2); });
  EXPECT_TRUE(eventually([&] { return bus.waiting_producers() == 1; }));
  bus.close();
  producer.join();
  EXPECT_EQ(accepted, false);
  EXPECT_EQ(bus.pushed(), 1u);
  EXPECT_EQ(bus.try_pop(), 1);
  EXPECT_FALSE(bus.try_pop().has_value());
}

TEST(EventBus, CloseReleasesAConsumerWaitingWithoutDeadline) {
  EventBus<int> bus(OverflowPolicy::kBlock, 4);
  std::optional<std::optional<int>> result;
  std::thread consumer([&] { result = bus.pop_until(kForever); });
  EXPECT_TRUE(eventually([&] { return bus.waiting_consumers() == 1; }));
  bus.close();
  consumer.join();
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->has_value());
}

TEST(EventBus, ClosedBusRefusesPushesOfEitherPolicy) {
  for (OverflowPolicy policy : {OverflowPolicy::kBlock, OverflowPolicy::kDropOldest}) {
    EventBus<int> bus(policy, 2);
    ASSERT_TRUE(bus.push(1));
    ASSERT_TRUE(bus.push(2));
    bus.close();
    EXPECT_FALSE(bus.push(3));  // full and closed: neither waits nor drops
    EXPECT_EQ(bus.dropped(), 0u);
    EXPECT_EQ(drain_all(bus), (std::vector<int>{1, 2}));
  }
}

TEST(EventBus, PopUntilHandsOutWhatIsLeftAfterCloseThenNothing) {
  EventBus<int> bus(OverflowPolicy::kBlock, 4);
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(bus.push(i));
  bus.close();
  EXPECT_FALSE(bus.push(4));
  EXPECT_EQ(bus.pop_until(kForever), 1);
  EXPECT_EQ(bus.pop_until(kForever), 2);
  EXPECT_EQ(bus.pop_until(kForever), 3);
  EXPECT_EQ(bus.pop_until(kForever), std::nullopt);  // closed and empty: does not wait
}

TEST(EventBus, PopUntilAPastDeadlineDoesNotWaitOnAnEmptyBus) {
  EventBus<int> bus(OverflowPolicy::kBlock, 4);
  EXPECT_EQ(bus.pop_until(Clock::now() - std::chrono::seconds(1)), std::nullopt);
  EXPECT_EQ(bus.waiting_consumers(), 0u);
}

TEST(EventBus, PopUntilAPastDeadlineStillTakesAQueuedEvent) {
  EventBus<int> bus(OverflowPolicy::kBlock, 4);
  ASSERT_TRUE(bus.push(7));
  EXPECT_EQ(bus.pop_until(Clock::now() - std::chrono::seconds(1)), 7);
}

TEST(EventBus, PopUntilGivesUpAtTheDeadline) {
  EventBus<int> bus(OverflowPolicy::kBlock, 4);
  const auto start = Clock::now();
  EXPECT_EQ(bus.pop_until(start + std::chrono::milliseconds(20)), std::nullopt);
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(20));
}

TEST(EventBus, PopUntilWakesForAnEventPushedWhileWaiting) {
  EventBus<int> bus(OverflowPolicy::kBlock, 4);
  std::optional<int> got;
  std::thread consumer([&] { got = bus.pop_until(Clock::now() + std::chrono::seconds(10)); });
  EXPECT_TRUE(eventually([&] { return bus.waiting_consumers() == 1; }));
  ASSERT_TRUE(bus.push(42));
  consumer.join();
  EXPECT_EQ(got, 42);
}

TEST(EventBus, MoveOnlyEventsGoThrough) {
  EventBus<std::unique_ptr<int>> bus(OverflowPolicy::kBlock, 2);
  ASSERT_TRUE(bus.push(std::make_unique<int>(1)));
  ASSERT_TRUE(bus.push(std::make_unique<int>(2)));
  auto first = bus.try_pop();
  ASSERT_TRUE(first && *first);
  EXPECT_EQ(**first, 1);
  std::vector<std::unique_ptr<int>> rest;
  EXPECT_EQ(bus.drain(rest, 10), 1u);
  EXPECT_EQ(*rest.at(0), 2);
}

// A discarded event is destroyed at once, not kept alive in the ring.
TEST(EventBus, DropOldestDestroysTheDiscardedEvent) {
  struct Probe {
    explicit Probe(int* counter) : destroyed(counter) {}
    Probe(const Probe&) = delete;
    Probe& operator=(const Probe&) = delete;
    ~Probe() { ++*destroyed; }
    int* destroyed;
  };
  int destroyed = 0;
  EventBus<std::unique_ptr<Probe>> bus(OverflowPolicy::kDropOldest, 2);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(bus.push(std::make_unique<Probe>(&destroyed)));
  EXPECT_EQ(destroyed, 1);
  EXPECT_EQ(bus.dropped(), 1u);
}

// --- Many threads. Each event carries its producer and that producer's sequence number. ---

struct Tagged {
  int producer = 0;
  int seq = 0;
};
constexpr int kProducers = 4, kPerProducer = 20'000;
constexpr std::size_t kSmallCapacity = 64;

// Runs kProducers producers of kPerProducer events each into `bus`, closes it when they are done,
// and returns everything one consumer popped (pop_until alternating with drain, as an engine loop
// would). received[p] is producer p's sequence numbers in the order they arrived.
std::vector<std::vector<int>> run_producers(EventBus<Tagged>& bus) {
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&bus, p] {
      for (int s = 0; s < kPerProducer; ++s) bus.push(Tagged{p, s});
    });
  }
  std::thread closer([&] {
    for (auto& t : producers) t.join();
    bus.close();
  });
  std::vector<std::vector<int>> received(kProducers);
  std::vector<Tagged> batch;
  batch.reserve(kSmallCapacity);
  while (auto e = bus.pop_until(kForever)) {
    received[static_cast<std::size_t>(e->producer)].push_back(e->seq);
    batch.clear();
    bus.drain(batch, kSmallCapacity);
    for (const Tagged& t : batch) received[static_cast<std::size_t>(t.producer)].push_back(t.seq);
  }
  closer.join();
  return received;
}

TEST(EventBus, BlockingBusDeliversEveryEventOnceInEachProducersOrder) {
  EventBus<Tagged> bus(OverflowPolicy::kBlock, kSmallCapacity);
  const auto received = run_producers(bus);
  for (int p = 0; p < kProducers; ++p) {
    SCOPED_TRACE("producer " + std::to_string(p));
    EXPECT_EQ(received[static_cast<std::size_t>(p)], range(0, kPerProducer));
  }
  EXPECT_EQ(bus.pushed(), static_cast<std::uint64_t>(kProducers * kPerProducer));
  EXPECT_EQ(bus.popped(), bus.pushed());
  EXPECT_EQ(bus.dropped(), 0u);
  EXPECT_LE(bus.high_water(), kSmallCapacity);
}

TEST(EventBus, DropOldestBusAccountsForEveryEventAndKeepsEachProducersOrder) {
  EventBus<Tagged> bus(OverflowPolicy::kDropOldest, kSmallCapacity);
  const auto received = run_producers(bus);
  std::uint64_t total = 0;
  for (int p = 0; p < kProducers; ++p) {
    SCOPED_TRACE("producer " + std::to_string(p));
    const auto& seqs = received[static_cast<std::size_t>(p)];
    for (std::size_t i = 1; i < seqs.size(); ++i) ASSERT_LT(seqs[i - 1], seqs[i]);
    total += seqs.size();
  }
  EXPECT_EQ(bus.pushed(), static_cast<std::uint64_t>(kProducers * kPerProducer));
  EXPECT_EQ(total + bus.dropped(), bus.pushed());
  EXPECT_EQ(bus.popped(), total);
  EXPECT_EQ(bus.blocked_pushes(), 0u);
}

// Two consumers share the work: between them each event arrives exactly once, and each sees a
// producer's events in that producer's order.
TEST(EventBus, TwoConsumersSplitTheEventsWithoutLosingOrDuplicating) {
  EventBus<Tagged> bus(OverflowPolicy::kBlock, kSmallCapacity);
  std::vector<std::thread> producers;
  for (int p = 0; p < 2; ++p) {
    producers.emplace_back([&bus, p] {
      for (int s = 0; s < kPerProducer; ++s) bus.push(Tagged{p, s});
    });
  }
  std::vector<std::vector<int>> seen[2];  // seen[consumer][producer]
  auto consume = [&bus](std::vector<std::vector<int>>& mine) {
    mine.assign(2, {});
    while (auto e = bus.pop_until(kForever)) mine[static_cast<std::size_t>(e->producer)].push_back(e->seq);
  };
  std::thread c0(consume, std::ref(seen[0]));
  std::thread c1(consume, std::ref(seen[1]));
  for (auto& t : producers) t.join();
  bus.close();
  c0.join();
  c1.join();
  for (std::size_t p = 0; p < 2; ++p) {
    std::vector<int> count(kPerProducer, 0);
    for (const auto& mine : seen) {
      const auto& seqs = mine[p];
      for (std::size_t i = 1; i < seqs.size(); ++i) ASSERT_LT(seqs[i - 1], seqs[i]);
      for (int s : seqs) ++count[static_cast<std::size_t>(s)];
    }
    EXPECT_EQ(count, std::vector<int>(kPerProducer, 1)) << "producer " << p;
  }
}

}  // namespace
}  // namespace cst
