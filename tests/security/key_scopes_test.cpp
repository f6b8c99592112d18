// Scopes: a key that can move funds out is never accepted.
#include "cst/security/key_scopes.hpp"

#include <gtest/gtest.h>

namespace cst::security {
namespace {

TEST(KeyScopes, ParsesReadAndTrade) {
  EXPECT_EQ(*parse_scopes("read"), 1u);
  EXPECT_EQ(*parse_scopes("read, trade"), 3u);
  EXPECT_EQ(format_scopes(*parse_scopes("trade,read")), "read,trade");
}

TEST(KeyScopes, RefusesWithdrawalAndTransferWithTheReason) {
  for (const char* list : {"read,trade,withdraw", "withdrawal", "read,transfer"}) {
    auto r = parse_scopes(list);
    ASSERT_FALSE(r.ok()) << list;
    EXPECT_NE(r.error().message.find("withdraw or transfer"), std::string::npos) << r.error().message;
  }
}

TEST(KeyScopes, RefusesUnknownAndEmpty) {
  EXPECT_NE(parse_scopes("read,margin").error().message.find("unknown scope 'margin'"), std::string::npos);
  EXPECT_FALSE(parse_scopes("").ok());
  EXPECT_FALSE(parse_scopes(" , ").ok());
}

TEST(KeyScopes, VenueNamesAreLowercaseIdentifiers) {
  EXPECT_TRUE(check_venue_name("binance_us").ok());
  EXPECT_FALSE(check_venue_name("Binance").ok());
  EXPECT_FALSE(check_venue_name("bin/ance").ok());
  EXPECT_FALSE(check_venue_name("").ok());
  EXPECT_FALSE(check_venue_name(std::string(33, 'a')).ok());
}

}  // namespace
}  // namespace cst::security
