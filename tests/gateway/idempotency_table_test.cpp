#include "cst/gateway/idempotency_table.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cst {
namespace {

ClientOrderId id(const std::string& s) { return *ClientOrderId::parse(s); }

TEST(IdempotencyTable, FindsEveryInsertedIdAcrossGrowth) {
  // Starts tiny so the table rehashes many times while we insert.
  IdempotencyTable<int> table(1);
  for (int i = 0; i < 50'000; ++i) table.insert(id("o-" + std::to_string(i)), i);
  EXPECT_EQ(table.size(), 50'000u);
  for (int i = 0; i < 50'000; ++i) {
    const int* v = table.find(id("o-" + std::to_string(i)));
    ASSERT_NE(v, nullptr) << i;
    EXPECT_EQ(*v, i);
  }
}

TEST(IdempotencyTable, UnknownIdsAreNotFound) {
  IdempotencyTable<int> table(16);
  table.insert(id("a"), 1);
  EXPECT_EQ(table.find(id("b")), nullptr);
  EXPECT_EQ(table.find(id("a-")), nullptr);
  EXPECT_NE(table.find(id("a")), nullptr);
}

TEST(IdempotencyTable, IdsDifferingOnlyInTheLastCharacterStayDistinct) {
  IdempotencyTable<int> table(4);
  const std::string base(35, 'x');
  for (char c = 'a'; c <= 'z'; ++c) table.insert(id(base + c), c);
  for (char c = 'a'; c <= 'z'; ++c) EXPECT_EQ(*table.find(id(base + c)), c);
}

}  // namespace
}  // namespace cst
