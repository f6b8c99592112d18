// Configuration levels (DESIGN.md section 7). Every key the configuration file may hold has a
// level, fixed here in code, never in the file the user edits:
//   LOCKED      hard ceilings compiled into cst (risk_limits.hpp kHardCeilings); no file can
//               set them, and a configured limit above one is refused at load;
//   RESTRICTED  a change needs an operator's Ed25519 approval over the new file's hash
//               (cst config approve); without it the change is tampering → lockdown;
//   MONITORED   changes are journaled with old and new values;
//   FLEXIBLE    free (still journaled, as every change is).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace cst::config {

enum class ConfigLevel : std::uint8_t { kLocked, kRestricted, kMonitored, kFlexible };
std::string_view to_string(ConfigLevel level);

struct ParameterSpec {
  std::string_view key;  // "risk.leverage"; a key ending in ".*" covers a table's entries
  ConfigLevel level;
  std::string_view meaning;
};

// Every settable key, in file order.
std::span<const ParameterSpec> parameter_specs();
// The level of `key` ("strategy.params.fast" matches "strategy.params.*"); nullopt if unknown.
std::optional<ConfigLevel> level_of(std::string_view key);

}  // namespace cst::config
