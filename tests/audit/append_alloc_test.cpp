// The decision path must not allocate (STYLE.md 7): appending a DecisionRecord or an
// OrderEventRecord only copies it into the preallocated queue. This file replaces the global
// operator new for the whole test binary to count allocations made by the current thread.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <new>

#include "cst/audit/audit_journal.hpp"

// ThreadSanitizer's runtime defines the global operator new itself (a second definition does not
// link): under TSan this file counts nothing and the test is skipped; the release and ASan runs
// count.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CST_TSAN_OWNS_OPERATOR_NEW 1
#endif
#endif

namespace {
thread_local std::size_t g_allocations = 0;
}  // namespace

#ifndef CST_TSAN_OWNS_OPERATOR_NEW
void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
// GCC 12 at -O1 (the ASan preset) inlines these and then takes the free() for a mismatch with
// the standard operator new it sees at the call site, though the replacement above is what
// allocates: the warning is wrong for a replaced global operator new.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop
#endif

namespace cst {
namespace {

TEST(AuditJournal, AppendingDecisionsAndOrderEventsDoesNotAllocate) {
#ifdef CST_TSAN_OWNS_OPERATOR_NEW
  GTEST_SKIP() << "ThreadSanitizer owns operator new; the release and ASan runs count allocations";
#endif
  const std::string path = ::testing::TempDir() + "cst_audit_no_alloc.journal";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  JournalOptions o;
  o.durability = JournalDurability::kNone;
  o.queue_capacity = 8;  // small, so producers also block and wake without allocating
  auto j = AuditJournal::open(path, o);
  ASSERT_TRUE(j.ok()) << j.error().message;

  DecisionRecord d;
  d.intent.client_order_id = *ClientOrderId::parse("no-alloc-1");
  d.price_decimals = 2;
  d.qty_decimals = 8;
  OrderEventRecord e;
  e.client_order_id = d.intent.client_order_id;
  e.status = OrderStatus::kFilled;

  const std::size_t before = g_allocations;
  for (int i = 0; i < 5000; ++i) {
    d.decision_id = static_cast<std::uint64_t>(i);
    (*j)->append(d);
    (*j)->append(e);
  }
  const std::size_t during = g_allocations - before;
  EXPECT_EQ(during, 0u);
  ASSERT_TRUE((*j)->close().ok());
  EXPECT_EQ((*j)->records_written(), 10'001u);
}

}  // namespace
}  // namespace cst
