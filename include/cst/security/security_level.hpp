// Security levels: presets of the security controls, chosen in the configuration
// ([security] level, RESTRICTED). None of them can loosen a LOCKED hard ceiling; they set how
// watchful the controls are.
//
//   level          config re-hash   violations → lockdown   threat window
//   conservative   every 0.5 s      3 within 24 h            24 h
//   moderate       every 1 s        3 within 1 h             1 h
//   aggressive     every 5 s        3 within 15 min          15 min
// (API key lifetime is set per key: cst keys add --lifetime-hours, 24 by default.)
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "cst/core/timestamp.hpp"

namespace cst::security {

enum class SecurityLevel : std::uint8_t { kConservative, kModerate, kAggressive };
std::string_view to_string(SecurityLevel level);
std::optional<SecurityLevel> parse_security_level(std::string_view name);

struct SecurityPreset {
  SecurityLevel level = SecurityLevel::kModerate;
  std::chrono::milliseconds config_check_interval{1000};
  int violations_to_lockdown = 3;
  Duration violation_window = Duration::from_seconds(3600);
};

SecurityPreset preset_for(SecurityLevel level);

}  // namespace cst::security
