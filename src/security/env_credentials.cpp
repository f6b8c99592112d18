#include "cst/security/env_credentials.hpp"

#include <algorithm>
#include <cstdlib>

#include "cst/core/environment.hpp"
#include "cst/security/key_scopes.hpp"
#include "cst/security/secret_input.hpp"

extern char** environ;

namespace cst::security {

std::string env_variable(std::string_view venue, std::string_view suffix) {
  std::string name = "CST_";
  for (const char c : venue) name += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  name += "_API_";
  name += suffix;
  return name;
}

Result<std::optional<EnvCredentials>> take_env_credentials(std::string_view venue) {
  if (Status s = check_venue_name(venue); !s) return s.error();
  const std::string key_var = env_variable(venue, "KEY");
  const std::string secret_var = env_variable(venue, "SECRET");
  const std::string scopes_var = env_variable(venue, "SCOPES");
  const char* key = env_value(key_var.c_str());
  const char* secret = env_value(secret_var.c_str());
  if (key == nullptr && secret == nullptr) return std::optional<EnvCredentials>{};
  if (key == nullptr || secret == nullptr) {
    return make_error(ErrorCode::kInvalidArgument, (key == nullptr ? key_var : secret_var) + " is not set but " +
                                                       (key == nullptr ? secret_var : key_var) + " is");
  }
  const char* scopes_text = env_value(scopes_var.c_str());
  auto scopes = parse_scopes(scopes_text == nullptr ? "read,trade" : scopes_text);
  if (!scopes) return make_error(ErrorCode::kInvalidArgument, scopes_var + ": " + scopes.error().message);
  EnvCredentials c;
  c.venue = std::string(venue);
  c.scopes = *scopes;
  auto k = take_secret_from_env(key_var.c_str());
  if (!k) return k.error();
  auto s = take_secret_from_env(secret_var.c_str());
  if (!s) return s.error();
  c.api_key = std::move(*k);
  c.api_secret = std::move(*s);
  return std::optional<EnvCredentials>(std::move(c));
}

std::vector<std::string> venues_in_environment() {
  constexpr std::string_view kPrefix = "CST_";
  constexpr std::string_view kSuffix = "_API_KEY";
  std::vector<std::string> venues;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const std::string_view name = entry.substr(0, entry.find('='));
    if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix) || name.size() <= kPrefix.size() + kSuffix.size())
      continue;
    std::string venue(name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size()));
    for (char& c : venue) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (check_venue_name(venue)) venues.push_back(std::move(venue));
  }
  std::sort(venues.begin(), venues.end());
  return venues;
}

}  // namespace cst::security
