#include "cst/audit/hash_chain.hpp"

#include <gtest/gtest.h>

namespace cst::audit {
namespace {

// Vectors computed independently (Python hashlib over the encoding documented in
// hash_chain.hpp), so a change to the encoding cannot pass unnoticed.
TEST(RecordHasher, MatchesTheDocumentedEncoding) {
  RecordHasher hasher;
  auto first = hasher.hash(kZeroHash, 1, 1700000000000000000, "decision", R"({"a":1})");
  ASSERT_TRUE(first.ok());
  // redflag-ok(high-entropy): expected SHA-256 of the documented encoding, a test vector, not a key
  EXPECT_EQ(to_hex(*first), "d3323bdd6097554317ce4d038fe2b81673850422685f4cd286ee96d891318edf");
  auto second = hasher.hash(*first, 2, -5, "run_start", "{}");
  ASSERT_TRUE(second.ok());
  // redflag-ok(high-entropy): expected SHA-256 of the documented encoding, a test vector, not a key
  EXPECT_EQ(to_hex(*second), "9dfe33f621ba8b1dc83243576780ebca5ab1c7ef840a26e4ee49b917c9443a3d");
}

TEST(RecordHasher, LengthPrefixesKeepKindAndPayloadApart) {
  RecordHasher hasher;
  auto a = hasher.hash(kZeroHash, 1, 0, "ab", "c");
  auto b = hasher.hash(kZeroHash, 1, 0, "a", "bc");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(RecordHasher, EveryFieldChangesTheHash) {
  RecordHasher hasher;
  const Hash256 base = *hasher.hash(kZeroHash, 1, 10, "k", "{}");
  Hash256 other_prev = kZeroHash;
  other_prev[31] = 1;
  EXPECT_NE(base, *hasher.hash(other_prev, 1, 10, "k", "{}"));
  EXPECT_NE(base, *hasher.hash(kZeroHash, 2, 10, "k", "{}"));
  EXPECT_NE(base, *hasher.hash(kZeroHash, 1, 11, "k", "{}"));
  EXPECT_NE(base, *hasher.hash(kZeroHash, 1, 10, "j", "{}"));
  EXPECT_NE(base, *hasher.hash(kZeroHash, 1, 10, "k", "{ }"));
  EXPECT_EQ(base, *hasher.hash(kZeroHash, 1, 10, "k", "{}"));  // and nothing else does
}

TEST(HashHex, IsLowerCaseAndSixtyFourCharacters) {
  Hash256 h = kZeroHash;
  h[0] = 0xAB;
  h[31] = 0x0F;
  const std::string hex = to_hex(h);
  ASSERT_EQ(hex.size(), 64u);
  EXPECT_EQ(hex.substr(0, 2), "ab");
  EXPECT_EQ(hex.substr(62), "0f");
}

}  // namespace
}  // namespace cst::audit
