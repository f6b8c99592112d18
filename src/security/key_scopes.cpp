#include "cst/security/key_scopes.hpp"

#include <array>

namespace cst::security {

namespace {

struct ScopeName {
  std::string_view name;
  KeyScope scope;
};
constexpr std::array kScopeNames{ScopeName{"read", KeyScope::kRead}, ScopeName{"trade", KeyScope::kTrade}};

bool is_withdrawal(std::string_view name) {
  return name == "withdraw" || name == "withdrawal" || name == "withdrawals" || name == "transfer" ||
         name == "transfers";
}

}  // namespace

Result<std::uint32_t> parse_scopes(std::string_view list) {
  std::uint32_t mask = 0;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view name = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.empty()) continue;
    if (is_withdrawal(name)) {
      return make_error(ErrorCode::kInvalidArgument,
                        "scope '" + std::string(name) +
                            "' refused: keys that can withdraw or transfer funds are never stored; create a key "
                            "with read and trade permission only at the exchange");
    }
    bool known = false;
    for (const ScopeName& s : kScopeNames) {
      if (s.name == name) {
        mask |= static_cast<std::uint32_t>(s.scope);
        known = true;
      }
    }
    if (!known) {
      return make_error(ErrorCode::kInvalidArgument, "unknown scope '" + std::string(name) + "' (known: read, trade)");
    }
  }
  if (mask == 0) return make_error(ErrorCode::kInvalidArgument, "no scope given (known: read, trade)");
  return mask;
}

std::string format_scopes(std::uint32_t mask) {
  std::string out;
  for (const ScopeName& s : kScopeNames) {
    if ((mask & static_cast<std::uint32_t>(s.scope)) == 0) continue;
    if (!out.empty()) out += ',';
    out += s.name;
  }
  return out;
}

Status check_venue_name(std::string_view venue) {
  if (venue.empty() || venue.size() > 32) {
    return make_error(ErrorCode::kInvalidArgument, "venue name must be 1 to 32 characters");
  }
  for (const char c : venue) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return make_error(ErrorCode::kInvalidArgument,
                        "venue name '" + std::string(venue) + "': only a-z, 0-9 and _ are allowed");
    }
  }
  return Status::Ok();
}

}  // namespace cst::security
