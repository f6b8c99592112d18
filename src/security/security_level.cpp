#include "cst/security/security_level.hpp"

namespace cst::security {

std::string_view to_string(SecurityLevel level) {
  switch (level) {
    case SecurityLevel::kConservative: return "conservative";
    case SecurityLevel::kModerate: return "moderate";
    case SecurityLevel::kAggressive: return "aggressive";
  }
  return "unknown";
}

std::optional<SecurityLevel> parse_security_level(std::string_view name) {
  for (auto l : {SecurityLevel::kConservative, SecurityLevel::kModerate, SecurityLevel::kAggressive})
    if (to_string(l) == name) return l;
  return std::nullopt;
}

SecurityPreset preset_for(SecurityLevel level) {
  using std::chrono::milliseconds;
  switch (level) {
    case SecurityLevel::kConservative:
      return {level, milliseconds(500), 3, Duration::from_seconds(std::int64_t{24} * 3600)};
    case SecurityLevel::kModerate: return {level, milliseconds(1000), 3, Duration::from_seconds(3600)};
    case SecurityLevel::kAggressive:
      return {level, milliseconds(5000), 3, Duration::from_seconds(std::int64_t{15} * 60)};
  }
  return {};
}

}  // namespace cst::security
