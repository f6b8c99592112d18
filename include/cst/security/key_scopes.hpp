// What an exchange API key may do, as declared by the user when adding it. A key that can
// withdraw or transfer funds is refused everywhere: a leaked trading key then costs at most
// bad trades, never the account's coins.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cst/core/result.hpp"

namespace cst::security {

enum class KeyScope : std::uint32_t {
  kRead = 1u << 0,   // balances, orders, fills
  kTrade = 1u << 1,  // place and cancel orders
};
inline constexpr std::uint32_t kKnownScopes = 0b11;

// Parses "read,trade" into a mask. Refuses withdrawal/transfer scopes with a message saying
// why, unknown names with the list of known ones, and an empty list.
Result<std::uint32_t> parse_scopes(std::string_view list);
// "read,trade"
std::string format_scopes(std::uint32_t mask);
inline bool has_scope(std::uint32_t mask, KeyScope s) { return (mask & static_cast<std::uint32_t>(s)) != 0; }

// Venue names as they appear in vault records and CST_<VENUE>_API_KEY: 1-32 of [a-z0-9_].
Status check_venue_name(std::string_view venue);

}  // namespace cst::security
