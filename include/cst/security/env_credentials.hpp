// API credentials from the environment, the alternative to the vault for containers and CI
// secret stores: CST_<VENUE>_API_KEY and CST_<VENUE>_API_SECRET (venue upper-cased), with the
// declared scopes in CST_<VENUE>_API_SCOPES (default "read,trade"). Withdrawal scopes are
// refused as in the vault. Environment keys have no expiry the key manager could track; the
// secret store that sets them is responsible for rotating them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cst/core/result.hpp"
#include "cst/security/secure_buffer.hpp"

namespace cst::security {

struct EnvCredentials {
  std::string venue;
  std::uint32_t scopes = 0;
  SecureBuffer api_key;
  SecureBuffer api_secret;
};

// "binance" -> "CST_BINANCE_API_KEY" (and _API_SECRET, _API_SCOPES).
std::string env_variable(std::string_view venue, std::string_view suffix);

// Nothing set: nullopt. Only one of key/secret set, or bad scopes: an error naming the variable.
// The secret variables are removed from the environment once read.
Result<std::optional<EnvCredentials>> take_env_credentials(std::string_view venue);

// Venues for which CST_<VENUE>_API_KEY is set, lower-cased, sorted.
std::vector<std::string> venues_in_environment();

}  // namespace cst::security
