// Tests for strong ids: the client-id alphabet and length every venue accepts, uniqueness of
// generated client order ids (DESIGN.md invariant 6), and hashing/equality for use as keys.
#include "cst/core/ids.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <unordered_set>

namespace cst {
namespace {

// Written out by hand from the header's contract: [A-Za-z0-9._:/-].
constexpr std::string_view kAllowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:/-";

TEST(Ids, StrongIdsDoNotConvertIntoEachOther) {
  static_assert(!std::is_convertible_v<AccountId, InstrumentId>);
  static_assert(!std::is_convertible_v<InstrumentId, AccountId>);
  static_assert(!std::is_convertible_v<std::uint32_t, AccountId>);
  static_assert(!std::is_convertible_v<ClientOrderId, VenueOrderId>);
  static_assert(!std::is_convertible_v<std::string, ClientOrderId>);
  static_assert(!std::is_convertible_v<const char*, ClientOrderId>);
  EXPECT_EQ(AccountId{3}, AccountId{3});
  EXPECT_LT(InstrumentId{1}, InstrumentId{2});
}

TEST(InlineId, AcceptsEveryAllowedCharacter) {
  // Each allowed character alone, and all of them in 36-character slices.
  for (char c : kAllowed) {
    auto id = ClientOrderId::parse(std::string(1, c));
    ASSERT_TRUE(id.ok()) << "char '" << c << "': " << id.error().message;
    EXPECT_EQ(id->view(), std::string(1, c));
  }
  for (std::size_t start = 0; start < kAllowed.size(); start += 36) {
    const std::string_view slice = kAllowed.substr(start, 36);
    auto id = ClientOrderId::parse(slice);
    ASSERT_TRUE(id.ok()) << slice;
    EXPECT_EQ(id->view(), slice);
  }
}

TEST(InlineId, RejectsEveryOtherByte) {
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    if (kAllowed.find(c) != std::string_view::npos) continue;
    // Put the bad byte in the middle of valid text so the whole string is checked.
    std::string text = "ab";
    text += c;
    text += "cd";
    auto id = ClientOrderId::parse(text);
    ASSERT_FALSE(id.ok()) << "byte " << b << " was accepted";
    EXPECT_EQ(id.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(InlineId, RejectsEmpty) {
  auto id = ClientOrderId::parse("");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, ErrorCode::kInvalidArgument);
}

TEST(InlineId, LengthLimitIsTheCapacity) {
  static_assert(ClientOrderId::kCapacity == 36);  // Binance newClientOrderId limit
  const std::pair<std::size_t, bool> client_cases[] = {{1, true}, {35, true}, {36, true}, {37, false}, {200, false}};
  for (auto [len, ok] : client_cases) {
    auto id = ClientOrderId::parse(std::string(len, 'x'));
    EXPECT_EQ(id.ok(), ok) << "length " << len;
    if (ok) {
      EXPECT_EQ(id->view().size(), len);
    }
  }
  const std::pair<std::size_t, bool> venue_cases[] = {{47, true}, {48, true}, {49, false}};
  for (auto [len, ok] : venue_cases) EXPECT_EQ(VenueOrderId::parse(std::string(len, '7')).ok(), ok) << len;
}

TEST(InlineId, ErrorNamesTheOffendingText) {
  auto bad_char = ClientOrderId::parse("order#1");
  ASSERT_FALSE(bad_char.ok());
  EXPECT_NE(bad_char.error().message.find("order#1"), std::string::npos) << bad_char.error().message;
  const std::string long_text(37, 'q');
  auto too_long = ClientOrderId::parse(long_text);
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.error().message.find(long_text), std::string::npos);
  EXPECT_NE(too_long.error().message.find("36"), std::string::npos);
}

TEST(InlineId, DefaultIsEmpty) {
  ClientOrderId id;
  EXPECT_TRUE(id.empty());
  EXPECT_EQ(id.view(), "");
  EXPECT_EQ(id, ClientOrderId{});
}

TEST(InlineId, EqualityAndOrderFollowTheText) {
  auto a = *ClientOrderId::parse("abc");
  auto a2 = *ClientOrderId::parse("abc");
  auto b = *ClientOrderId::parse("abd");
  auto prefix = *ClientOrderId::parse("ab");
  EXPECT_EQ(a, a2);
  EXPECT_NE(a, b);
  EXPECT_NE(a, prefix);  // a prefix is a different id
  EXPECT_LT(a, b);
  EXPECT_LT(prefix, a);
  EXPECT_NE(a, ClientOrderId{});
  EXPECT_EQ(a.str(), "abc");
}

TEST(InlineId, HashAgreesWithEquality) {
  std::hash<ClientOrderId> h;
  EXPECT_EQ(h(*ClientOrderId::parse("same-1")), h(*ClientOrderId::parse("same-1")));
  std::unordered_set<ClientOrderId> set;
  set.insert(*ClientOrderId::parse("x-1"));
  set.insert(*ClientOrderId::parse("x-1"));
  set.insert(*ClientOrderId::parse("x-2"));
  EXPECT_EQ(set.size(), 2u);
  EXPECT_TRUE(set.contains(*ClientOrderId::parse("x-2")));
  EXPECT_FALSE(set.contains(*ClientOrderId::parse("x-3")));
}

TEST(ClientOrderIdGenerator, MakesPrefixDashSequence) {
  ClientOrderIdGenerator gen("strat");
  EXPECT_EQ(gen.peek_sequence(), 1u);
  EXPECT_EQ(gen.next().view(), "strat-1");
  EXPECT_EQ(gen.next().view(), "strat-2");
  EXPECT_EQ(gen.peek_sequence(), 3u);
  ClientOrderIdGenerator resumed("strat", 41);  // resume after a restart
  EXPECT_EQ(resumed.next().view(), "strat-41");
}

TEST(ClientOrderIdGenerator, NeverRepeats) {
  ClientOrderIdGenerator gen("s");
  std::unordered_set<ClientOrderId> seen;
  for (int i = 0; i < 100000; ++i) {
    auto id = gen.next();
    ASSERT_TRUE(seen.insert(id).second) << "repeated " << id.str();
  }
}

// A prefix that cannot form a valid id is a programming error at startup, not a runtime path.
TEST(ClientOrderIdGenerator, InvalidPrefixThrowsAtFirstUse) {
  ClientOrderIdGenerator bad("has space");
  EXPECT_THROW((void)bad.next(), std::logic_error);
  ClientOrderIdGenerator too_long(std::string(35, 'p'));  // "ppp...-1" is 37 characters
  EXPECT_THROW((void)too_long.next(), std::logic_error);
  ClientOrderIdGenerator just_fits(std::string(34, 'p'));  // "ppp...-1" is 36 characters
  EXPECT_EQ(just_fits.next().view().size(), 36u);
}

}  // namespace
}  // namespace cst
